package io.dvsflow.models.metrics;

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004, IEEE TIP 13(4)) for grey images
 * with data range {@code L = 1}, as in the authors' reference implementation: at every position
 * where the {@link #WINDOW} x {@link #WINDOW} Gaussian window ({@code sigma =} {@link #SIGMA},
 * weights normalised to sum 1) fits entirely inside the image ("valid" filtering), with weighted
 * means {@code mu}, variances {@code sigma^2 = E[x^2] - mu^2} and covariance {@code sigma_xy =
 * E[xy] - mu_x mu_y},
 *
 * <pre>
 * SSIM = ((2 mu_x mu_y + C1)(2 sigma_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))
 * C1 = (0.01 L)^2 = 1e-4,   C2 = (0.03 L)^2 = 9e-4
 * </pre>
 *
 * and the result is the mean over those positions. Images smaller than the window in either
 * dimension are refused. Identical images score exactly 1; two constant images {@code a, b} score
 * {@code (2ab + C1) / (a^2 + b^2 + C1)}.
 */
public final class Ssim {
    /** Window side. */
    public static final int WINDOW = 11;

    /** Gaussian standard deviation in pixels. */
    public static final double SIGMA = 1.5;

    /** {@code (0.01 L)^2} for {@code L = 1}. */
    public static final double C1 = 1e-4;

    /** {@code (0.03 L)^2} for {@code L = 1}. */
    public static final double C2 = 9e-4;

    private static final double[] KERNEL = kernel();

    private Ssim() {}

    private static double[] kernel() {
        double[] g = new double[WINDOW];
        double sum = 0;
        int r = WINDOW / 2;
        for (int i = 0; i < WINDOW; i++) {
            g[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** Mean SSIM of two row-major {@code width x height} images. */
    public static double ssim(float[] x, float[] y, int width, int height) {
        ImageMetrics.requireSameLength(x, y);
        if (x.length != width * height) {
            throw new IllegalArgumentException(
                    x.length + " pixels do not make a " + width + "x" + height + " image");
        }
        if (width < WINDOW || height < WINDOW) {
            throw new IllegalArgumentException(
                    "SSIM needs images of at least "
                            + WINDOW
                            + "x"
                            + WINDOW
                            + ", got "
                            + width
                            + "x"
                            + height);
        }
        int ow = width - WINDOW + 1;
        int oh = height - WINDOW + 1;
        // Separable filtering: horizontal pass into rows of width ow, then vertical.
        double[][] h = new double[5][height * ow];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < ow; c++) {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double g = KERNEL[k];
                    double a = x[r * width + c + k];
                    double b = y[r * width + c + k];
                    mx += g * a;
                    my += g * b;
                    xx += g * a * a;
                    yy += g * b * b;
                    xy += g * a * b;
                }
                int q = r * ow + c;
                h[0][q] = mx;
                h[1][q] = my;
                h[2][q] = xx;
                h[3][q] = yy;
                h[4][q] = xy;
            }
        }
        double total = 0;
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double g = KERNEL[k];
                    int q = (r + k) * ow + c;
                    mx += g * h[0][q];
                    my += g * h[1][q];
                    xx += g * h[2][q];
                    yy += g * h[3][q];
                    xy += g * h[4][q];
                }
                double vx = xx - mx * mx;
                double vy = yy - my * my;
                double cov = xy - mx * my;
                total +=
                        ((2 * mx * my + C1) * (2 * cov + C2))
                                / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
        return total / (ow * oh);
    }
}
