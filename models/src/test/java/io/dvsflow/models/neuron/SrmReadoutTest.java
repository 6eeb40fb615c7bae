package io.dvsflow.models.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SrmReadoutTest {

    @Test
    void raisedCosineKernelsMatchTheFormula() {
        float[] a = RaisedCosineBasis.pillow08(3, 10, 0.5f);
        // k = 0, l = 0: cos(0) -> 1;  k = 1, l = 0: cos(-pi/2) -> 0.5;  k = 2, l = 0: cos(-pi) -> 0
        assertThat(a[0]).isCloseTo(1f, within(1e-7f));
        assertThat(a[10]).isCloseTo(0.5f, within(1e-7f));
        assertThat(a[20]).isCloseTo(0f, within(1e-7f));
        // k = 0, l = 1: 0.5 + 0.5 cos(pi * 0.5 * ln 2) = 0.5 + 0.5 cos(1.088793) = 0.5 + 0.5 *
        // 0.463555 = 0.731778
        assertThat(a[1]).isCloseTo(0.731778f, within(1e-5f));
        // k = 0, l = 9: pi * 0.5 * ln 10 = 3.6169 > pi -> clipped -> 0
        assertThat(a[9]).isCloseTo(0f, within(1e-7f));
    }

    @Test
    void eventDrivenPotentialsEqualTheDenseConvolution() {
        potentialsEqualTheDenseConvolution(false);
    }

    @Test
    void inferenceCopyPotentialsEqualTheDenseConvolution() {
        potentialsEqualTheDenseConvolution(true);
    }

    @Test
    void learningRefusesAnInferenceCopy() {
        SnnEncoder frozen = encoder().forInference();
        assertThat(frozen.readout().frozen()).isTrue();
        assertThat(frozen.forInference()).isSameAs(frozen);
        io.dvsflow.models.learning.VdibLearner learner =
                new io.dvsflow.models.learning.VdibLearner(
                        frozen, io.dvsflow.models.learning.VdibLearner.Config.reference(1));
        assertThatThrownBy(() -> learner.applyGradients(learner.newGradients()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference copy");
    }

    private void potentialsEqualTheDenseConvolution(boolean frozen) {
        int nIn = 12;
        int nOut = 5;
        int k = 3;
        int tauE = 4;
        Rng rng = new Rng(5);
        float[] ff = RaisedCosineBasis.pillow08(k, tauE, 0.5f);
        float[] fb = {1f, 0.6f, 0.3f, 0.1f};
        float[] w = new float[nIn * k * nOut];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextFloat() - 0.5f;
        }
        float[] fbw = {-1f, -0.5f, 0.5f, 0f, 1f};
        float[] bias = {0.1f, -0.2f, 0f, 0.3f, -0.1f};
        SrmReadout plain = new SrmReadout(nIn, nOut, k, tauE, ff, fb, w, fbw, bias);
        SrmReadout ro = frozen ? plain.frozenCopy() : plain;
        assertThat(ro.frozen()).isEqualTo(frozen);
        SrmReadoutState s = ro.newState(77);
        List<int[]> z = new ArrayList<>();
        List<byte[]> y = new ArrayList<>();
        int[] active = new int[nIn];
        int spikes = 0;
        for (int t = 0; t < 30; t++) {
            int[] x = new int[nIn];
            int c = 0;
            for (int j = 0; j < nIn; j++) {
                if (rng.nextFloat() < 0.25f) {
                    x[j] = 1;
                    active[c++] = j;
                }
            }
            z.add(x);
            ro.step(s, active, c);
            for (int i = 0; i < nOut; i++) {
                double u = bias[i];
                for (int l = 0; l < tauE && t - 1 - l >= 0; l++) {
                    u += fbw[i] * fb[l] * y.get(t - 1 - l)[i];
                }
                for (int j = 0; j < nIn; j++) {
                    for (int b = 0; b < k; b++) {
                        double trace = 0;
                        for (int l = 0; l < tauE && t - l >= 0; l++) {
                            trace += ff[b * tauE + l] * z.get(t - l)[j];
                        }
                        u += w[(j * k + b) * nOut + i] * trace;
                    }
                }
                assertThat(s.potentials()[i])
                        .as("u[%d] at %d", i, t)
                        .isCloseTo((float) u, within(1e-5f));
                assertThat(s.probabilities()[i])
                        .isCloseTo((float) (1 / (1 + Math.exp(-u))), within(1e-6f));
            }
            y.add(s.spikes().clone());
            spikes += s.spikeCount();
        }
        assertThat(spikes).isPositive();
    }

    private static SnnEncoder encoder() {
        return SnnEncoder.random(
                40, new int[] {30}, 10, LifParameters.decolle(), 4, 5, 0.5f, true, 3);
    }

    @Test
    void restoredStateReproducesTheSameSpikes() {
        SnnEncoder enc = encoder();
        EncoderState s = enc.newState(1234);
        Rng inputs = new Rng(8);
        int[][] in = new int[40][];
        for (int t = 0; t < in.length; t++) {
            int[] a = new int[40];
            int c = 0;
            for (int i = 0; i < 40; i++) {
                if (inputs.nextFloat() < 0.3f) {
                    a[c++] = i;
                }
            }
            in[t] = Arrays.copyOf(a, c);
        }
        for (int t = 0; t < 20; t++) {
            enc.step(s, in[t], in[t].length);
        }
        byte[] saved = s.toBytes();
        EncoderState copy = s.copy();
        List<int[]> expected = new ArrayList<>();
        int total = 0;
        for (int t = 20; t < 40; t++) {
            int n = enc.step(s, in[t], in[t].length);
            expected.add(Arrays.copyOf(s.readoutSpikes(), n));
            total += n;
        }
        assertThat(total).isPositive();
        EncoderState restored = EncoderState.fromBytes(saved, enc);
        for (int t = 20; t < 40; t++) {
            int n = enc.step(restored, in[t], in[t].length);
            int m = enc.step(copy, in[t], in[t].length);
            assertThat(Arrays.copyOf(restored.readoutSpikes(), n))
                    .containsExactly(expected.get(t - 20));
            assertThat(Arrays.copyOf(copy.readoutSpikes(), m))
                    .containsExactly(expected.get(t - 20));
        }
        // a second encoder state with the same seed gives the same spikes from the start
        EncoderState a = enc.newState(99);
        EncoderState b = enc.newState(99);
        for (int t = 0; t < 40; t++) {
            int n = enc.step(a, in[t], in[t].length);
            int m = enc.step(b, in[t], in[t].length);
            assertThat(Arrays.copyOf(a.readoutSpikes(), n))
                    .containsExactly(Arrays.copyOf(b.readoutSpikes(), m));
        }
    }

    @Test
    void readoutStateRejectsCorruptBytes() {
        SrmReadout ro = encoder().readout();
        SrmReadoutState s = ro.newState(5);
        ro.step(s, new int[] {1, 2, 29}, 3);
        ro.step(s, new int[] {3}, 1);
        byte[] bytes = s.toBytes();
        SrmReadoutState back = SrmReadoutState.fromBytes(bytes, 30, 10, 4, 5);
        assertThat(back.toBytes()).isEqualTo(bytes);
        assertThat(back.rng().state()).isEqualTo(s.rng().state());
        assertThatThrownBy(() -> SrmReadoutState.fromBytes(Arrays.copyOf(bytes, 30), 30, 10, 4, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> SrmReadoutState.fromBytes(bytes, 30, 10, 4, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tauE");
        // header 5 + 4 ints (16) + head (4) + steps (8) + rng (8) = 41: first ring count at 41,
        // slot 0 is empty; slot 0's y count at 45; slot 1's input count at 49, its first index at
        // 53
        byte[] bad = bytes.clone();
        assertThat(bad[49]).isEqualTo((byte) 3);
        bad[53] = 31; // input index 31 >= nIn 30
        assertThatThrownBy(() -> SrmReadoutState.fromBytes(bad, 30, 10, 4, 5))
                .hasMessageContaining("index 31");
        assertThatThrownBy(() -> EncoderState.fromBytes(new byte[] {1, 2, 3}, encoder()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
