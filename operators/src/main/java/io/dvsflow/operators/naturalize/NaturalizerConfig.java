package io.dvsflow.operators.naturalize;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a classical naturalizer ({@link NaturalizerFunction}), validated on construction.
 *
 * <p>Per pixel, the image follows the high-pass filter of Scheerlinck, Barnes and Mahony (ACCV
 * 2018): {@code L <- exp(-alpha Δt) L + c p} at each event ({@code p = ±1}), and pure decay {@code
 * L(t) = exp(-alpha (t - t_last)) L(t_last)} between events. With {@code alpha = 0} this is direct
 * integration, {@code L += c p}.
 *
 * <pre>{@code
 * NaturalizerConfig hpf = NaturalizerConfig.highPass(Duration.ofMillis(20), 240, 180, 0.1f, 2 * Math.PI);
 * NaturalizerConfig sum = NaturalizerConfig.directIntegration(Duration.ofMillis(20), 240, 180, 0.1f);
 * }</pre>
 *
 * @param window length of the aligned, half-open emission windows, a positive whole number of µs
 * @param sensorWidth sensor width in pixels (events outside are dropped and counted)
 * @param sensorHeight sensor height in pixels
 * @param contrast the log-intensity step {@code c > 0} added per event
 * @param cutoffRadPerSecond the filter's cut-off {@code alpha >= 0} in rad/s ({@code 0}: direct
 *     integration)
 * @param stateRetention how long (event time) after the end of the last emitted window the image is
 *     kept; after that the next event starts from a zero image. {@code null} = unbounded (kept
 *     until the end of the stream). Default: {@code 10 / alpha} seconds for the high-pass filter
 *     (the image has decayed to {@code e^-10 ≈ 4.5e-5} of its value by then), unbounded for direct
 *     integration
 */
public record NaturalizerConfig(
        Duration window,
        int sensorWidth,
        int sensorHeight,
        float contrast,
        double cutoffRadPerSecond,
        Duration stateRetention)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Largest sensor side accepted (coordinates are 16-bit). */
    public static final int MAX_SENSOR_SIDE = 1 << 15;

    /** Number of time constants {@code 1/alpha} the high-pass image is kept by default. */
    public static final double DEFAULT_RETENTION_TIME_CONSTANTS = 10.0;

    /** Validates every setting; the messages name the offending value. */
    public NaturalizerConfig {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.toNanos() % 1_000L != 0) {
            throw new IllegalArgumentException(
                    "window must be a positive whole number of microseconds, was " + window);
        }
        if (sensorWidth < 1
                || sensorHeight < 1
                || sensorWidth > MAX_SENSOR_SIDE
                || sensorHeight > MAX_SENSOR_SIDE) {
            throw new IllegalArgumentException(
                    "sensor size must be in [1, "
                            + MAX_SENSOR_SIDE
                            + "], was "
                            + sensorWidth
                            + "x"
                            + sensorHeight);
        }
        if (!(contrast > 0f) || Float.isInfinite(contrast)) {
            throw new IllegalArgumentException("contrast must be finite and > 0, was " + contrast);
        }
        if (!(cutoffRadPerSecond >= 0.0) || Double.isInfinite(cutoffRadPerSecond)) {
            throw new IllegalArgumentException(
                    "cutoffRadPerSecond must be finite and >= 0, was " + cutoffRadPerSecond);
        }
        if (stateRetention != null && stateRetention.isNegative()) {
            throw new IllegalArgumentException(
                    "stateRetention must be >= 0, was " + stateRetention);
        }
    }

    /** Direct integration {@code L += c p}, image kept until the end of the stream. */
    public static NaturalizerConfig directIntegration(
            Duration window, int sensorWidth, int sensorHeight, float contrast) {
        return new NaturalizerConfig(window, sensorWidth, sensorHeight, contrast, 0.0, null);
    }

    /** The high-pass filter with the default retention {@code 10 / alpha} s. */
    public static NaturalizerConfig highPass(
            Duration window,
            int sensorWidth,
            int sensorHeight,
            float contrast,
            double cutoffRadPerSecond) {
        Duration retention =
                cutoffRadPerSecond > 0
                        ? Duration.ofNanos(
                                (long)
                                        Math.ceil(
                                                DEFAULT_RETENTION_TIME_CONSTANTS
                                                        / cutoffRadPerSecond
                                                        * 1e9))
                        : null;
        return new NaturalizerConfig(
                window, sensorWidth, sensorHeight, contrast, cutoffRadPerSecond, retention);
    }

    /** A copy with another retention ({@code null} = unbounded). */
    public NaturalizerConfig withStateRetention(Duration retention) {
        return new NaturalizerConfig(
                window, sensorWidth, sensorHeight, contrast, cutoffRadPerSecond, retention);
    }

    /** Window length in µs. */
    public long windowUs() {
        return window.toNanos() / 1_000L;
    }

    /** Retention in µs, {@code Long.MAX_VALUE} when unbounded or too long to represent. */
    public long retentionUs() {
        if (stateRetention == null || stateRetention.getSeconds() >= Long.MAX_VALUE / 1_000_000L) {
            return Long.MAX_VALUE;
        }
        return stateRetention.toNanos() / 1_000L;
    }

    /** {@code integrate} when {@code alpha = 0}, else {@code highpass}. */
    public String kind() {
        return cutoffRadPerSecond == 0.0 ? "integrate" : "highpass";
    }
}
