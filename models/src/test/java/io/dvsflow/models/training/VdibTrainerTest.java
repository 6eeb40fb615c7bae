package io.dvsflow.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VdibTrainerTest {

    /** Four 6x6 images: a bar in each of four positions, label = position. */
    static List<VdibSample> bars() {
        List<VdibSample> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            float[] img = new float[36];
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    boolean on = k < 2 ? (x / 3 == k) : (y / 3 == k - 2);
                    img[y * 6 + x] = on ? 1f : 0f;
                }
            }
            out.add(VdibSample.ofImage(img, img, k));
        }
        return out;
    }

    static VdibModel model(DecoderInputMode mode) {
        VdibArchitecture a =
                new VdibArchitecture(
                        new int[] {16},
                        8,
                        3,
                        4,
                        0.5f,
                        VdibArchitecture.DecoderType.MLP,
                        16,
                        mode,
                        8,
                        1f,
                        1f);
        return a.newModel(
                VdibModel.InputSettings.image(VdibModel.Encoding.RATE, 6, 6, 8),
                1e-3,
                0.3,
                5,
                true);
    }

    static double[] train(VdibModel m, int threads, int updates) {
        return train(m, threads, updates, GradientEstimator.REINFORCE);
    }

    static double[] train(VdibModel m, int threads, int updates, GradientEstimator estimator) {
        List<VdibSample> s = bars();
        double[] losses = new double[updates];
        VdibTrainer.Options o =
                new VdibTrainer.Options(
                        4,
                        threads,
                        1e-2,
                        new VdibLearner.Config(1e-3, 0.3, 1e-2, 0.99, 3),
                        estimator);
        try (VdibTrainer t = new VdibTrainer(m, o)) {
            for (int u = 0; u < updates; u++) {
                long[] seeds = {4L * u, 4L * u + 1, 4L * u + 2, 4L * u + 3};
                losses[u] = t.trainBatch(s, seeds).decoderLoss();
            }
        }
        return losses;
    }

    @Test
    void shortRunLowersTheDecoderLoss() {
        // BCE of a 36-pixel image starts near 36 ln 2 = 25 nats (all outputs near 0.5)
        double[] l = train(model(DecoderInputMode.WINDOW), 1, 300);
        double first = (l[0] + l[1] + l[2]) / 3;
        double last = (l[297] + l[298] + l[299]) / 3;
        assertThat(first).isGreaterThan(15);
        assertThat(last).as("first %.2f last %.2f", first, last).isLessThan(0.5 * first);
    }

    @Test
    void sameSeedSameWeightsAlsoWithTwoThreads() {
        VdibModel a = model(DecoderInputMode.RATE);
        VdibModel b = model(DecoderInputMode.RATE);
        VdibModel c = model(DecoderInputMode.RATE);
        VdibModel d = model(DecoderInputMode.RATE);
        train(a, 1, 10);
        train(b, 1, 10);
        train(c, 2, 10);
        train(d, 2, 10);
        List<NamedTensor> ta = a.tensors();
        assertThat(b.tensors()).isEqualTo(ta);
        assertThat(d.tensors()).isEqualTo(c.tensors());
        // and training changed the weights
        assertThat(ta).isNotEqualTo(model(DecoderInputMode.RATE).tensors());
    }

    @Test
    void pathwiseRunLowersTheDecoderLossAndIsDeterministic() {
        double[] l = train(model(DecoderInputMode.WINDOW), 2, 300, GradientEstimator.PATHWISE);
        double first = (l[0] + l[1] + l[2]) / 3;
        double last = (l[297] + l[298] + l[299]) / 3;
        assertThat(last).as("first %.2f last %.2f", first, last).isLessThan(0.5 * first);
        VdibModel a = model(DecoderInputMode.RATE);
        VdibModel b = model(DecoderInputMode.RATE);
        VdibModel reinforce = model(DecoderInputMode.RATE);
        train(a, 2, 10, GradientEstimator.PATHWISE);
        train(b, 2, 10, GradientEstimator.PATHWISE);
        train(reinforce, 2, 10, GradientEstimator.REINFORCE);
        assertThat(b.tensors()).isEqualTo(a.tensors());
        // the estimators differ: the encoder ends elsewhere
        assertThat(reinforce.tensors().get(0)).isNotEqualTo(a.tensors().get(0));
    }

    @Test
    void firstEncoderUpdateDoesNotDependOnTheThreadCount() {
        // the encoder update is summed per sample in sample order; only the decoder's gradient sum
        // is rounded differently, which reaches the encoder from the second batch on
        VdibModel one = model(DecoderInputMode.RATE);
        VdibModel two = model(DecoderInputMode.RATE);
        List<NamedTensor> before = model(DecoderInputMode.RATE).tensors();
        train(one, 1, 1);
        train(two, 2, 1);
        List<NamedTensor> t1 = one.tensors();
        List<NamedTensor> t2 = two.tensors();
        boolean encoderMoved = false;
        for (int k = 0; k < t1.size(); k++) {
            if (t1.get(k).name().startsWith("encoder.")) {
                assertThat(t2.get(k)).isEqualTo(t1.get(k));
                encoderMoved |= !t1.get(k).equals(before.get(k));
            }
        }
        assertThat(encoderMoved).isTrue();
    }

    @Test
    void cosineFactorFollowsTheFormula() {
        // f = floor + (1 - floor) (1 + cos(pi u / U)) / 2, by hand
        assertThat(VdibTrainer.cosineFactor(0, 10, 0.01)).isEqualTo(1.0);
        assertThat(VdibTrainer.cosineFactor(5, 10, 0)).isCloseTo(0.5, within(1e-12));
        // cos(0.9 pi) = -0.9510565163: 0.1 + 0.9 x 0.0244717418 = 0.1220245676
        assertThat(VdibTrainer.cosineFactor(9, 10, 0.1)).isCloseTo(0.1220245676, within(1e-9));
        assertThat(VdibTrainer.cosineFactor(3, 4, 1)).isEqualTo(1.0);
        assertThatThrownBy(() -> VdibTrainer.cosineFactor(10, 10, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VdibTrainer.cosineFactor(0, 10, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void learningRateFactorScalesTheFirstAdamStep() {
        // Adam's first step moves every parameter with a non-zero gradient by lr x factor x
        // g / (|g| + eps'): half the factor, half the move; factor 0 keeps every weight
        List<NamedTensor> before = model(DecoderInputMode.RATE).tensors();
        List<List<NamedTensor>> after = new ArrayList<>();
        for (double f : new double[] {1, 0.5, 0}) {
            VdibModel m = model(DecoderInputMode.RATE);
            VdibTrainer.Options o =
                    new VdibTrainer.Options(
                            4, 1, 1e-2, new VdibLearner.Config(1e-3, 0.3, 1e-2, 0.99, 3));
            try (VdibTrainer t = new VdibTrainer(m, o)) {
                t.setLearningRateFactor(f);
                t.trainBatch(bars(), new long[] {0, 1, 2, 3});
            }
            after.add(m.tensors());
        }
        assertThat(after.get(2)).isEqualTo(before);
        int moved = 0;
        for (int k = 0; k < before.size(); k++) {
            float[] b = before.get(k).data();
            float[] full = after.get(0).get(k).data();
            float[] half = after.get(1).get(k).data();
            for (int i = 0; i < b.length; i++) {
                double d1 = full[i] - b[i];
                double d2 = half[i] - b[i];
                if (Math.abs(d1) > 1e-3) {
                    moved++;
                    assertThat(d2 / d1)
                            .as("%s[%d]", before.get(k).name(), i)
                            .isCloseTo(0.5, within(1e-3));
                }
            }
        }
        assertThat(moved).isGreaterThan(10);
    }

    @Test
    void decodeMeanAveragesTheDrawsDecodings() {
        VdibModel m = model(DecoderInputMode.WINDOW);
        VdibSample s = bars().get(1);
        VdibRunner r = new VdibRunner(m);
        float[] a = new float[36];
        float[] b = new float[36];
        float[] c = new float[36];
        r.encode(s, 9, null, null);
        r.decode(a);
        r.encode(s, 9 + (1L << 32), null, null);
        r.decode(b);
        r.encode(s, 9 + (2L << 32), null, null);
        r.decode(c);
        float[] one = new float[36];
        float[] three = new float[36];
        float[] scratch = new float[36];
        r.decodeMean(s, 9, 1, one, scratch);
        r.decodeMean(s, 9, 3, three, scratch);
        assertThat(one).containsExactly(a);
        for (int i = 0; i < 36; i++) {
            assertThat(three[i]).isCloseTo((a[i] + b[i] + c[i]) / 3, within(1e-6f));
        }
        // the draws differ (the readout is stochastic), so the mean is not the first draw
        assertThat(three).isNotEqualTo(a);
    }

    @Test
    void decodedMetricsOfPerfectAndBlankImages() {
        List<VdibSample> s = bars().subList(0, 2);
        float[][] perfect = {s.get(0).target().clone(), s.get(1).target().clone()};
        DecodedMetrics p = DecodedMetrics.of(s, perfect, 6, 6, null);
        assertThat(p.mse()).isZero();
        assertThat(p.samples()).isEqualTo(2);
        assertThat(p.accuracy()).isNaN();
        // half the pixels of each bar image are 1: an all-zero image has MSE 18/36 = 0.5, PSNR 3.01
        float[][] blank = {new float[36], new float[36]};
        DecodedMetrics z = DecodedMetrics.of(s, blank, 6, 6, null);
        assertThat(z.mse()).isEqualTo(0.5);
        assertThat(z.psnr())
                .isCloseTo(10 * Math.log10(2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void bilinearResizeKeepsConstantsAndCorners() {
        float[] c = new float[26 * 26];
        java.util.Arrays.fill(c, 0.25f);
        float[] r = BilinearResize.resize(c, 26, 26, 28, 28);
        for (float v : r) {
            assertThat(v).isEqualTo(0.25f);
        }
        // 2x2 -> 4x4: output (0,0) samples source (-0.25,-0.25), clamped to pixel (0,0);
        // output (1,0) samples x = 1.5*2/4-0.5 = 0.25: 0.75*a + 0.25*b
        float[] src = {0f, 1f, 0f, 1f};
        float[] up = BilinearResize.resize(src, 2, 2, 4, 4);
        assertThat(up[0]).isEqualTo(0f);
        assertThat(up[1]).isEqualTo(0.25f);
        assertThat(up[3]).isEqualTo(1f);
    }
}
