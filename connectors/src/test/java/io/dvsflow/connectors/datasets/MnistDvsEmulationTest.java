package io.dvsflow.connectors.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.emulator.EmulatorParameters;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MnistDvsEmulationTest {

    private static final long DURATION_US = 200_000L;

    /** A 28x28 "digit": a white ring (radius 6..9 px) around the centre. */
    private static byte[] ring() {
        byte[] d = new byte[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double r = Math.hypot(x - 13.5, y - 13.5);
                d[y * 28 + x] = (byte) (r >= 6 && r <= 9 ? 255 : 0);
            }
        }
        return d;
    }

    @Test
    void layoutNamesFollowTheRealDataset() {
        assertThat(MnistDvsEmulation.digitSizePx(4)).isEqualTo(34);
        assertThat(MnistDvsEmulation.digitSizePx(8)).isEqualTo(68);
        assertThat(MnistDvsEmulation.digitSizePx(16)).isEqualTo(136);
        assertThatThrownBy(() -> MnistDvsEmulation.digitSizePx(5))
                .hasMessageContaining("4, 8 or 16");
        Path root = Path.of("root");
        Path p = MnistDvsEmulation.recordingPath(root, 3, 8, 42);
        assertThat(p)
                .isEqualTo(
                        Path.of("root", "grabbed_data3", "scale8", "mnist_3_scale08_0042.aedat"));
        assertThat(MnistDvsEmulation.sidecarPath(p).getFileName().toString())
                .isEqualTo("mnist_3_scale08_0042.emulation.csv");
        // events_tfds takes the example id as filename[-10:-6]
        String name = p.getFileName().toString();
        assertThat(name.substring(name.length() - 10, name.length() - 6)).isEqualTo("0042");
    }

    @Test
    void pathIsSlowSmoothAndHeldPerDisplayFrame() {
        DigitPath path = new MnistDvsEmulation().path(17, 5L);
        // frames start at round(k * 10^6 / 60) < 2 s: k = 0..119
        assertThat(path.frames()).isEqualTo(120);
        assertThat(path.tUs()[1]).isEqualTo(16_667L);
        assertThat(path.tUs()[119]).isEqualTo(1_983_333L);
        for (int k = 0; k < path.frames(); k++) {
            assertThat(path.centerX()[k]).isBetween(59.0, 69.0);
            assertThat(path.centerY()[k]).isBetween(59.0, 69.0);
            if (k > 0) {
                double step =
                        Math.hypot(
                                path.centerX()[k] - path.centerX()[k - 1],
                                path.centerY()[k] - path.centerY()[k - 1]);
                assertThat(step).isLessThan(1.0); // at most one pixel per frame
            }
        }
        assertThat(new MnistDvsEmulation().path(17, 6L).centerX()[0])
                .isNotEqualTo(path.centerX()[0]);
    }

    @Test
    void renderAppliesBlackLevelGammaAndPlacement() {
        float[] frame = new float[128 * 128];
        byte[] gray = new byte[784];
        java.util.Arrays.fill(gray, (byte) 128);
        MnistDvsEmulation.render(gray, 68, 64, 64, frame);
        // inside a uniform digit the cubic weights sum to 1: I = 0.003 + 0.997 (128/255)^2.2
        double expected = 0.003 + 0.997 * Math.pow(128 / 255.0, 2.2);
        assertThat((double) frame[64 * 128 + 64])
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(frame[0]).isEqualTo(0.003f); // far corner: LCD black
        // the digit spans [30, 98): pixel 20 is outside, pixel 31 inside
        assertThat(frame[64 * 128 + 20]).isEqualTo(0.003f);
        assertThat((double) frame[64 * 128 + 31]).isGreaterThan(0.1);
    }

    @Test
    void emulatedDigitGivesSortedEventsOnTheDigitAndIsSeeded() throws IOException {
        EmulatorParameters noiseless = MnistDvsEmulation.DEFAULT_PARAMETERS.withNoise(0, 0);
        MnistDvsEmulation emulation = new MnistDvsEmulation(noiseless, DURATION_US);
        EventPacket all = new EventPacket("all", 128, 128, 1024);
        List<Integer> sizes = new ArrayList<>();
        DigitPath path =
                emulation.emulate(
                        ring(),
                        4,
                        42L,
                        "ring",
                        p -> {
                            assertThat(p.streamId()).isEqualTo("ring");
                            assertThat(p.width()).isEqualTo(128);
                            sizes.add(p.size());
                            all.addAll(p);
                        });
        assertThat(all.size()).isGreaterThan(100);
        assertThat(sizes).allMatch(n -> n <= 4096);
        double minX = 128;
        double maxX = 0;
        double minY = 128;
        double maxY = 0;
        for (int k = 0; k < path.frames(); k++) {
            minX = Math.min(minX, path.centerX()[k]);
            maxX = Math.max(maxX, path.centerX()[k]);
            minY = Math.min(minY, path.centerY()[k]);
            maxY = Math.max(maxY, path.centerY()[k]);
        }
        double half = 34 / 2.0 + 2; // digit half-size plus the cubic kernel's reach
        int on = 0;
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                assertThat(all.t(i)).isGreaterThanOrEqualTo(all.t(i - 1));
            }
            assertThat(all.t(i)).isBetween(0L, DURATION_US);
            assertThat((double) all.x(i)).isBetween(minX - half, maxX + half);
            assertThat((double) all.y(i)).isBetween(minY - half, maxY + half);
            on += all.p(i);
        }
        assertThat(on).isPositive().isLessThan(all.size()); // both polarities

        EventPacket again = new EventPacket("all", 128, 128, 1024);
        emulation.emulate(ring(), 4, 42L, "ring", again::addAll);
        assertThat(again).isEqualTo(all);
        EventPacket other = new EventPacket("all", 128, 128, 1024);
        emulation.emulate(ring(), 4, 43L, "ring", other::addAll);
        assertThat(other).isNotEqualTo(all);
    }

    @Test
    void sidecarHoldsLabelTargetAndPath() throws IOException {
        MnistDvsEmulation emulation =
                new MnistDvsEmulation(MnistDvsEmulation.DEFAULT_PARAMETERS, DURATION_US);
        DigitPath path = emulation.path(17, 1L);
        byte[] digit = ring();
        StringBuilder out = new StringBuilder();
        MnistDvsEmulation.writeSidecar(out, 7, 4, 1L, digit, path);
        String[] lines = out.toString().split("\n", -1);
        assertThat(lines[0]).isEqualTo("# dvsflow MNIST-DVS emulation v1");
        assertThat(lines[1]).isEqualTo("label,7");
        assertThat(lines[2]).isEqualTo("scale,4");
        assertThat(lines[3]).isEqualTo("digit_size_px,17");
        assertThat(lines[5]).isEqualTo("sensor,128,128");
        assertThat(lines[6]).isEqualTo("split,unsplit");
        assertThat(lines[7]).isEqualTo("file_y,down");
        String target = lines[8].substring("target,".length());
        assertThat(target).hasSize(1568);
        // pixel (row 13, col 4): r = hypot(4 - 13.5, -0.5) = 9.51 > 9, black; col 5: 8.51, white
        int at = 2 * (13 * 28 + 5);
        assertThat(target.substring(at - 2, at + 2)).isEqualTo("00ff");
        assertThat(lines[9]).isEqualTo("t_us,center_x,center_y");
        // 200 ms: frames 0..11 (11 * 16667 = 183,333 < 200,000)
        assertThat(lines).hasSize(10 + 12 + 1); // trailing empty string after the last LF
        assertThat(lines[11]).startsWith("16667,");
    }
}
