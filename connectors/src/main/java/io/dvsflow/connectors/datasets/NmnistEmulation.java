package io.dvsflow.connectors.datasets;

import io.dvsflow.connectors.emulator.DvsEmulator;
import io.dvsflow.connectors.emulator.EmulatorParameters;
import io.dvsflow.connectors.emulator.PacketSink;
import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.formats.nmnist.NmnistWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Emulates N-MNIST recordings (Orchard et al., Front. Neurosci. 2015): an ATIS on a pan-tilt unit
 * looks at a static MNIST digit on an LCD and makes three saccades of about 100 ms each.
 *
 * <p><b>Scene.</b> A {@link #SENSOR_SIZE} x {@link #SENSOR_SIZE} window (N-MNIST's) sees the 28 x
 * 28 digit at one sensor pixel per digit pixel, its top-left corner at a sub-pixel offset {@code
 * (ox, oy)} sampled bilinearly (zero outside the digit); the monitor shows value {@code v} as
 * {@code I = b + (1 - b) (v / 255)^2.2}, {@code b = 0.003}, as {@link MnistDvsEmulation}. Events
 * use image coordinates (origin at the upper left, {@code y} down), as the real N-MNIST files.
 *
 * <p><b>Motion.</b> The offset goes round the isosceles triangle {@code (3, 0) -> (6, 6) -> (0, 6)
 * -> (3, 0)} (pixels; it keeps the digit inside the window), one saccade per side of {@link
 * #SACCADE_US} = 100 ms with the raised-cosine profile {@code s(u) = (1 - cos(pi u)) / 2}, so the
 * motion stops at each vertex and is fastest mid-saccade (bursts of events at about 50, 150 and 250
 * ms, as in the real files). Frames are rendered every {@link #FRAME_US} = 1 ms (at most 0.11 px
 * per frame).
 *
 * <p><b>Emulator.</b> {@link #DEFAULT_PARAMETERS}: thresholds 0.9 / 0.9 (sigma 0.03), no
 * photoreceptor low-pass, refractory 1 ms, leak 0.01 Hz, shot noise 0.05 Hz. Calibrated on the real
 * N-MNIST sample ({@code tonic_sample_nmnist.bin}: 4,325 events in 311 ms, 50 % ON, bursts in 20 ms
 * bins peaking at 547, 431 and 580 events near 50, 150 and 250 ms): 20 emulated training digits
 * gave 2,650 to 6,250 events (mean 5,080), 53 % ON, with peaks of 400 to 870 events per 20 ms at
 * the same three places. The thresholds are high because the LCD's digit edge spans about 5.5 log
 * units (black level 0.003); the real ATIS saw a lower-contrast scene. Seed of the emulator: {@code
 * SplitMix64.mix(seed ^ 0x4E4D4E495354L)}.
 *
 * <p><b>Files.</b> {@link #writeRecording} writes {@code root/Train|Test/{d}/{nnnnn}.bin} through
 * {@link NmnistWriter} and a marker {@link NmnistLayout#EMULATION_MARKER} in the root.
 */
public final class NmnistEmulation {

    /** Sensor window side (pixels). */
    public static final int SENSOR_SIZE = NmnistLayout.SENSOR_SIZE;

    /** Length of one saccade (µs). */
    public static final long SACCADE_US = 100_000L;

    /** Rendering interval (µs). */
    public static final long FRAME_US = 1_000L;

    /** Triangle vertices of the digit's top-left offset (pixels), visited in order, then back. */
    static final double[][] VERTICES = {{3, 0}, {6, 6}, {0, 6}};

    /** Default emulator parameters (see the class documentation). */
    public static final EmulatorParameters DEFAULT_PARAMETERS =
            new EmulatorParameters(0.9, 0.9, 0.03, 0.001, 0.0, 200, 1_000, 0.01, 0.05);

    private static final int SIDE = MnistDigits.SIDE;

    private final EmulatorParameters params;

    /** Default parameters. */
    public NmnistEmulation() {
        this(DEFAULT_PARAMETERS);
    }

    public NmnistEmulation(EmulatorParameters params) {
        this.params = params;
    }

    /** Total recording length: three saccades (µs). */
    public static long durationUs() {
        return 3 * SACCADE_US;
    }

    /** The digit's top-left offset at time {@code tUs}, written to {@code out[0..1]}. */
    static void offset(long tUs, double[] out) {
        long clamped = Math.max(0, Math.min(tUs, durationUs()));
        int side = (int) Math.min(2, clamped / SACCADE_US);
        double u = (clamped - side * SACCADE_US) / (double) SACCADE_US;
        double s = (1 - StrictMath.cos(Math.PI * u)) / 2;
        double[] a = VERTICES[side];
        double[] b = VERTICES[(side + 1) % 3];
        out[0] = a[0] + s * (b[0] - a[0]);
        out[1] = a[1] + s * (b[1] - a[1]);
    }

    /**
     * Emulates one recording of {@code digit} (28 x 28 unsigned bytes).
     *
     * @param seed seed of the emulator's random choices
     */
    public void emulate(byte[] digit, long seed, String streamId, PacketSink sink)
            throws IOException {
        if (digit.length != SIDE * SIDE) {
            throw new IllegalArgumentException(
                    "digit must be 28x28 = 784 bytes, was " + digit.length);
        }
        DvsEmulator emulator =
                new DvsEmulator(
                        SENSOR_SIZE,
                        SENSOR_SIZE,
                        params,
                        SplitMix64.mix(seed ^ 0x4E4D4E495354L),
                        streamId,
                        4096);
        float[] frame = new float[SENSOR_SIZE * SENSOR_SIZE];
        double[] o = new double[2];
        for (long t = 0; t <= durationUs(); t += FRAME_US) {
            offset(t, o);
            render(digit, o[0], o[1], frame);
            emulator.process(frame, t, sink);
        }
        emulator.flush(sink);
    }

    /**
     * Renders the digit with its top-left corner at {@code (ox, oy)} into {@code frame} (34 x 34
     * linear intensities): bilinear sampling, then display gamma.
     */
    static void render(byte[] digit, double ox, double oy, float[] frame) {
        Arrays.fill(frame, (float) MnistDvsEmulation.LCD_BLACK);
        for (int y = 0; y < SENSOR_SIZE; y++) {
            double v = y - oy;
            int v0 = (int) Math.floor(v);
            double fv = v - v0;
            for (int x = 0; x < SENSOR_SIZE; x++) {
                double u = x - ox;
                int u0 = (int) Math.floor(u);
                double fu = u - u0;
                double value =
                        (1 - fv) * ((1 - fu) * px(digit, u0, v0) + fu * px(digit, u0 + 1, v0))
                                + fv
                                        * ((1 - fu) * px(digit, u0, v0 + 1)
                                                + fu * px(digit, u0 + 1, v0 + 1));
                if (value > 0) {
                    double level = Math.min(1.0, value / 255.0);
                    frame[y * SENSOR_SIZE + x] =
                            (float)
                                    (MnistDvsEmulation.LCD_BLACK
                                            + (1 - MnistDvsEmulation.LCD_BLACK)
                                                    * StrictMath.pow(
                                                            level,
                                                            MnistDvsEmulation.DISPLAY_GAMMA));
                }
            }
        }
    }

    private static int px(byte[] digit, int c, int r) {
        return c < 0 || r < 0 || c >= SIDE || r >= SIDE ? 0 : digit[r * SIDE + c] & 0xFF;
    }

    /** The recording path: {@code root/Train|Test/{label}/{index:05d}.bin}. */
    public static Path recordingPath(Path root, DatasetSplit split, int label, int index) {
        if (label < 0 || label > 9 || index < 0 || index > 99_999) {
            throw new IllegalArgumentException(
                    "label must be 0..9 and index 0..99999, was " + label + " and " + index);
        }
        String splitDir = split == DatasetSplit.TEST ? "Test" : "Train";
        return root.resolve(splitDir)
                .resolve(Integer.toString(label))
                .resolve(String.format(Locale.ROOT, "%05d.bin", index));
    }

    /**
     * Emulates and writes one recording in the N-MNIST layout (and the root's emulation marker).
     *
     * @param split {@link DatasetSplit#TEST} writes under {@code Test}, anything else under {@code
     *     Train}
     * @return the {@code .bin} file written
     */
    public Path writeRecording(
            Path root, DatasetSplit split, int label, int index, byte[] digit, long seed)
            throws IOException {
        Path file = recordingPath(root, split, label, index);
        Files.createDirectories(file.getParent());
        Path marker = root.resolve(NmnistLayout.EMULATION_MARKER);
        if (!Files.exists(marker)) {
            Files.writeString(
                    marker,
                    "Emulated by dvsflow (N-MNIST-like saccades, "
                            + "io.dvsflow.connectors.datasets.NmnistEmulation).\n",
                    StandardCharsets.UTF_8);
        }
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                NmnistWriter writer =
                        new NmnistWriter(raw, WriterOptions.of(SENSOR_SIZE, SENSOR_SIZE))) {
            emulate(digit, seed, file.getFileName().toString(), writer::write);
        }
        return file;
    }
}
