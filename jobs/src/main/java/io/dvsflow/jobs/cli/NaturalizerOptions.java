package io.dvsflow.jobs.cli;

import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The naturalizer's options, shared by {@code dvsflow naturalize} and the cluster entry point
 * {@code NaturalizeClusterJob}: method, window, high-pass contrast and cut-off, denoise filter.
 */
public final class NaturalizerOptions {

    @Option(
            names = "--method",
            defaultValue = "highpass",
            paramLabel = "M",
            description =
                    "highpass, integrate, counts, binary, signed, voxel or vdib (default:"
                            + " ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = "--window",
            defaultValue = "50ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Window length (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--contrast",
            defaultValue = "0.1",
            paramLabel = "C",
            description = "Contrast per event c (default: ${DEFAULT-VALUE}).")
    float contrast;

    @Option(
            names = "--cutoff",
            defaultValue = "6.283",
            paramLabel = "RAD_S",
            description = "High-pass cut-off alpha in rad/s (default: ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(
            names = "--denoise",
            defaultValue = "none",
            paramLabel = "F",
            description =
                    "none, ba (background activity) or refractory (default: ${DEFAULT-VALUE}).")
    String denoise;

    @Option(
            names = "--denoise-window",
            defaultValue = "1ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Correlation time or refractory period (default: ${DEFAULT-VALUE}).")
    Duration denoiseWindow;

    /** The method as given. */
    public NaturalizeMethod method() {
        return NaturalizeMethod.parse(method);
    }

    /** The method's name as given on the command line. */
    public String methodName() {
        return method;
    }

    public Duration window() {
        return window;
    }

    /**
     * Settings for a sensor of {@code width x height} with these options ({@code vdib} runs as
     * high-pass here; the learned model is added by the caller).
     */
    public NaturalizeSettings settings(int width, int height) {
        NaturalizeMethod m = method();
        return NaturalizeSettings.defaults(width, height)
                .withMethod(m == NaturalizeMethod.VDIB ? NaturalizeMethod.HIGHPASS : m)
                .withWindow(window)
                .withHighPass(contrast, cutoff)
                .withDenoise(denoise, denoiseWindow);
    }
}
