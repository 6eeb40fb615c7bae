package io.dvsflow.models.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.encoding.RateEncoder;
import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.LifLayer;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.RaisedCosineBasis;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.neuron.SrmReadout;
import io.dvsflow.models.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VdibLearnerTest {

    private static SnnEncoder small(long seed) {
        return SnnEncoder.random(
                16, new int[] {12}, 6, LifParameters.decolle(), 3, 4, 0.5f, true, seed);
    }

    @Test
    void klSampleAveragesToTheClosedForm() {
        double[][] cases = {{0.3, 0.3}, {0.8, 0.3}, {0.05, 0.2}, {0.5, 0.1}};
        for (double[] c : cases) {
            double p = c[0];
            double q = c[1];
            // exact expectation over y ~ Bern(p)
            double exact =
                    p * VdibLoss.klSample(true, p, q) + (1 - p) * VdibLoss.klSample(false, p, q);
            double closed = p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
            assertThat(exact).isCloseTo(closed, within(1e-12));
            assertThat(VdibLoss.klBernoulli(p, q)).isCloseTo(closed, within(1e-12));
        }
        assertThat(VdibLoss.klBernoulli(0.3, 0.3)).isCloseTo(0.0, within(1e-12));
        // Monte Carlo with the model's step function: 20000 steps of 4 neurons at p = 0.8, q = 0.3
        Rng rng = new Rng(1);
        float[] p = {0.8f, 0.8f, 0.8f, 0.8f};
        byte[] y = new byte[4];
        double sum = 0;
        int steps = 20_000;
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < 4; i++) {
                y[i] = (byte) (rng.nextFloat() < p[i] ? 1 : 0);
            }
            sum += VdibLoss.klStep(y, p, 0.3, 4);
        }
        // KL(0.8 || 0.3) = 0.8 ln(8/3) + 0.2 ln(2/7) = 0.78467 - 0.25055 = 0.53412 per neuron
        assertThat(sum / steps / 4).isCloseTo(0.5341, within(0.01));
    }

    @Test
    void bceMatchesTheFormula() {
        // -(1 ln 0.9 + 0 + 1 ln(1 - 0.2)) = 0.105361 + 0.223144
        assertThat(VdibLoss.bce(new float[] {1f, 0f}, new float[] {0.9f, 0.2f}))
                .isCloseTo(0.328504, within(1e-6));
    }

    /**
     * log p(y | x) of the readout from recorded hidden spikes and readout spikes (dense, double).
     */
    private static double logLikelihood(
            SrmReadout ro, double[] w, double[] fbw, double[] bias, List<int[]> z, List<byte[]> y) {
        int nIn = ro.inputs();
        int nOut = ro.size();
        int k = ro.kernels();
        int tauE = ro.memory();
        float[] a = ro.feedForwardKernels();
        float[] b = ro.feedbackKernel();
        double ll = 0;
        for (int t = 0; t < z.size(); t++) {
            for (int i = 0; i < nOut; i++) {
                double u = bias[i];
                for (int l = 0; l < tauE && t - 1 - l >= 0; l++) {
                    u += fbw[i] * b[l] * y.get(t - 1 - l)[i];
                }
                for (int j = 0; j < nIn; j++) {
                    for (int kb = 0; kb < k; kb++) {
                        double tr = 0;
                        for (int l = 0; l < tauE && t - l >= 0; l++) {
                            tr += a[kb * tauE + l] * z.get(t - l)[j];
                        }
                        u += w[(j * k + kb) * nOut + i] * tr;
                    }
                }
                double p = 1 / (1 + Math.exp(-u));
                ll += y.get(t)[i] == 1 ? Math.log(p) : Math.log(1 - p);
            }
        }
        return ll;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Test
    void readoutGradientEqualsFiniteDifferencesOfTheLogLikelihood() {
        SnnEncoder enc = small(21);
        // make the hidden layer fire often so the readout sees inputs
        Arrays.fill(enc.hidden(0).bias(), 0.05f);
        VdibLearner learner = new VdibLearner(enc, VdibLearner.Config.reference(4));
        EncoderGradients g = learner.newGradients();
        EncoderState s = enc.newState(8);
        Rng rng = new Rng(2);
        int[] active = new int[16];
        List<int[]> z = new ArrayList<>();
        List<byte[]> y = new ArrayList<>();
        int hiddenSpikes = 0;
        for (int t = 0; t < 9; t++) {
            int c = 0;
            for (int i = 0; i < 16; i++) {
                if (rng.nextFloat() < 0.4f) {
                    active[c++] = i;
                }
            }
            enc.step(s, active, c);
            learner.accumulate(s, g);
            int[] zt = new int[12];
            for (int j = 0; j < 12; j++) {
                zt[j] = s.hidden(0).spikes()[j];
                hiddenSpikes += zt[j];
            }
            z.add(zt);
            y.add(s.readout().spikes().clone());
        }
        assertThat(hiddenSpikes).isGreaterThan(5);
        SrmReadout ro = enc.readout();
        double[] w = toDouble(ro.weights());
        double[] fbw = toDouble(ro.feedbackWeights());
        double[] bias = toDouble(ro.bias());
        double h = 1e-5;
        float[] gW = g.tensors()[2];
        int checked = 0;
        for (int idx = 0; idx < w.length; idx += 7) {
            double keep = w[idx];
            w[idx] = keep + h;
            double up = logLikelihood(ro, w, fbw, bias, z, y);
            w[idx] = keep - h;
            double down = logLikelihood(ro, w, fbw, bias, z, y);
            w[idx] = keep;
            assertThat((double) gW[idx])
                    .as("dW[%d]", idx)
                    .isCloseTo((up - down) / (2 * h), within(2e-4));
            if (Math.abs(gW[idx]) > 1e-3) {
                checked++;
            }
        }
        assertThat(checked).as("non-trivial weight gradients checked").isGreaterThan(10);
        for (int i = 0; i < 6; i++) {
            double keep = fbw[i];
            fbw[i] = keep + h;
            double up = logLikelihood(ro, w, fbw, bias, z, y);
            fbw[i] = keep - h;
            double down = logLikelihood(ro, w, fbw, bias, z, y);
            fbw[i] = keep;
            assertThat((double) g.tensors()[3][i]).isCloseTo((up - down) / (2 * h), within(2e-4));
            keep = bias[i];
            bias[i] = keep + h;
            up = logLikelihood(ro, w, fbw, bias, z, y);
            bias[i] = keep - h;
            down = logLikelihood(ro, w, fbw, bias, z, y);
            bias[i] = keep;
            assertThat((double) g.tensors()[4][i]).isCloseTo((up - down) / (2 * h), within(2e-4));
        }
    }

    @Test
    void reinforceEstimateAveragesToTheExpectedLossGradient() {
        // one readout neuron, one step, no inputs: u = bias, p = sigmoid(bias);
        // loss f(y) = (y - 0.2)^2 -> E[f] = p 0.64 + (1 - p) 0.04, dE/dbias = p (1 - p) 0.6
        SnnEncoder enc =
                SnnEncoder.random(
                        4, new int[] {3}, 1, LifParameters.decolle(), 2, 3, 0.5f, true, 1);
        Arrays.fill(enc.hidden(0).bias(), -5f); // hidden silent
        enc.readout().bias()[0] = 0.4f;
        VdibLearner learner = new VdibLearner(enc, new VdibLearner.Config(0.0, 0.3, 1e-3, 0.99, 1));
        EncoderGradients g = learner.newGradients();
        EncoderState s = enc.newState(0);
        double sum = 0;
        int n = 40_000;
        for (int k = 0; k < n; k++) {
            s.reset(k * 0x9E3779B97F4A7C15L + 1);
            enc.step(s, new int[0], 0);
            learner.accumulate(s, g);
            int y = s.readout().spikes()[0];
            double f = (y - 0.2) * (y - 0.2);
            sum += f * g.tensors()[4][0]; // score function of the bias times the loss
            g.clear();
        }
        double p = 1 / (1 + Math.exp(-0.4));
        double expected = p * (1 - p) * 0.6;
        // sd of f * (y - p) is below 0.5 -> standard error < 0.0025
        assertThat(sum / n).isCloseTo(expected, within(0.01));
    }

    @Test
    void baselineComesFromEarlierSamplesOnly() {
        // b_i = E[g_i^2 L] / E[g_i^2] over earlier samples (moving averages, kappa = 0.5): the
        // first sample sees b = 0, the second b = L_1 (one earlier sample), so the estimates are
        // L_1 g and (L_2 - L_1) g' (section 1 of ../shared/docs/learning.md)
        SnnEncoder enc = small(5);
        VdibLearner learner = new VdibLearner(enc, new VdibLearner.Config(0.0, 0.3, 1e-3, 0.5, 1));
        EncoderGradients g = learner.newGradients();
        EncoderState s = enc.newState(3);
        for (int t = 0; t < 5; t++) {
            enc.step(s, new int[] {1, 5, 9}, 3);
            learner.accumulate(s, g);
        }
        float[] raw = g.tensors()[4].clone();
        learner.finishSample(g, DecoderFeedback.of(2.0));
        for (int i = 0; i < raw.length; i++) {
            assertThat(g.tensors()[4][i]).isEqualTo(2.0f * raw[i]);
        }
        g.clear();
        s.reset(4);
        for (int t = 0; t < 5; t++) {
            enc.step(s, new int[] {2, 5, 11}, 3);
            learner.accumulate(s, g);
        }
        float[] raw2 = g.tensors()[4].clone();
        learner.finishSample(g, DecoderFeedback.of(3.5));
        for (int i = 0; i < raw2.length; i++) {
            // num = (1 - kappa) g1^2 L_1, den = (1 - kappa) g1^2, b = num / (den + 1e-7)
            double g1 = (double) raw[i] * raw[i];
            double base = 0.5 * g1 * 2.0 / (0.5 * g1 + 1e-7);
            assertThat((double) g.tensors()[4][i])
                    .isCloseTo((3.5 - base) * raw2[i], within(1e-5 * (1 + Math.abs(raw2[i]))));
        }
    }

    @Test
    void pathwiseGradientOfOneStepIsTheExactExpectedGradient() {
        // one readout neuron, one step, no inputs: p = sigmoid(bias). With a decoder loss linear in
        // y, l_dec = c y, the expected loss is c p + beta KL(Bern(p) || Bern(q)); its derivative in
        // the bias, by central differences of that closed form, must equal the pathwise estimate
        double c = -1.7;
        double q = 0.3;
        for (double beta : new double[] {0.0, 0.5}) {
            SnnEncoder enc =
                    SnnEncoder.random(
                            4, new int[] {3}, 1, LifParameters.decolle(), 2, 3, 0.5f, true, 1);
            Arrays.fill(enc.hidden(0).bias(), -5f); // hidden silent
            float bias = 0.4f;
            enc.readout().bias()[0] = bias;
            VdibLearner learner =
                    new VdibLearner(enc, new VdibLearner.Config(beta, q, 1e-3, 0.99, 1));
            EncoderGradients g = learner.newGradients();
            EncoderState s = enc.newState(0);
            enc.step(s, new int[0], 0);
            learner.accumulatePathwise(s, g, new float[] {(float) c}, 0);
            double h = 1e-4;
            double up = c * sigmoid(bias + h) + beta * VdibLoss.klBernoulli(sigmoid(bias + h), q);
            double down = c * sigmoid(bias - h) + beta * VdibLoss.klBernoulli(sigmoid(bias - h), q);
            assertThat((double) g.tensors()[4][0]).isCloseTo((up - down) / (2 * h), within(1e-5));
            // the hidden layer is silent and far from threshold: no e-prop signal
            assertThat(g.tensors()[0]).containsOnly(0f);
            // the finished sample keeps the gradient and reports l_dec + beta l_enc
            float before = g.tensors()[4][0];
            double loss = learner.finishPathwise(g, 2.0);
            assertThat(g.tensors()[4][0]).isEqualTo(before);
            assertThat(loss).isCloseTo(2.0 + beta * g.klLoss(), within(1e-12));
        }
    }

    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    @Test
    void epropEqualsTheSurrogateChainRuleForOneStep() {
        int nIn = 7;
        int nH = 5;
        int nOut = 3;
        int k = 2;
        LifParameters lp = LifParameters.decolle();
        Rng rng = new Rng(17);
        float[] wh = new float[nIn * nH];
        for (int i = 0; i < wh.length; i++) {
            wh[i] = (rng.nextFloat() - 0.5f) * 40f;
        }
        float[] bh = {0.1f, -0.2f, 0.05f, 0f, -0.05f};
        LifLayer hidden = new LifLayer(lp, nIn, nH, wh, bh);
        float[] wr = new float[nH * k * nOut];
        for (int i = 0; i < wr.length; i++) {
            wr[i] = rng.nextFloat() - 0.5f;
        }
        float[] ff = RaisedCosineBasis.pillow08(k, 3, 0.5f);
        SrmReadout ro =
                new SrmReadout(
                        nH,
                        nOut,
                        k,
                        3,
                        ff,
                        RaisedCosineBasis.pillow08(1, 3, 0.5f),
                        wr,
                        new float[] {-1f, -1f, -1f},
                        new float[] {0.2f, -0.1f, 0f});
        SnnEncoder enc = new SnnEncoder(new LifLayer[] {hidden}, ro, true);
        VdibLearner learner = new VdibLearner(enc, VdibLearner.Config.reference(3));
        // symmetric feedback: B_jk = du_k/dz_j = sum_b W[(j K + b) nOut + k] a_b[0]
        float[] bmat = learner.feedback(0);
        double[][] c = new double[nOut][nH];
        for (int j = 0; j < nH; j++) {
            for (int kk = 0; kk < nOut; kk++) {
                double v = 0;
                for (int b = 0; b < k; b++) {
                    v += wr[(j * k + b) * nOut + kk] * ff[b * 3];
                }
                c[kk][j] = v;
                bmat[j * nOut + kk] = (float) v;
            }
        }
        EncoderGradients g = learner.newGradients();
        EncoderState s = enc.newState(5);
        int[] active = {0, 2, 3, 6};
        enc.step(s, active, active.length);
        learner.accumulate(s, g);
        byte[] y = s.readout().spikes().clone();
        // reference from the equations: P_i = (1 - alpha)(1 - beta) x_i = 0.1 * 0.15 x_i,
        // U_j = sum_i W_ji P_i + b_j (R_1 = 0), z_j = Theta(U_j), u_k = bias_k + sum_j C_kj z_j,
        // with d z_j / d U_j := sigmoid'(U_j) (the surrogate). Finite differences of
        // log p(y | u) through the linearised spike z~_j(W) = z_j + psi_j (U_j(W) - U_j).
        double[] x = new double[nIn];
        for (int i : active) {
            x[i] = 0.015;
        }
        double[] u0 = new double[nH];
        for (int j = 0; j < nH; j++) {
            u0[j] = bh[j];
            for (int i = 0; i < nIn; i++) {
                u0[j] += wh[i * nH + j] * x[i];
            }
        }
        double h = 1e-4;
        int nonZero = 0;
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nH; j++) {
                double up = linearisedLogLik(c, ro.bias(), y, u0, x, j, i, h);
                double down = linearisedLogLik(c, ro.bias(), y, u0, x, j, i, -h);
                double fd = (up - down) / (2 * h);
                assertThat((double) g.tensors()[0][i * nH + j])
                        .as("dW[%d,%d]", j, i)
                        .isCloseTo(fd, within(1e-5));
                if (Math.abs(fd) > 1e-4) {
                    nonZero++;
                }
            }
        }
        assertThat(nonZero).isGreaterThan(5);
    }

    private static double linearisedLogLik(
            double[][] c,
            float[] bias,
            byte[] y,
            double[] u0,
            double[] x,
            int jj,
            int ii,
            double dw) {
        int nH = u0.length;
        double ll = 0;
        for (int k = 0; k < c.length; k++) {
            double u = bias[k];
            for (int j = 0; j < nH; j++) {
                double z = u0[j] >= 0 ? 1 : 0;
                double sig = 1 / (1 + Math.exp(-u0[j]));
                double dU = j == jj ? dw * x[ii] : 0;
                u += c[k][j] * (z + sig * (1 - sig) * dU);
            }
            double p = 1 / (1 + Math.exp(-u));
            ll += y[k] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return ll;
    }

    @Test
    void adamFirstStepMovesByTheLearningRateAgainstTheGradientSign() {
        Adam adam = new Adam(new int[] {3}, 0.01);
        float[] p = {1f, 1f, 1f};
        // first step: m = 0.1 g, v = 0.001 g^2, corrected m/sqrt(v) = g / |g| -> p -= 0.01 sign(g)
        adam.step(new float[][] {p}, new float[][] {{2f, -0.5f, 0f}});
        assertThat(p[0]).isCloseTo(0.99f, within(1e-6f));
        assertThat(p[1]).isCloseTo(1.01f, within(1e-6f));
        assertThat(p[2]).isEqualTo(1f);
        byte[] bytes = adam.toBytes();
        Adam other = new Adam(new int[] {3}, 0.01);
        other.restore(bytes);
        assertThat(other.steps()).isEqualTo(1);
        float[] q = p.clone();
        adam.step(new float[][] {p}, new float[][] {{1f, 1f, 1f}});
        other.step(new float[][] {q}, new float[][] {{1f, 1f, 1f}});
        assertThat(q).containsExactly(p);
        assertThatThrownBy(() -> new Adam(new int[] {4}, 0.01).restore(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
        assertThatThrownBy(() -> other.restore(Arrays.copyOf(bytes, 10)))
                .hasMessageContaining("truncated");
    }

    @Test
    void learnerStateRoundTrips() {
        SnnEncoder enc = small(5);
        VdibLearner a = new VdibLearner(enc, VdibLearner.Config.reference(1));
        EncoderGradients g = a.newGradients();
        EncoderState s = enc.newState(3);
        for (int t = 0; t < 5; t++) {
            enc.step(s, new int[] {1, 5, 9}, 3);
            a.accumulate(s, g);
        }
        a.update(g, DecoderFeedback.of(2.0));
        byte[] bytes = a.toBytes();
        VdibLearner b = new VdibLearner(small(5), VdibLearner.Config.reference(1));
        b.restore(bytes);
        assertThat(b.toBytes()).isEqualTo(bytes);
        assertThatThrownBy(() -> b.restore(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.update(a.newGradients(), DecoderFeedback.of(Double.NaN)))
                .hasMessageContaining("finite");
    }

    @Test
    void shortTrainingRunLowersTheLoss() {
        // Task: rate-coded fixed input (16 pixels), T = 20 steps; the "decoder" is a fixed linear
        // readout of the firing rates, r_hat_i = (count_i + 0.5) / (T + 1); target bits 10110010;
        // l_dec = BCE(target, r_hat). Only the encoder learns (REINFORCE + e-prop + Adam, lr 0.01).
        // Measured: mean loss 5.2 over the first 30 samples, 0.28 over the last 30.
        int steps = 20;
        float[] target = {1, 0, 1, 1, 0, 0, 1, 0};
        SnnEncoder enc =
                SnnEncoder.random(
                        16, new int[] {24}, 8, LifParameters.decolle(), 3, 5, 0.5f, true, 7);
        VdibLearner learner =
                new VdibLearner(enc, new VdibLearner.Config(1e-3, 0.3, 0.01, 0.99, 11));
        EncoderGradients g = learner.newGradients();
        EncoderState s = enc.newState(0);
        float[] image = new float[16];
        Rng img = new Rng(3);
        for (int i = 0; i < 16; i++) {
            image[i] = img.nextFloat();
        }
        RateEncoder rate = new RateEncoder(1f);
        Rng inputRng = new Rng(9);
        int[] active = new int[16];
        int samples = 600;
        double[] losses = new double[samples];
        float[] rhat = new float[8];
        for (int n = 0; n < samples; n++) {
            s.reset(1000 + n);
            int[] counts = new int[8];
            for (int t = 0; t < steps; t++) {
                int c = rate.step(image, inputRng, active);
                int k = enc.step(s, active, c);
                for (int q = 0; q < k; q++) {
                    counts[s.readoutSpikes()[q]]++;
                }
                learner.accumulate(s, g);
            }
            for (int i = 0; i < 8; i++) {
                rhat[i] = (counts[i] + 0.5f) / (steps + 1);
            }
            double dec = VdibLoss.bce(target, rhat);
            losses[n] = dec;
            learner.update(g, DecoderFeedback.of(dec));
        }
        double first = Arrays.stream(losses, 0, 30).average().orElseThrow();
        double last = Arrays.stream(losses, samples - 30, samples).average().orElseThrow();
        assertThat(last)
                .as("mean loss first 30 = %.3f, last 30 = %.3f", first, last)
                .isLessThan(0.3 * first);
    }
}
