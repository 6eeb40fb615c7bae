package io.dvsflow.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

    @Test
    void mseAndPsnrByHand() {
        float[] x = {0f, 0.5f, 1f, 0.25f};
        float[] y = {0f, 0.25f, 0.5f, 0.25f};
        // squared differences 0, 0.0625, 0.25, 0 -> mean 0.078125; PSNR = 10 log10(1 / 0.078125)
        assertThat(ImageMetrics.mse(x, y)).isCloseTo(0.078125, within(1e-12));
        assertThat(ImageMetrics.psnr(x, y)).isCloseTo(11.0720996, within(1e-6));
        assertThat(ImageMetrics.psnr(x, x)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[28 * 26];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        assertThat(Ssim.ssim(x, x, 28, 26)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm() {
        // sigmas are 0, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) = 0.2501 / 0.3126
        float[] a = new float[13 * 12];
        float[] b = new float[13 * 12];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(b, 0.25f);
        assertThat(Ssim.ssim(a, b, 13, 12)).isCloseTo(0.2501 / 0.3126, within(1e-9));
    }

    @Test
    void ssimOfAShiftedAndANegatedRamp() {
        // x(r, c) = 0.5 + 0.04 (r - 5) on 11x11: one window, Gaussian weights symmetric about row
        // 5,
        // so mu_x = 0.5 and sigma_x^2 = 0.04^2 * V with V = sum_i g_i (i - 5)^2 (1-D weights g).
        float[] x = new float[121];
        float[] shifted = new float[121];
        float[] negated = new float[121];
        for (int r = 0; r < 11; r++) {
            for (int c = 0; c < 11; c++) {
                x[r * 11 + c] = 0.5f + 0.04f * (r - 5);
                shifted[r * 11 + c] = x[r * 11 + c] + 0.2f;
                negated[r * 11 + c] = 1f - x[r * 11 + c];
            }
        }
        // y = x + 0.2: contrast-structure term is exactly 1, luminance (2*0.5*0.7 +
        // C1)/(0.25+0.49+C1)
        assertThat(Ssim.ssim(x, shifted, 11, 11)).isCloseTo(0.7001 / 0.7401, within(1e-6));
        double norm = 0;
        double second = 0;
        for (int i = 0; i < 11; i++) {
            double g = Math.exp(-(i - 5) * (i - 5) / 4.5); // 2 sigma^2 = 4.5
            norm += g;
            second += g * (i - 5) * (i - 5);
        }
        double var = 0.0016 * second / norm;
        // y = 1 - x: same mean, sigma_xy = -sigma^2 -> SSIM = (C2 - 2 var) / (2 var + C2)
        assertThat(Ssim.ssim(x, negated, 11, 11))
                .isCloseTo((9e-4 - 2 * var) / (2 * var + 9e-4), within(1e-5));
    }

    @Test
    void ssimRefusesImagesSmallerThanTheWindow() {
        assertThatThrownBy(() -> Ssim.ssim(new float[100], new float[100], 10, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11x11");
    }

    @Test
    void spikeStatisticsByHand() {
        // 4 neurons, 3 examples of 10 steps; neurons 0 and 3 never fire.
        int[][] counts = {{0, 10, 2, 0}, {0, 9, 0, 0}, {0, 10, 1, 0}};
        SpikeStatistics s = SpikeStatistics.of(counts, 10);
        assertThat(s.activeCount()).isEqualTo(2);
        assertThat(s.deadCount()).isEqualTo(2);
        assertThat(s.anr()).isEqualTo(0.5);
        // F_1 = 29/30, F_2 = 3/30 -> AFR = (29 + 3) / 60
        assertThat(s.afr()).isCloseTo(32.0 / 60, within(1e-12));
        // active per example 2, 1, 2 -> mean 5/3 over 2 active neurons
        assertThat(s.rae()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(s.burstingCount()).isEqualTo(1);
        assertThat(s.meanRate()).isCloseTo(32.0 / 120, within(1e-12));
        assertThat(s.examples()).isEqualTo(3);
    }

    @Test
    void spikeCountsOutsideTheWindowAreRefused() {
        SpikeStatistics.Accumulator a = new SpikeStatistics.Accumulator(2, 5);
        assertThatThrownBy(() -> a.add(new int[] {6, 0})).hasMessageContaining("neuron 0");
    }
}
