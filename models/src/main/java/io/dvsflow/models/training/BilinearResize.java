package io.dvsflow.models.training;

/**
 * Bilinear image resampling with pixel centres aligned (the "align corners = false" convention):
 * output pixel {@code (x, y)} samples the source at {@code ((x + 0.5) sw / dw - 0.5, (y + 0.5) sh /
 * dh - 0.5)}, coordinates clamped to the image. Used to bring decoded images of the crop size (e.g.
 * 26 x 26) to the classifier's 28 x 28 input and MNIST digits to the crop size. When shrinking by
 * less than a factor of two (28 to 26) this is close to area averaging.
 */
public final class BilinearResize {

    private BilinearResize() {}

    /** Resamples {@code src} ({@code sw x sh}, row-major) to {@code dw x dh}. */
    public static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        if (src.length != sw * sh || dw < 1 || dh < 1) {
            throw new IllegalArgumentException(
                    "image of " + src.length + " is not " + sw + "x" + sh);
        }
        if (sw == dw && sh == dh) {
            return src.clone();
        }
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / dh - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            double ay = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / dw - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                double ax = fx - x0;
                double top = src[y0 * sw + x0] * (1 - ax) + src[y0 * sw + x1] * ax;
                double bottom = src[y1 * sw + x0] * (1 - ax) + src[y1 * sw + x1] * ax;
                out[y * dw + x] = (float) (top * (1 - ay) + bottom * ay);
            }
        }
        return out;
    }
}
