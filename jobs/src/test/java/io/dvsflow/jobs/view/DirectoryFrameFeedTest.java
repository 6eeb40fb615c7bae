package io.dvsflow.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFrameFeedTest {

    @Test
    void storesTheFileWithTheLargestWindowPerStreamAndKind(@TempDir Path dir) throws Exception {
        TestFrames.write(dir, TestFrames.gradient("cam1", "counts", 50_000, 0));
        Path latest = TestFrames.write(dir, TestFrames.gradient("cam1", "counts", 100_000, 1));
        TestFrames.write(dir, TestFrames.gradient("cam1", "vdib", 50_000, 2));
        TestFrames.write(dir, TestFrames.gradient("cam2", "counts", 0, 3));
        Files.write(dir.resolve("cam1/counts_0000000200000.png.tmp"), new byte[] {1, 2});
        Files.write(dir.resolve("cam1/notes.txt"), new byte[] {1});
        FrameStore store = new FrameStore();
        DirectoryFrameFeed feed = new DirectoryFrameFeed(dir, store);

        assertThat(feed.scanOnce()).isEqualTo(3);
        assertThat(store.size()).isEqualTo(3);
        ViewFrame counts = store.get("cam1", "counts");
        assertThat(counts.windowStartUs()).isEqualTo(100_000);
        assertThat(counts.png()).isEqualTo(Files.readAllBytes(latest));
        // what dvsflow's PNG files carry (PngMetadata): window end, event count, model version
        assertThat(counts.windowEndUs()).isEqualTo(150_000);
        assertThat(counts.eventCount()).isEqualTo(123L);
        assertThat(counts.modelVersion()).isNull();
        assertThat(store.get("cam1", "vdib").modelVersion()).isEqualTo(7L);
        assertThat(store.get("cam2", "counts").windowStartUs()).isZero();

        // nothing new: nothing stored
        assertThat(feed.scanOnce()).isZero();

        // a later window replaces; an earlier one (a late file) does not
        TestFrames.write(dir, TestFrames.gradient("cam1", "counts", 150_000, 4));
        TestFrames.write(dir, TestFrames.gradient("cam1", "vdib", 0, 4));
        assertThat(feed.scanOnce()).isEqualTo(1);
        assertThat(store.get("cam1", "counts").windowStartUs()).isEqualTo(150_000);
        assertThat(store.get("cam1", "vdib").windowStartUs()).isEqualTo(50_000);
    }

    @Test
    void aMissingFolderIsWaitedFor(@TempDir Path dir) throws Exception {
        Path frames = dir.resolve("later");
        FrameStore store = new FrameStore();
        DirectoryFrameFeed feed = new DirectoryFrameFeed(frames, store);
        assertThat(feed.scanOnce()).isZero();
        TestFrames.write(frames, TestFrames.gradient("s", "highpass", 0, 0));
        assertThat(feed.scanOnce()).isEqualTo(1);
        assertThat(store.get("s", "highpass")).isNotNull();
    }
}
