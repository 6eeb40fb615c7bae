package io.dvsflow.operators.naturalize;

/**
 * The naturalizers' arithmetic, free of Flink.
 *
 * <p>The per-pixel high-pass filter {@code L <- exp(-alpha Δt) L + c p} is linear, so the image at
 * the end {@code e_k} of window {@code k} is
 *
 * <pre>
 *   L(e_k) = exp(-alpha (e_k - e_j)) L(e_j) + D_k,
 *   D_k    = sum over the window's events i of  c p_i exp(-alpha (e_k - t_i)),
 * </pre>
 *
 * where {@code j} is the previously emitted window, {@code p_i = +1} (ON) or {@code -1} (OFF),
 * times in seconds and {@code alpha} in rad/s. The operator therefore keeps one delta {@code D_k}
 * per open window ({@link #accumulate}) and folds it into the image when the window closes ({@link
 * #advance}). The result does not depend on the order of events inside a window, and decay up to
 * the window end is applied to every pixel at emission. With {@code alpha = 0} every weight is
 * exactly {@code c}: direct integration.
 */
public final class HighPassIntegrator {

    /** {@link #pixel} result for an event outside the sensor. */
    public static final int INVALID = -1;

    private final int width;
    private final int height;
    private final double contrast;
    private final double alphaPerUs;

    /** Derives the constants of {@code config}. */
    public HighPassIntegrator(NaturalizerConfig config) {
        this.width = config.sensorWidth();
        this.height = config.sensorHeight();
        this.contrast = config.contrast();
        this.alphaPerUs = config.cutoffRadPerSecond() * 1e-6;
    }

    /** Number of pixels, {@code width * height}. */
    public int pixels() {
        return width * height;
    }

    /** Row-major pixel index of {@code (x, y)}, or {@link #INVALID} outside the sensor. */
    public int pixel(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return INVALID;
        }
        return y * width + x;
    }

    /** Decay factor over {@code dtUs} µs: {@code exp(-alpha dt)}. */
    public double decay(long dtUs) {
        return Math.exp(-alphaPerUs * dtUs);
    }

    /**
     * Adds one event's contribution {@code c p exp(-alpha (windowEnd - t))} to a window delta.
     *
     * @param polarity 0 = OFF ({@code p = -1}), anything else ON ({@code p = +1})
     */
    public void accumulate(float[] delta, int pixel, int polarity, long tUs, long windowEndUs) {
        double w = contrast * Math.exp(-alphaPerUs * (windowEndUs - tUs));
        delta[pixel] += (float) (polarity != 0 ? w : -w);
    }

    /**
     * Moves {@code image} from time {@code fromUs} to {@code toUs} and adds a window's delta:
     * {@code image[i] = exp(-alpha (to - from)) image[i] + delta[i]}.
     */
    public void advance(float[] image, long fromUs, long toUs, float[] delta) {
        double d = decay(toUs - fromUs);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) (image[i] * d + delta[i]);
        }
    }
}
