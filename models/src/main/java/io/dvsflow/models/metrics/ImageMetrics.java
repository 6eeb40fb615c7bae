package io.dvsflow.models.metrics;

/**
 * Pixel-wise image quality for images with values in [0, 1] (data range 1):
 *
 * <pre>
 * MSE  = (1/n) sum_i (x_i - y_i)^2
 * PSNR = 10 log10(1 / MSE)          (peak 1.0, decibels; +infinity for identical images)
 * </pre>
 *
 * SSIM is in {@link Ssim}.
 */
public final class ImageMetrics {
    private ImageMetrics() {}

    /** Mean squared error over all pixels. */
    public static double mse(float[] x, float[] y) {
        requireSameLength(x, y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            s += d * d;
        }
        return s / x.length;
    }

    /** PSNR in dB for peak value 1.0; {@code +infinity} when the images are identical. */
    public static double psnr(float[] x, float[] y) {
        double mse = mse(x, y);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }

    static void requireSameLength(float[] x, float[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException(
                    "images must be non-empty and of equal size, got "
                            + x.length
                            + " and "
                            + y.length);
        }
    }
}
