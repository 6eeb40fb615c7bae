package io.dvsflow.jobs.naturalize;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link NaturalizeJob}.
 *
 * @param method how windows become images
 * @param window window length (half-open, aligned windows)
 * @param sensorWidth sensor width in pixels
 * @param sensorHeight sensor height in pixels
 * @param contrast high-pass / integration contrast {@code c} (log-intensity per event)
 * @param cutoffRadPerSecond high-pass cut-off {@code alpha} in rad/s
 * @param denoise denoise filter before naturalizing: {@code none}, {@code ba} (background activity)
 *     or {@code refractory}
 * @param denoiseWindow correlation time (ba) or refractory period
 * @param maxDisorder event-time disorder tolerated between packets
 * @param idleness wall-clock time after which an idle source split stops holding back watermarks
 * @param vdib the model and operator settings of {@link NaturalizeMethod#VDIB} (null otherwise)
 */
public record NaturalizeSettings(
        NaturalizeMethod method,
        Duration window,
        int sensorWidth,
        int sensorHeight,
        float contrast,
        double cutoffRadPerSecond,
        String denoise,
        Duration denoiseWindow,
        Duration maxDisorder,
        Duration idleness,
        VdibJobOptions vdib)
        implements Serializable {

    public NaturalizeSettings {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(window, "window");
        if (sensorWidth < 1 || sensorHeight < 1) {
            throw new IllegalArgumentException(
                    "the sensor size is unknown ("
                            + sensorWidth
                            + "x"
                            + sensorHeight
                            + "); give it with --sensor WxH");
        }
        if (!denoise.equals("none") && !denoise.equals("ba") && !denoise.equals("refractory")) {
            throw new IllegalArgumentException(
                    "denoise must be none, ba or refractory, was " + denoise);
        }
        if (method == NaturalizeMethod.VDIB && vdib == null) {
            throw new IllegalArgumentException("the vdib method needs a model (--model FILE)");
        }
    }

    /** A copy running the VDIB naturalizer with {@code options}. */
    public NaturalizeSettings withVdib(VdibJobOptions options) {
        return new NaturalizeSettings(
                NaturalizeMethod.VDIB,
                window,
                sensorWidth,
                sensorHeight,
                contrast,
                cutoffRadPerSecond,
                denoise,
                denoiseWindow,
                maxDisorder,
                idleness,
                options);
    }

    /** High-pass, 50 ms windows, c = 0.1, alpha = 2 pi rad/s, no denoise, 5 ms disorder. */
    public static NaturalizeSettings defaults(int width, int height) {
        return new NaturalizeSettings(
                NaturalizeMethod.HIGHPASS,
                Duration.ofMillis(50),
                width,
                height,
                0.1f,
                2 * Math.PI,
                "none",
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofSeconds(10),
                null);
    }

    public NaturalizeSettings withMethod(NaturalizeMethod m) {
        return new NaturalizeSettings(
                m,
                window,
                sensorWidth,
                sensorHeight,
                contrast,
                cutoffRadPerSecond,
                denoise,
                denoiseWindow,
                maxDisorder,
                idleness,
                vdib);
    }

    public NaturalizeSettings withWindow(Duration w) {
        return new NaturalizeSettings(
                method,
                w,
                sensorWidth,
                sensorHeight,
                contrast,
                cutoffRadPerSecond,
                denoise,
                denoiseWindow,
                maxDisorder,
                idleness,
                vdib);
    }

    public NaturalizeSettings withHighPass(float c, double alpha) {
        return new NaturalizeSettings(
                method,
                window,
                sensorWidth,
                sensorHeight,
                c,
                alpha,
                denoise,
                denoiseWindow,
                maxDisorder,
                idleness,
                vdib);
    }

    public NaturalizeSettings withDenoise(String d, Duration w) {
        return new NaturalizeSettings(
                method,
                window,
                sensorWidth,
                sensorHeight,
                contrast,
                cutoffRadPerSecond,
                d,
                w,
                maxDisorder,
                idleness,
                vdib);
    }
}
