package io.dvsflow.connectors.emulator;

/**
 * Parameters of the {@link DvsEmulator} pixel model (v2e / ESIM). Thresholds are in log-intensity
 * units (natural log), rates in Hz per pixel, times in microseconds (µs).
 *
 * @param thresholdOn nominal ON contrast threshold {@code theta_on} (log units, default {@code
 *     0.2}); an ON event fires each time {@code ln(I + eps)} rises by this much above the pixel's
 *     reference level
 * @param thresholdOff nominal OFF contrast threshold {@code theta_off} (log units, default {@code
 *     0.2})
 * @param thresholdSigma standard deviation of the per-pixel threshold mismatch (log units, default
 *     {@code 0.03}): each pixel draws {@code theta ~ N(nominal, sigma)} once, clamped to at least
 *     {@link #MIN_THRESHOLD}; {@code 0} gives every pixel the nominal thresholds
 * @param logEps {@code eps} in {@code L = ln(I + eps)} (default {@code 0.001}, as ESIM); keeps the
 *     log finite at black
 * @param cutoffHz photoreceptor low-pass corner frequency {@code f_c} at full brightness (Hz,
 *     default {@code 0} = no low-pass); v2e uses about 300 Hz
 * @param maxStepUs longest simulation step when the low-pass is on (µs, default {@code 200}, i.e.
 *     at least 5 kHz); frame intervals are split into equal steps no longer than this
 * @param refractoryUs refractory period {@code T_ref} (µs, default {@code 500} as v2e): a pixel's
 *     event closer than this to its previous emitted event is dropped; {@code 0} disables it
 * @param leakRateHz leak event rate {@code R_leak} (Hz, default {@code 0.1}); {@code 0} disables
 *     leak events
 * @param shotNoiseRateHz shot-noise event rate per pixel (Hz, default {@code 0}); {@code 0}
 *     disables shot noise
 */
public record EmulatorParameters(
        double thresholdOn,
        double thresholdOff,
        double thresholdSigma,
        double logEps,
        double cutoffHz,
        long maxStepUs,
        long refractoryUs,
        double leakRateHz,
        double shotNoiseRateHz) {

    /** Smallest per-pixel threshold after mismatch (log units), as v2e. */
    public static final double MIN_THRESHOLD = 0.01;

    /** Largest accepted nominal threshold (log units). */
    public static final double MAX_THRESHOLD = 10.0;

    /** Largest accepted noise rate (Hz per pixel). */
    public static final double MAX_NOISE_RATE_HZ = 10_000.0;

    /** Largest accepted photoreceptor corner frequency (Hz). */
    public static final double MAX_CUTOFF_HZ = 1_000_000.0;

    /** Largest accepted refractory period (µs): 10 s. */
    public static final long MAX_REFRACTORY_US = 10_000_000L;

    /** Validates every parameter (ranges in the constants above). */
    public EmulatorParameters {
        requireRange("thresholdOn", thresholdOn, MIN_THRESHOLD, MAX_THRESHOLD);
        requireRange("thresholdOff", thresholdOff, MIN_THRESHOLD, MAX_THRESHOLD);
        requireRange("thresholdSigma", thresholdSigma, 0.0, 1.0);
        if (!(logEps > 0 && logEps <= 1)) {
            throw new IllegalArgumentException("logEps must be in (0, 1], was " + logEps);
        }
        requireRange("cutoffHz", cutoffHz, 0.0, MAX_CUTOFF_HZ);
        if (maxStepUs < 1 || maxStepUs > 1_000_000L) {
            throw new IllegalArgumentException(
                    "maxStepUs must be in [1, 1000000] µs, was " + maxStepUs);
        }
        if (refractoryUs < 0 || refractoryUs > MAX_REFRACTORY_US) {
            throw new IllegalArgumentException(
                    "refractoryUs must be in [0, "
                            + MAX_REFRACTORY_US
                            + "] µs, was "
                            + refractoryUs);
        }
        requireRange("leakRateHz", leakRateHz, 0.0, MAX_NOISE_RATE_HZ);
        requireRange("shotNoiseRateHz", shotNoiseRateHz, 0.0, MAX_NOISE_RATE_HZ);
    }

    private static void requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    /**
     * The documented defaults: thresholds 0.2 / 0.2 with sigma 0.03, eps 0.001, no low-pass (step
     * 200 µs if enabled), refractory 500 µs, leak 0.1 Hz, no shot noise.
     */
    public static EmulatorParameters defaults() {
        return new EmulatorParameters(0.2, 0.2, 0.03, 0.001, 0.0, 200, 500, 0.1, 0.0);
    }

    /**
     * An ideal sensor: the given thresholds, no mismatch, no low-pass, no refractory period, no
     * noise. Events then depend only on the frames (ESIM's model).
     */
    public static EmulatorParameters ideal(double thresholdOn, double thresholdOff) {
        return new EmulatorParameters(thresholdOn, thresholdOff, 0.0, 0.001, 0.0, 200, 0, 0, 0);
    }

    public EmulatorParameters withThresholds(double on, double off) {
        return new EmulatorParameters(
                on,
                off,
                thresholdSigma,
                logEps,
                cutoffHz,
                maxStepUs,
                refractoryUs,
                leakRateHz,
                shotNoiseRateHz);
    }

    public EmulatorParameters withThresholdSigma(double sigma) {
        return new EmulatorParameters(
                thresholdOn,
                thresholdOff,
                sigma,
                logEps,
                cutoffHz,
                maxStepUs,
                refractoryUs,
                leakRateHz,
                shotNoiseRateHz);
    }

    /**
     * Photoreceptor low-pass at {@code hz} (0 = off), simulated in steps of at most {@code stepUs}.
     */
    public EmulatorParameters withLowPass(double hz, long stepUs) {
        return new EmulatorParameters(
                thresholdOn,
                thresholdOff,
                thresholdSigma,
                logEps,
                hz,
                stepUs,
                refractoryUs,
                leakRateHz,
                shotNoiseRateHz);
    }

    public EmulatorParameters withRefractoryUs(long us) {
        return new EmulatorParameters(
                thresholdOn,
                thresholdOff,
                thresholdSigma,
                logEps,
                cutoffHz,
                maxStepUs,
                us,
                leakRateHz,
                shotNoiseRateHz);
    }

    /** Leak and shot-noise rates (Hz per pixel). */
    public EmulatorParameters withNoise(double leakHz, double shotHz) {
        return new EmulatorParameters(
                thresholdOn,
                thresholdOff,
                thresholdSigma,
                logEps,
                cutoffHz,
                maxStepUs,
                refractoryUs,
                leakHz,
                shotHz);
    }

    /** {@code true} when the photoreceptor low-pass is simulated. */
    public boolean lowPassEnabled() {
        return cutoffHz > 0;
    }
}
