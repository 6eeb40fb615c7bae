package io.dvsflow.models.training;

import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.metrics.ImageMetrics;
import io.dvsflow.models.metrics.Ssim;
import java.util.List;

/**
 * Quality of decoded images against their targets (../shared/docs/learning.md section 6):
 *
 * <ul>
 *   <li>{@code mse}: mean over images of the per-pixel MSE ({@link ImageMetrics#mse});
 *   <li>{@code psnr}: {@code 10 log10(1 / mse)} of that mean MSE, dB (peak 1);
 *   <li>{@code ssim}: mean over images of {@link Ssim#ssim} (11 x 11 Gaussian window), NaN when the
 *       images are smaller than the window;
 *   <li>{@code accuracy}: fraction of decoded images the classifier assigns to the sample's label
 *       (paper 004 Table 1), counted over samples with a label; images of another size than the
 *       classifier's input are first resized with {@link BilinearResize} (e.g. 26 x 26 crops to 28
 *       x 28); NaN without a classifier or labels.
 * </ul>
 *
 * @param mse mean squared error per pixel
 * @param psnr peak signal-to-noise ratio of the mean MSE, dB
 * @param ssim mean SSIM
 * @param accuracy classifier accuracy in [0, 1]
 * @param samples images scored
 */
public record DecodedMetrics(double mse, double psnr, double ssim, double accuracy, int samples) {

    /**
     * Scores {@code decoded[i]} against {@code samples.get(i).target()}, images {@code width x
     * height}.
     */
    public static DecodedMetrics of(
            List<VdibSample> samples,
            float[][] decoded,
            int width,
            int height,
            LeNet5Classifier classifier) {
        int n = samples.size();
        double mse = 0;
        double ssim = 0;
        boolean ssimOk = width >= Ssim.WINDOW && height >= Ssim.WINDOW;
        int correct = 0;
        int labelled = 0;
        for (int i = 0; i < n; i++) {
            float[] t = samples.get(i).target();
            mse += ImageMetrics.mse(decoded[i], t);
            if (ssimOk) {
                ssim += Ssim.ssim(decoded[i], t, width, height);
            }
            int label = samples.get(i).label();
            if (classifier != null && label >= 0) {
                float[] img =
                        BilinearResize.resize(
                                decoded[i], width, height, classifier.width(), classifier.height());
                float[] p = classifier.probabilities(img);
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                labelled++;
                if (best == label) {
                    correct++;
                }
            }
        }
        double m = n == 0 ? Double.NaN : mse / n;
        return new DecodedMetrics(
                m,
                10 * Math.log10(1 / m),
                ssimOk && n > 0 ? ssim / n : Double.NaN,
                labelled == 0 ? Double.NaN : (double) correct / labelled,
                n);
    }
}
