package io.dvsflow.connectors.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmnistEmulationTest {

    /** A white ring of radius 5..9 px around the digit centre (13.5, 13.5). */
    static byte[] ring() {
        byte[] d = new byte[784];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                double dist = Math.hypot(c - 13.5, r - 13.5);
                d[r * 28 + c] = (byte) (dist >= 5 && dist <= 9 ? 255 : 0);
            }
        }
        return d;
    }

    @Test
    void saccadesGoRoundTheTriangleAndStopAtTheVertices() {
        double[] o = new double[2];
        NmnistEmulation.offset(0, o);
        assertThat(o).containsExactly(3, 0);
        NmnistEmulation.offset(100_000, o);
        assertThat(o).containsExactly(6, 6);
        NmnistEmulation.offset(50_000, o); // half way: s(1/2) = 1/2
        assertThat(o[0]).isCloseTo(4.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(o[1]).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-12));
        NmnistEmulation.offset(300_000, o);
        assertThat(o).containsExactly(3, 0);
    }

    @Test
    void recordingsStayOnTheSensorBurstPerSaccadeAndAreSeeded(@TempDir Path root)
            throws IOException {
        NmnistEmulation emulation = new NmnistEmulation();
        EventPacket all = new EventPacket("all", 34, 34, 1024);
        emulation.emulate(ring(), 3L, "ring", all::addAll);
        assertThat(all.size()).isBetween(500, 20_000);
        int[] perSaccade = new int[3];
        int on = 0;
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.x(i)).isBetween(0, 33);
            assertThat(all.y(i)).isBetween(0, 33);
            assertThat(all.t(i)).isBetween(0L, NmnistEmulation.durationUs());
            perSaccade[(int) Math.min(2, all.t(i) / NmnistEmulation.SACCADE_US)]++;
            on += all.p(i);
        }
        for (int n : perSaccade) {
            assertThat(n).isGreaterThan(all.size() / 10);
        }
        assertThat(on).isPositive().isLessThan(all.size());

        Path a = emulation.writeRecording(root, DatasetSplit.TEST, 4, 12, ring(), 3L);
        assertThat(root.relativize(a).toString().replace('\\', '/')).isEqualTo("Test/4/00012.bin");
        Path b = emulation.writeRecording(root, DatasetSplit.TRAIN, 4, 0, ring(), 3L);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        Path c = emulation.writeRecording(root, DatasetSplit.TRAIN, 4, 1, ring(), 4L);
        assertThat(Files.readAllBytes(c)).isNotEqualTo(Files.readAllBytes(a));
        RecordingSummary s =
                RecordingSummary.scan(a, ReaderOptions.defaults().withFormat(EventFormat.NMNIST));
        assertThat(s.events()).isEqualTo(all.size());
        assertThat(s.backwardSteps()).isZero();
        DatasetScan scan = new NmnistLayout(root).scan();
        assertThat(scan.emulated()).isTrue();
        assertThat(scan.recordings()).hasSize(3);
    }
}
