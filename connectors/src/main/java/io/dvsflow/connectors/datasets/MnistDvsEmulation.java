package io.dvsflow.connectors.datasets;

import io.dvsflow.connectors.emulator.DvsEmulator;
import io.dvsflow.connectors.emulator.EmulatorParameters;
import io.dvsflow.connectors.emulator.PacketSink;
import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Emulates MNIST-DVS recordings (Serrano-Gotarredona and Linares-Barranco, Front. Neurosci. 2015):
 * an MNIST digit, upscaled and moved slowly on an LCD in front of a 128 x 128 DVS.
 *
 * <p><b>Scene.</b> A 128 x 128 sensor sees the monitor pixel for pixel. The 28 x 28 digit is
 * upscaled by bicubic interpolation (Keys, {@code a = -0.5}, zero outside the digit) to {@link
 * #digitSizePx} = {@code round(8.5 scale)} sensor pixels (34, 68, 136 for scales 4, 8, 16) and
 * sampled at the sensor pixel centres for a sub-pixel position. The monitor shows value {@code v}
 * (0..255) as linear intensity {@code I = b + (1 - b) (v / 255)^2.2} with black level {@code b =
 * 0.003} ({@link #LCD_BLACK}, {@link #DISPLAY_GAMMA}).
 *
 * <p><b>Motion.</b> The digit's centre follows {@code c(t) = 64 + A sin(2 pi f t + phi)} per axis,
 * {@code A = 3} px, {@code f} uniform in [0.3, 0.7] Hz and {@code phi} uniform in [0, 2 pi), drawn
 * from the seed; the peak speed {@code 2 pi f A <= 13.2 px/s} is below 0.25 px per display frame.
 * The position is held for each 60 Hz display frame ({@link #DISPLAY_HZ}); at each refresh the
 * pixels change linearly over {@link #LCD_RESPONSE_US}, then hold (so refreshes make bursts of
 * events, smoothed by the photoreceptor low-pass).
 *
 * <p><b>Emulator.</b> {@link #DEFAULT_PARAMETERS}: thresholds 0.45 / 0.45 log units (sigma 0.03),
 * photoreceptor low-pass 200 Hz simulated in 500 µs steps, refractory 1 ms, leak 0.01 Hz, shot
 * noise 0.01 Hz.
 *
 * <p><b>Calibration</b> (table and command in {@code docs/emulator.md}): against the real sample
 * {@code mnist_0_scale04_0001.aedat} (15,744 events in 2.2 s, half ON, events spread over about 26
 * x 21 px between their 5th and 95th percentiles, 10-90 % spread about 20 px per 100 ms window).
 * The first version (17 px digit, A = 5 px, thresholds 0.4) matched the count but drew the digit
 * half as large (10-90 % spread about 10 px per window); the size per scale was doubled, the
 * amplitude lowered to the real sample's (its centre moves about +-4 px in x, +-1.5 px in y) and
 * the thresholds raised to keep the count: eight emulated scale-4 zeros now give 13,200 to 18,300
 * events, 52 % ON, spread 22-25 x 24-26 px. Only scale 4 was checked against a real file; the sizes
 * of scales 8 and 16 are extrapolated (at scale 16 the digit overfills the sensor). The emulator's
 * seed is {@code SplitMix64.mix(seed ^ 0x5DEECE66DL)}; the path uses {@code seed} directly.
 *
 * <p><b>Files.</b> {@link #writeRecording} writes the real dataset's layout, {@code
 * grabbed_data{d}/scale{4,8,16}/mnist_{d}_scale{04,08,16}_{nnnn}.aedat} (jAER AEDAT 2.0, DVS128
 * addresses through the AEDAT 2.0 writer), and beside it a sidecar {@code
 * mnist_{d}_scale{ss}_{nnnn}.emulation.csv}, UTF-8, LF line ends.
 *
 * <p><b>Orientation.</b> Events and files use display coordinates: origin at the upper left, {@code
 * y} down, as the path, with no flip. This is how the real recordings read through {@code
 * Aedat2Reader} with coordinates as stored (no {@code flipY}), despite jAER's usual lower-left
 * origin: in the real sample {@code mnist_0_scale04_0001.aedat}, with the motion removed per 100 ms
 * window, the zero leans right ({@code corr(x, y) = -0.16}), its y-skew is negative ({@code -0.11})
 * and its upper half is narrower than its lower half (x spread 6.3 vs 7.3 px), as for 86 %, 80 %
 * and 82 % of the 1,001 npm zeros drawn upright with {@code y} down; a {@code y} flip would reverse
 * all three, a 180 degree rotation the last two. Rendered with {@code dvsflow render}, real and
 * emulated recordings therefore show the digit the same way up. The sidecar says so in its {@code
 * file_y} line.
 *
 * <p>Sidecar:
 *
 * <pre>
 * # dvsflow MNIST-DVS emulation v1
 * label,3                      the digit class
 * scale,4                      MNIST-DVS scale
 * digit_size_px,17             side of the displayed digit (sensor pixels)
 * seed,42                      seed of the path and the emulator
 * sensor,128,128               width,height
 * split,train                  split of the real digits the source came from (train, test, unsplit)
 * file_y,down                  the .aedat stores display coordinates (see Orientation)
 * target,00000000...           the source 28x28 digit, 784 bytes as 1568 hex digits, row-major
 * t_us,center_x,center_y       column header of the path
 * 0,63.1234,66.5000            one row per display frame (sensor pixels, 4 decimals)
 * ...
 * </pre>
 *
 * <pre>{@code
 * MnistDvsEmulation emulation = new MnistDvsEmulation();
 * DigitPath path = emulation.emulate(digits.image(7), 4, 42L, "digit7", packet -> consume(packet));
 * }</pre>
 */
public final class MnistDvsEmulation {

    /** Sensor side (pixels). */
    public static final int SENSOR_SIZE = 128;

    /** Display refresh rate (Hz). */
    public static final double DISPLAY_HZ = 60.0;

    /** Default recording length (µs). */
    public static final long DEFAULT_DURATION_US = 2_000_000L;

    /** LCD black level (linear intensity). */
    public static final double LCD_BLACK = 0.003;

    /** Display gamma. */
    public static final double DISPLAY_GAMMA = 2.2;

    /** LCD pixel transition time after a refresh (µs). */
    public static final long LCD_RESPONSE_US = 4_000L;

    /** Amplitude of the path per axis (sensor pixels). */
    public static final double PATH_AMPLITUDE_PX = 3.0;

    /** The emulator parameters used unless others are given (see the class documentation). */
    public static final EmulatorParameters DEFAULT_PARAMETERS =
            new EmulatorParameters(0.45, 0.45, 0.03, 0.001, 200.0, 500, 1_000, 0.01, 0.01);

    /** Shortest and longest accepted durations (µs). */
    public static final long MIN_DURATION_US = 50_000L;

    public static final long MAX_DURATION_US = 600_000_000L;

    private static final int SIDE = MnistDigits.SIDE;

    private final EmulatorParameters params;
    private final long durationUs;

    /** Default parameters and a 2 s duration. */
    public MnistDvsEmulation() {
        this(DEFAULT_PARAMETERS, DEFAULT_DURATION_US);
    }

    /**
     * @param params emulator parameters
     * @param durationUs recording length (µs), in [{@link #MIN_DURATION_US}, {@link
     *     #MAX_DURATION_US}]
     */
    public MnistDvsEmulation(EmulatorParameters params, long durationUs) {
        if (durationUs < MIN_DURATION_US || durationUs > MAX_DURATION_US) {
            throw new IllegalArgumentException(
                    "durationUs must be in ["
                            + MIN_DURATION_US
                            + ", "
                            + MAX_DURATION_US
                            + "], was "
                            + durationUs);
        }
        this.params = params;
        this.durationUs = durationUs;
    }

    /**
     * Displayed digit side for an MNIST-DVS scale: {@code round(8.5 scale)}: 34, 68, 136
     * (calibrated on scale 4, see the class documentation).
     */
    public static int digitSizePx(int scale) {
        if (scale != 4 && scale != 8 && scale != 16) {
            throw new IllegalArgumentException("MNIST-DVS scale must be 4, 8 or 16, was " + scale);
        }
        return (int) Math.round(8.5 * scale);
    }

    /** Start of display frame {@code k} (µs): {@code round(k 10^6 / 60)}. */
    static long displayFrameUs(int k) {
        return Math.round(k * 1e6 / DISPLAY_HZ);
    }

    /**
     * The path of a digit of side {@code sizePx} for {@code seed} (one centre per display frame).
     */
    public DigitPath path(double sizePx, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        double fx = 0.3 + 0.4 * random.nextDouble();
        double fy = 0.3 + 0.4 * random.nextDouble();
        double px = 2 * Math.PI * random.nextDouble();
        double py = 2 * Math.PI * random.nextDouble();
        int frames = 0;
        while (displayFrameUs(frames) < durationUs) {
            frames++;
        }
        long[] t = new long[frames];
        double[] cx = new double[frames];
        double[] cy = new double[frames];
        double mid = SENSOR_SIZE / 2.0;
        for (int k = 0; k < frames; k++) {
            t[k] = displayFrameUs(k);
            double s = t[k] * 1e-6;
            cx[k] = mid + PATH_AMPLITUDE_PX * StrictMath.sin(2 * Math.PI * fx * s + px);
            cy[k] = mid + PATH_AMPLITUDE_PX * StrictMath.sin(2 * Math.PI * fy * s + py);
        }
        return new DigitPath(sizePx, t, cx, cy);
    }

    /**
     * Emulates one recording: renders the digit along {@link #path} and feeds the emulator, handing
     * full packets (and the last one) to {@code sink}.
     *
     * @param digit 28 x 28 unsigned bytes, row-major
     * @param scale MNIST-DVS scale (4, 8 or 16)
     * @param seed seed of the path and the emulator
     * @param streamId stream id of the packets
     * @return the digit's path
     */
    public DigitPath emulate(byte[] digit, int scale, long seed, String streamId, PacketSink sink)
            throws IOException {
        if (digit.length != SIDE * SIDE) {
            throw new IllegalArgumentException(
                    "digit must be 28x28 = 784 bytes, was " + digit.length);
        }
        DigitPath path = path(digitSizePx(scale), seed);
        DvsEmulator emulator =
                new DvsEmulator(
                        SENSOR_SIZE,
                        SENSOR_SIZE,
                        params,
                        SplitMix64.mix(seed ^ 0x5DEECE66DL),
                        streamId,
                        4096);
        float[] held = new float[SENSOR_SIZE * SENSOR_SIZE];
        float[] shown = new float[SENSOR_SIZE * SENSOR_SIZE];
        double size = path.sizePx();
        render(digit, size, path.centerX()[0], path.centerY()[0], held);
        emulator.process(held, 0L, sink);
        for (int k = 1; k < path.frames(); k++) {
            long t = path.tUs()[k];
            emulator.process(held, t, sink); // previous image held until the refresh
            render(digit, size, path.centerX()[k], path.centerY()[k], shown);
            emulator.process(shown, t + LCD_RESPONSE_US, sink); // new image settled
            float[] swap = held;
            held = shown;
            shown = swap;
        }
        if (durationUs > emulator.lastFrameUs()) {
            emulator.process(held, durationUs, sink);
        }
        emulator.flush(sink);
        return path;
    }

    /**
     * Renders the digit with its centre at {@code (cx, cy)} and side {@code sizePx} into {@code
     * frame} (128 x 128 linear intensities), bicubic upscaling then display gamma.
     */
    public static void render(byte[] digit, double sizePx, double cx, double cy, float[] frame) {
        float black = (float) LCD_BLACK;
        java.util.Arrays.fill(frame, black);
        double left = cx - sizePx / 2;
        double top = cy - sizePx / 2;
        double perPixel = SIDE / sizePx; // source pixels per sensor pixel
        int x0 = Math.max(0, (int) Math.floor(left) - 1);
        int x1 = Math.min(SENSOR_SIZE - 1, (int) Math.ceil(left + sizePx) + 1);
        int y0 = Math.max(0, (int) Math.floor(top) - 1);
        int y1 = Math.min(SENSOR_SIZE - 1, (int) Math.ceil(top + sizePx) + 1);
        double[] wx = new double[4];
        double[] wy = new double[4];
        for (int y = y0; y <= y1; y++) {
            double v = (y + 0.5 - top) * perPixel - 0.5;
            int vy = (int) Math.floor(v);
            weights(v - vy, wy);
            for (int x = x0; x <= x1; x++) {
                double u = (x + 0.5 - left) * perPixel - 0.5;
                int ux = (int) Math.floor(u);
                weights(u - ux, wx);
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    int sy = vy - 1 + j;
                    if (sy < 0 || sy >= SIDE) {
                        continue;
                    }
                    double row = 0;
                    for (int i = 0; i < 4; i++) {
                        int sx = ux - 1 + i;
                        if (sx >= 0 && sx < SIDE) {
                            row += wx[i] * (digit[sy * SIDE + sx] & 0xFF);
                        }
                    }
                    sum += wy[j] * row;
                }
                double level = Math.min(1.0, Math.max(0.0, sum / 255.0));
                frame[y * SENSOR_SIZE + x] =
                        (float)
                                (LCD_BLACK
                                        + (1 - LCD_BLACK) * StrictMath.pow(level, DISPLAY_GAMMA));
            }
        }
    }

    /** Keys cubic convolution weights ({@code a = -0.5}) for taps at -1, 0, 1, 2 from offset f. */
    private static void weights(double f, double[] w) {
        w[0] = keys(1 + f);
        w[1] = keys(f);
        w[2] = keys(1 - f);
        w[3] = keys(2 - f);
    }

    private static double keys(double d) {
        double a = -0.5;
        d = Math.abs(d);
        if (d <= 1) {
            return ((a + 2) * d - (a + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        }
        return 0;
    }

    /**
     * The recording path in the MNIST-DVS layout: {@code
     * root/grabbed_data{d}/scale{s}/mnist_{d}_scale{ss}_{nnnn}.aedat}.
     *
     * @param index recording number, 0..9999 (the real dataset counts from 1)
     */
    public static Path recordingPath(Path root, int label, int scale, int index) {
        digitSizePx(scale);
        if (label < 0 || label > 9 || index < 0 || index > 9999) {
            throw new IllegalArgumentException(
                    "label must be 0..9 and index 0..9999, was " + label + " and " + index);
        }
        String name = String.format(Locale.ROOT, "mnist_%d_scale%02d_%04d", label, scale, index);
        return root.resolve("grabbed_data" + label)
                .resolve("scale" + scale)
                .resolve(name + ".aedat");
    }

    /** The sidecar of a recording: {@code .aedat} replaced by {@code .emulation.csv}. */
    public static Path sidecarPath(Path recording) {
        String name = recording.getFileName().toString();
        String stem = name.endsWith(".aedat") ? name.substring(0, name.length() - 6) : name;
        return recording.resolveSibling(stem + ".emulation.csv");
    }

    /**
     * Emulates a recording and writes it (AEDAT 2.0) with its sidecar in the MNIST-DVS layout under
     * {@code root}; the sidecar's split is {@link DatasetSplit#UNSPLIT}.
     *
     * @return the {@code .aedat} file written
     */
    public Path writeRecording(Path root, int label, int index, int scale, byte[] digit, long seed)
            throws IOException {
        return writeRecording(root, label, index, scale, digit, seed, DatasetSplit.UNSPLIT);
    }

    /**
     * Emulates a recording and writes it (AEDAT 2.0, display coordinates as the real dataset: see
     * the class documentation) with its sidecar in the MNIST-DVS layout under {@code root}.
     *
     * @param split the split of the real digits {@code digit} comes from (written to the sidecar)
     * @return the {@code .aedat} file written
     */
    public Path writeRecording(
            Path root, int label, int index, int scale, byte[] digit, long seed, DatasetSplit split)
            throws IOException {
        Path aedat = recordingPath(root, label, scale, index);
        Files.createDirectories(aedat.getParent());
        String stem = aedat.getFileName().toString().replace(".aedat", "");
        DigitPath path;
        try (EventWriter writer =
                EventFormats.writer(
                        aedat,
                        EventFormat.AEDAT2,
                        WriterOptions.of(SENSOR_SIZE, SENSOR_SIZE).withDevice("DVS128"))) {
            path = emulate(digit, scale, seed, stem, writer::write);
        }
        try (BufferedWriter out =
                Files.newBufferedWriter(sidecarPath(aedat), StandardCharsets.UTF_8)) {
            writeSidecar(out, label, scale, seed, digit, path, split);
        }
        return aedat;
    }

    /** Writes the sidecar text (format in the class documentation) with an unsplit source. */
    static void writeSidecar(
            Appendable out, int label, int scale, long seed, byte[] digit, DigitPath path)
            throws IOException {
        writeSidecar(out, label, scale, seed, digit, path, DatasetSplit.UNSPLIT);
    }

    /** Writes the sidecar text (format in the class documentation). */
    static void writeSidecar(
            Appendable out,
            int label,
            int scale,
            long seed,
            byte[] digit,
            DigitPath path,
            DatasetSplit split)
            throws IOException {
        out.append("# dvsflow MNIST-DVS emulation v1\n");
        out.append("label,").append(Integer.toString(label)).append('\n');
        out.append("scale,").append(Integer.toString(scale)).append('\n');
        out.append("digit_size_px,").append(Integer.toString((int) path.sizePx())).append('\n');
        out.append("seed,").append(Long.toString(seed)).append('\n');
        out.append("sensor,").append(SENSOR_SIZE + "," + SENSOR_SIZE).append('\n');
        out.append("split,").append(split.shortName()).append('\n');
        out.append("file_y,down").append('\n');
        StringBuilder hex = new StringBuilder(digit.length * 2);
        for (byte b : digit) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16))
                    .append(Character.forDigit(b & 0xF, 16));
        }
        out.append("target,").append(hex).append('\n');
        out.append("t_us,center_x,center_y\n");
        for (int k = 0; k < path.frames(); k++) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%.4f,%.4f\n",
                            path.tUs()[k],
                            path.centerX()[k],
                            path.centerY()[k]));
        }
    }
}
