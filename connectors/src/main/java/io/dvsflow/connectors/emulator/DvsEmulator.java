package io.dvsflow.connectors.emulator;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Emulates a DVS from intensity frames (the v2e / ESIM pixel model) and streams the events into
 * reused {@link EventPacket}s, so a long video never sits in memory.
 *
 * <p>Input: frames of linear intensity {@code I} (row-major {@code float[width * height]}, values
 * {@code >= 0}, 1 = full white) with strictly increasing timestamps in µs. The first frame only
 * initialises the pixels. Each later frame ends an interval {@code (t0, t1]} whose events are
 * produced, sorted and appended to the current packet; full packets go to the {@link PacketSink}
 * (then the packet is cleared and reused); {@link #flush} hands over the last, partial packet.
 *
 * <p>Model, per pixel {@code i} (see the package documentation for the derivation):
 *
 * <ul>
 *   <li>log intensity {@code L = ln(I + eps)}, linear in time between frames;
 *   <li>optional photoreceptor low-pass (v2e), simulated in steps {@code dt <= maxStepUs}: {@code
 *       tau = 1 / (2 pi f_c)}, {@code e = min(1, (255 I + 20) / 275 * dt / tau)}, {@code Lp <- (1 -
 *       e) Lp + e L}; events then follow {@code Lp}, linear within each step; a pixel whose input
 *       is constant over the interval and whose output is within {@link #SETTLED} of it is
 *       simulated as one segment;
 *   <li>reference level {@code r}, drifting down by leak {@code dr/dt = -R_leak theta_on m_i} with
 *       {@code m_i = 10^(0.1 N(0,1))}; the difference {@code D(t) = L(t) - r(t)} is linear within a
 *       step, so the k-th ON crossing is at {@code t = ta + (k theta_on - D_a) / (D_b - D_a) (tb -
 *       ta)} and OFF likewise at {@code -k theta_off}; after each crossing {@code r += theta_on}
 *       (ON) or {@code r -= theta_off} (OFF). Without leak this is exactly ESIM's {@code t = t0 +
 *       (c - L0) / (L1 - L0) (t1 - t0)} with {@code c = r + p theta_p}, several crossings per
 *       interval;
 *   <li>a crossing whose level lies within {@link #CROSSING_TOLERANCE} of the end value counts (so
 *       a ramp of exactly k thresholds gives k events despite rounding);
 *   <li>event times are rounded to the nearest µs;
 *   <li>refractory period: an event less than {@code refractoryUs} after the pixel's last emitted
 *       event is dropped, but the reference still moves to the crossed level (the pixel is held in
 *       reset: the change is lost, not delayed);
 *   <li>shot noise: a Poisson number of events with mean {@code rate * pixels * (t1 - t0)} per
 *       interval, each at a uniform pixel, a uniform integer time in {@code (t0, t1]} and a fair
 *       polarity; they neither move the reference nor obey the refractory period;
 *   <li>thresholds {@code theta ~ N(nominal, sigma)} clamped to {@link
 *       EmulatorParameters#MIN_THRESHOLD} and leak factors are drawn once at construction; when
 *       leak is on, the first frame sets {@code r = L - u theta_on} with {@code u ~ U[0, 1)} so
 *       that leak events of a uniform scene are not synchronous (as v2e).
 * </ul>
 *
 * <p>Ordering: events of one interval are sorted by time, then by pixel index {@code y * width +
 * x}, then OFF before ON. Intervals follow each other, so the stream is non-decreasing in time.
 *
 * <p>Randomness comes from one {@link SplitMix64} seeded by the constructor, drawn in a fixed order
 * (per pixel: ON threshold, OFF threshold, leak factor; at the first frame: leak phases; per
 * interval: shot noise), and all transcendental functions are {@link StrictMath}: a seed gives the
 * same events bit for bit. {@link #snapshot()} / {@link #restore} capture and restore the whole
 * state, including the generator.
 *
 * <pre>{@code
 * DvsEmulator emulator = new DvsEmulator(128, 128, EmulatorParameters.defaults(), 42L, "emu", 4096);
 * emulator.process(frame0, 0L, writer::write);
 * emulator.process(frame1, 16_667L, writer::write);
 * emulator.flush(writer::write);
 * }</pre>
 *
 * <p>Not thread-safe. Allocation: none per event; the per-interval event buffer grows geometrically
 * when an interval holds more events than ever before.
 */
public final class DvsEmulator {

    /** Largest number of pixels ({@code width * height}): 4096 x 4096. */
    public static final int MAX_PIXELS = 1 << 24;

    /** Longest accepted interval between two frames (µs): about 35.8 minutes. */
    public static final long MAX_FRAME_INTERVAL_US = Integer.MAX_VALUE;

    /** Tolerance (log units) below which a crossing level still counts as reached. */
    public static final double CROSSING_TOLERANCE = 1e-9;

    /** Spread of the per-pixel leak factor {@code m_i = 10^(LEAK_SPREAD_DECADES N(0,1))}. */
    public static final double LEAK_SPREAD_DECADES = 0.1;

    /**
     * Distance (log units) under which a low-passed pixel with a constant input counts as settled:
     * its filter output snaps to the input and the interval is simulated as one segment.
     */
    public static final double SETTLED = 1e-12;

    private static final int COUNTER_ON = 0;
    private static final int COUNTER_OFF = 1;
    private static final int COUNTER_REFRACTORY = 2;
    private static final int COUNTER_SHOT = 3;
    private static final long NEVER = Long.MIN_VALUE / 4;

    private final int width;
    private final int height;
    private final int pixels;
    private final EmulatorParameters params;
    private final SplitMix64 random;

    private final double[] thetaOn;
    private final double[] thetaOff;
    private final double[] leakPerUs;
    private final double[] reference;
    private double[] logIntensity;
    private double[] nextLogIntensity;
    private final double[] filtered;
    private final float[] intensity;
    private final long[] lastEventUs;
    private final long[] counters = new long[4];

    private boolean started;
    private long lastFrameUs;

    private final EventPacket packet;
    private long[] keys = new long[1024];
    private int keyCount;
    private long intervalStartUs;

    /**
     * Creates an emulator and draws the per-pixel thresholds and leak factors from {@code seed}.
     *
     * @param width sensor width in pixels (1..32767)
     * @param height sensor height in pixels (1..32767), {@code width * height <= MAX_PIXELS}
     * @param params the pixel model
     * @param seed seed of every random choice
     * @param streamId stream id of the produced packets
     * @param packetCapacity events per packet handed to the sink (at least 1)
     */
    public DvsEmulator(
            int width,
            int height,
            EmulatorParameters params,
            long seed,
            String streamId,
            int packetCapacity) {
        if (width < 1 || height < 1 || width > Short.MAX_VALUE || height > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "sensor size must be in [1, 32767], was " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException(
                    "sensor " + width + "x" + height + " exceeds " + MAX_PIXELS + " pixels");
        }
        if (packetCapacity < 1) {
            throw new IllegalArgumentException(
                    "packetCapacity must be >= 1, was " + packetCapacity);
        }
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.params = Objects.requireNonNull(params, "params");
        this.random = new SplitMix64(seed);
        this.packet = new EventPacket(streamId, width, height, packetCapacity);
        this.thetaOn = new double[pixels];
        this.thetaOff = new double[pixels];
        this.leakPerUs = new double[pixels];
        this.reference = new double[pixels];
        this.logIntensity = new double[pixels];
        this.nextLogIntensity = new double[pixels];
        this.filtered = new double[pixels];
        this.intensity = new float[pixels];
        this.lastEventUs = new long[pixels];
        Arrays.fill(lastEventUs, NEVER);
        double sigma = params.thresholdSigma();
        double leakBase = params.leakRateHz() * 1e-6;
        for (int i = 0; i < pixels; i++) {
            double on = params.thresholdOn();
            double off = params.thresholdOff();
            if (sigma > 0) {
                on += sigma * random.nextGaussian();
                off += sigma * random.nextGaussian();
            }
            thetaOn[i] = Math.max(EmulatorParameters.MIN_THRESHOLD, on);
            thetaOff[i] = Math.max(EmulatorParameters.MIN_THRESHOLD, off);
            if (leakBase > 0) {
                double m = StrictMath.pow(10.0, LEAK_SPREAD_DECADES * random.nextGaussian());
                leakPerUs[i] = leakBase * thetaOn[i] * m;
            }
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public EmulatorParameters parameters() {
        return params;
    }

    /** Time of the last frame processed (µs); undefined before the first frame. */
    public long lastFrameUs() {
        return lastFrameUs;
    }

    /** ON threshold of pixel {@code (x, y)} (log units). */
    public double thresholdOn(int x, int y) {
        return thetaOn[y * width + x];
    }

    /** OFF threshold of pixel {@code (x, y)} (log units). */
    public double thresholdOff(int x, int y) {
        return thetaOff[y * width + x];
    }

    /** Emitted ON events so far (signal and noise). */
    public long onEvents() {
        return counters[COUNTER_ON];
    }

    /** Emitted OFF events so far (signal and noise). */
    public long offEvents() {
        return counters[COUNTER_OFF];
    }

    /** Threshold crossings dropped by the refractory period so far. */
    public long refractoryDrops() {
        return counters[COUNTER_REFRACTORY];
    }

    /** Shot-noise events emitted so far (included in the ON/OFF counts). */
    public long shotNoiseEvents() {
        return counters[COUNTER_SHOT];
    }

    /** State of the random generator (also part of {@link #snapshot()}). */
    public long rngState() {
        return random.state();
    }

    /**
     * Processes one frame taken at {@code tUs}: emits the events of the interval since the previous
     * frame (none for the first frame).
     *
     * @param frame linear intensities, row-major, {@code width * height} values, each finite and
     *     {@code >= 0}
     * @param tUs frame time (µs), greater than the previous frame's, at most {@link
     *     #MAX_FRAME_INTERVAL_US} after it
     * @param sink receives each packet that becomes full
     * @throws IllegalArgumentException for a wrong frame size, a bad value or a bad time
     * @throws IOException when the sink throws
     */
    public void process(float[] frame, long tUs, PacketSink sink) throws IOException {
        if (frame.length != pixels) {
            throw new IllegalArgumentException(
                    "frame has " + frame.length + " values, expected " + width + "x" + height);
        }
        if (started) {
            if (tUs <= lastFrameUs || tUs - lastFrameUs > MAX_FRAME_INTERVAL_US) {
                throw new IllegalArgumentException(
                        "frame time "
                                + tUs
                                + " µs must be in ("
                                + lastFrameUs
                                + ", "
                                + (lastFrameUs + MAX_FRAME_INTERVAL_US)
                                + "]");
            }
        }
        double eps = params.logEps();
        for (int i = 0; i < pixels; i++) {
            float v = frame[i];
            if (!(v >= 0) || v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "intensity at pixel ("
                                + (i % width)
                                + ", "
                                + (i / width)
                                + ") must be finite and >= 0, was "
                                + v);
            }
            nextLogIntensity[i] = StrictMath.log(v + eps);
        }
        if (!started) {
            initialise(frame, tUs);
            return;
        }
        keyCount = 0;
        intervalStartUs = lastFrameUs;
        if (params.lowPassEnabled()) {
            lowPassInterval(frame, lastFrameUs, tUs);
        } else {
            double t0 = lastFrameUs;
            double t1 = tUs;
            for (int i = 0; i < pixels; i++) {
                crossSegment(i, t0, t1, logIntensity[i], nextLogIntensity[i]);
            }
        }
        addShotNoise(lastFrameUs, tUs);
        double[] swap = logIntensity;
        logIntensity = nextLogIntensity;
        nextLogIntensity = swap;
        System.arraycopy(frame, 0, intensity, 0, pixels);
        lastFrameUs = tUs;
        emitSorted(sink);
    }

    /** Hands the events not yet delivered (a partial packet) to {@code sink}, if any. */
    public void flush(PacketSink sink) throws IOException {
        if (!packet.isEmpty()) {
            sink.accept(packet);
            packet.clear();
        }
    }

    private void initialise(float[] frame, long tUs) {
        double[] swap = logIntensity;
        logIntensity = nextLogIntensity;
        nextLogIntensity = swap;
        boolean leak = params.leakRateHz() > 0;
        for (int i = 0; i < pixels; i++) {
            double l = logIntensity[i];
            filtered[i] = l;
            reference[i] = leak ? l - random.nextDouble() * thetaOn[i] : l;
        }
        System.arraycopy(frame, 0, intensity, 0, pixels);
        lastFrameUs = tUs;
        started = true;
    }

    private void lowPassInterval(float[] frame, long t0, long t1) {
        long span = t1 - t0;
        long steps = (span + params.maxStepUs() - 1) / params.maxStepUs();
        double stepUs = (double) span / steps;
        double tau = 1.0 / (2.0 * Math.PI * params.cutoffHz());
        double stepOverTau = stepUs * 1e-6 / tau;
        for (int i = 0; i < pixels; i++) {
            double l0 = logIntensity[i];
            double dl = nextLogIntensity[i] - l0;
            double i0 = intensity[i];
            double di = frame[i] - i0;
            double lp = filtered[i];
            if (dl == 0 && Math.abs(lp - l0) < SETTLED) {
                // settled pixel under a constant input: one segment, the filter output stays put
                filtered[i] = l0;
                crossSegment(i, t0, t1, l0, l0);
                continue;
            }
            double ta = t0;
            for (long s = 1; s <= steps; s++) {
                double f = (double) s / steps;
                double in = l0 + dl * f;
                double e = Math.min(1.0, (255.0 * (i0 + di * f) + 20.0) / 275.0 * stepOverTau);
                double next = (1.0 - e) * lp + e * in;
                double tb = s == steps ? t1 : t0 + stepUs * s;
                crossSegment(i, ta, tb, lp, next);
                lp = next;
                ta = tb;
            }
            filtered[i] = lp;
        }
    }

    /**
     * Emits the crossings of pixel {@code i} while its input goes linearly from {@code a} at {@code
     * ta} to {@code b} at {@code tb} (µs, as doubles), and advances its reference to {@code tb}.
     */
    private void crossSegment(int i, double ta, double tb, double a, double b) {
        double r = reference[i];
        double span = tb - ta;
        double drift = leakPerUs[i] * span;
        double d0 = a - r;
        double d1 = b - r + drift;
        double on = thetaOn[i];
        double off = thetaOff[i];
        double denom = d1 - d0;
        if (d1 >= on - CROSSING_TOLERANCE) {
            int k = 1;
            while (k * on <= d1 + CROSSING_TOLERANCE) {
                double f = denom > 0 ? (k * on - d0) / denom : 1.0;
                emit(i, ta + clamp01(f) * span, 1);
                k++;
            }
            r += (k - 1) * on;
        } else if (d1 <= -off + CROSSING_TOLERANCE) {
            int k = 1;
            while (-k * off >= d1 - CROSSING_TOLERANCE) {
                double f = denom < 0 ? (-k * off - d0) / denom : 1.0;
                emit(i, ta + clamp01(f) * span, 0);
                k++;
            }
            r -= (k - 1) * off;
        }
        reference[i] = r - drift;
    }

    private static double clamp01(double f) {
        return f < 0 ? 0 : (f > 1 ? 1 : f);
    }

    private void emit(int i, double t, int polarity) {
        long tu = Math.round(t);
        if (tu - lastEventUs[i] < params.refractoryUs()) {
            counters[COUNTER_REFRACTORY]++;
            return;
        }
        lastEventUs[i] = tu;
        addKey(tu, i, polarity);
    }

    private void addKey(long tu, int pixel, int polarity) {
        if (keyCount == keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        // relative time in the high 32 bits, pixel index in bits 31..1, polarity in bit 0
        keys[keyCount++] = ((tu - intervalStartUs) << 32) | ((long) pixel << 1) | polarity;
    }

    private void addShotNoise(long t0, long t1) {
        double rate = params.shotNoiseRateHz();
        if (rate <= 0) {
            return;
        }
        long span = t1 - t0;
        long n = random.nextPoisson(rate * pixels * (span * 1e-6));
        for (long k = 0; k < n; k++) {
            int pixel = random.nextInt(pixels);
            long t = t0 + 1 + random.nextLong(span);
            int polarity = random.nextBoolean() ? 1 : 0;
            addKey(t, pixel, polarity);
            counters[COUNTER_SHOT]++;
        }
    }

    private void emitSorted(PacketSink sink) throws IOException {
        Arrays.sort(keys, 0, keyCount);
        long base = intervalStartUs;
        for (int k = 0; k < keyCount; k++) {
            long key = keys[k];
            int pixel = (int) ((key >>> 1) & 0x7FFFFFFFL);
            int polarity = (int) (key & 1);
            counters[polarity == 1 ? COUNTER_ON : COUNTER_OFF]++;
            packet.add(base + (key >>> 32), pixel % width, pixel / width, polarity);
            if (packet.isFull()) {
                sink.accept(packet);
                packet.clear();
            }
        }
        keyCount = 0;
    }

    /** Captures the complete state (copies); see {@link EmulatorSnapshot}. */
    public EmulatorSnapshot snapshot() {
        return new EmulatorSnapshot(
                width,
                height,
                random.state(),
                started,
                lastFrameUs,
                thetaOn.clone(),
                thetaOff.clone(),
                leakPerUs.clone(),
                reference.clone(),
                logIntensity.clone(),
                filtered.clone(),
                intensity.clone(),
                lastEventUs.clone(),
                packet.copy(),
                counters.clone());
    }

    /**
     * Restores a state captured by {@link #snapshot()} of an emulator with the same geometry (and,
     * for an identical continuation, the same parameters).
     *
     * @throws IllegalArgumentException when the geometry or an array length differs
     */
    public void restore(EmulatorSnapshot s) {
        if (s.width() != width || s.height() != height) {
            throw new IllegalArgumentException(
                    "snapshot of a "
                            + s.width()
                            + "x"
                            + s.height()
                            + " sensor cannot restore a "
                            + width
                            + "x"
                            + height
                            + " emulator");
        }
        copyInto(s.thetaOn(), thetaOn);
        copyInto(s.thetaOff(), thetaOff);
        copyInto(s.leakPerUs(), leakPerUs);
        copyInto(s.reference(), reference);
        copyInto(s.logIntensity(), logIntensity);
        copyInto(s.filtered(), filtered);
        copyInto(s.intensity(), intensity);
        copyInto(s.lastEventUs(), lastEventUs);
        if (s.counters().length != counters.length) {
            throw new IllegalArgumentException("snapshot counters have the wrong length");
        }
        System.arraycopy(s.counters(), 0, counters, 0, counters.length);
        random.setState(s.rngState());
        started = s.started();
        lastFrameUs = s.lastFrameUs();
        packet.clear();
        packet.addAll(s.pending());
    }

    private void copyInto(Object from, Object to) {
        int n = java.lang.reflect.Array.getLength(from);
        if (n != pixels) {
            throw new IllegalArgumentException(
                    "snapshot array of length " + n + " for " + pixels + " pixels");
        }
        System.arraycopy(from, 0, to, 0, n);
    }
}
