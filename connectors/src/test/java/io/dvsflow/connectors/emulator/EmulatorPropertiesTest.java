package io.dvsflow.connectors.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator properties the datasets issue lists, on a moving multi-pixel scene. */
class EmulatorPropertiesTest {

    private static final int W = 16;
    private static final int H = 12;
    private static final long FRAME_US = 5_000L;

    /** A bright bar (x in [c, c + 3)) sliding right by 0.4 px per frame over a dark background. */
    private static float[] bar(int k) {
        float[] f = new float[W * H];
        double c = 1 + 0.4 * k;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double cover = Math.max(0, Math.min(x + 1, c + 3) - Math.max(x, c)); // 0..1
                f[y * W + x] = (float) (0.02 + 0.9 * cover);
            }
        }
        return f;
    }

    private static EventPacket run(EmulatorParameters params, long seed, int frames)
            throws IOException {
        DvsEmulator emu = new DvsEmulator(W, H, params, seed, "bar", 64);
        EventPacket all = new EventPacket("all", W, H, 64);
        for (int k = 0; k < frames; k++) {
            emu.process(bar(k), k * FRAME_US, all::addAll);
        }
        emu.flush(all::addAll);
        return all;
    }

    @Test
    void staticSceneWithoutNoiseGivesNoEventsEvenWithMismatchAndLowPass() throws IOException {
        EmulatorParameters p = EmulatorParameters.defaults().withNoise(0, 0).withLowPass(300, 200);
        DvsEmulator emu = new DvsEmulator(W, H, p, 3L, "static", 64);
        EventPacket all = new EventPacket("all", W, H, 64);
        float[] frame = bar(4);
        for (int k = 0; k < 50; k++) {
            emu.process(frame, k * FRAME_US, all::addAll);
        }
        emu.flush(all::addAll);
        assertThat(all.size()).isZero();
    }

    @Test
    void polarityFollowsTheSignOfTheChange() throws IOException {
        // noiseless, no low-pass: a pixel only brightens while the bar's leading edge enters it and
        // only darkens while the trailing edge leaves it
        EventPacket all = run(EmulatorParameters.ideal(0.2, 0.2), 1L, 20);
        assertThat(all.size()).isGreaterThan(50);
        for (int i = 0; i < all.size(); i++) {
            int x = all.x(i);
            long k = (all.t(i) + FRAME_US - 1) / FRAME_US; // in (t(k-1), t(k)]
            double before = 1 + 0.4 * (k - 1);
            // leading edge at c + 3 moves over x: brightening; trailing edge c: darkening
            boolean leading = x + 1 > before + 3 && x < before + 3 + 0.4;
            boolean trailing = x + 1 > before && x < before + 0.4;
            if (all.p(i) == 1) {
                assertThat(leading).as("ON event at x=%d, frame %d", x, k).isTrue();
            } else {
                assertThat(trailing).as("OFF event at x=%d, frame %d", x, k).isTrue();
            }
        }
    }

    @Test
    void perPixelTimestampsNeverDecreaseAndTheRefractoryPeriodHolds() throws IOException {
        long refractory = 3_000L;
        EmulatorParameters p =
                EmulatorParameters.defaults()
                        .withThresholds(0.05, 0.05)
                        .withLowPass(300, 200)
                        .withRefractoryUs(refractory)
                        .withNoise(0, 0);
        EventPacket all = run(p, 9L, 30);
        assertThat(all.size()).isGreaterThan(100);
        long[] last = new long[W * H];
        Arrays.fill(last, Long.MIN_VALUE / 2);
        for (int i = 0; i < all.size(); i++) {
            int pixel = all.y(i) * W + all.x(i);
            assertThat(all.t(i)).isGreaterThanOrEqualTo(last[pixel] + refractory);
            last[pixel] = all.t(i);
        }
    }

    @Test
    void aHigherThresholdGivesFewerEvents() throws IOException {
        EmulatorParameters base = EmulatorParameters.defaults().withNoise(0, 0);
        int low = run(base.withThresholds(0.1, 0.1), 5L, 25).size();
        int mid = run(base.withThresholds(0.2, 0.2), 5L, 25).size();
        int high = run(base.withThresholds(0.4, 0.4), 5L, 25).size();
        assertThat(low).isGreaterThan(mid);
        assertThat(mid).isGreaterThan(high);
        assertThat(high).isPositive();
    }

    private static byte[] fileBytes(long seed, EventFormat format) throws IOException {
        EmulatorParameters p = EmulatorParameters.defaults().withNoise(0.5, 2.0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventWriter w = EventFormats.writer(out, format, WriterOptions.of(W, H))) {
            DvsEmulator emu = new DvsEmulator(W, H, p, seed, "bar", 64);
            for (int k = 0; k < 25; k++) {
                emu.process(bar(k), k * FRAME_US, w::write);
            }
            emu.flush(w::write);
        }
        return out.toByteArray();
    }

    @Test
    void theSameSeedGivesByteIdenticalFiles() throws IOException {
        for (EventFormat f : new EventFormat[] {EventFormat.AEDAT2, EventFormat.AEDAT3}) {
            byte[] a = fileBytes(42L, f);
            assertThat(fileBytes(42L, f)).as(f.shortName()).isEqualTo(a);
            assertThat(fileBytes(43L, f)).as(f.shortName()).isNotEqualTo(a);
        }
    }

    @Test
    void pngFramesBecomeEventsOfTheirLuminanceChanges(@TempDir Path dir) throws IOException {
        // three grey frames of 4x2: pixel (1, 0) goes 50 -> 200 -> 200, pixel (2, 1) 200 -> 50 ->
        // 50, the rest stays at 100; names sort as f0 < f1 < f2
        int[][] levels = {{50, 200}, {200, 50}, {200, 50}};
        for (int k = 0; k < 3; k++) {
            BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 4; x++) {
                    img.getRaster().setSample(x, y, 0, 100);
                }
            }
            img.getRaster().setSample(1, 0, 0, levels[k == 0 ? 0 : 1][0]);
            img.getRaster().setSample(2, 1, 0, levels[k == 0 ? 0 : 1][1]);
            ImageIO.write(img, "png", dir.resolve("f" + k + ".png").toFile());
        }
        EventPacket all = new EventPacket("all", 4, 2, 64);
        DvsEmulator emu =
                new FrameFolderEmulation(EmulatorParameters.ideal(0.5, 0.5), 1L)
                        .run(dir, 10.0, "png", all::addAll, null);
        assertThat(emu.width()).isEqualTo(4);
        // 50 -> 200 in linear light: ln((200/255)^2.2 + 0.001) - ln((50/255)^2.2 + 0.001)
        //   = ln(0.5858) - ln(0.02895) = -0.535 + 3.542 = 3.01 -> 6 crossings of 0.5
        double rise =
                Math.log(Math.pow(200 / 255.0, 2.2) + 0.001)
                        - Math.log(Math.pow(50 / 255.0, 2.2) + 0.001);
        int expected = (int) Math.floor(rise / 0.5 + 1e-9);
        assertThat(expected).isEqualTo(6);
        int on = 0;
        int off = 0;
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.t(i)).isBetween(1L, 100_000L); // frame 1 is at 10^6 / 10 µs
            if (all.p(i) == 1) {
                assertThat(all.x(i)).isEqualTo(1);
                assertThat(all.y(i)).isEqualTo(0);
                on++;
            } else {
                assertThat(all.x(i)).isEqualTo(2);
                assertThat(all.y(i)).isEqualTo(1);
                off++;
            }
        }
        assertThat(on).isEqualTo(expected);
        assertThat(off).isEqualTo(expected);
    }
}
