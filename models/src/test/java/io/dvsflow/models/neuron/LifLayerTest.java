package io.dvsflow.models.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LifLayerTest {

    private static LifLayer single(LifParameters p, float w, float b) {
        return new LifLayer(p, 1, 1, new float[] {w}, new float[] {b});
    }

    @Test
    void snntorchLeakyTrajectory() {
        // U_t = beta U_{t-1} + I_t - S_{t-1} thr, S_t = U_t > thr; beta 0.8, thr 1, I = 0.6 each
        // step
        // U1 = 0.6; U2 = 0.48 + 0.6 = 1.08 (spike); U3 = 0.864 + 0.6 - 1 = 0.464;
        // U4 = 0.3712 + 0.6 = 0.9712; U5 = 0.77696 + 0.6 = 1.37696 (spike); U6 = 1.101568 + 0.6 - 1
        double[] expectedU = {0.6, 1.08, 0.464, 0.9712, 1.37696, 0.701568};
        int[] expectedS = {0, 1, 0, 0, 1, 0};
        LifLayer layer = single(LifParameters.snntorchLeaky(0.8f, 1f), 0.6f, 0f);
        LifLayerState s = layer.newState(false);
        int[] in = {0};
        for (int t = 0; t < expectedU.length; t++) {
            layer.step(s, in, 1);
            assertThat(s.potentials()[0])
                    .as("U at step %d", t + 1)
                    .isCloseTo((float) expectedU[t], within(1e-5f));
            assertThat(s.spikes()[0]).isEqualTo((byte) expectedS[t]);
        }
    }

    @Test
    void norseLifEulerTrajectory() {
        // dt tau_mem_inv = 0.1, dt tau_syn_inv = 0.2; input weight 3 every step:
        // v_t = 0.9 v_{t-1} + 0.1 i_{t-1}; i_t = 0.8 i_{t-1} + 3; spike v > 1 then v = 0
        // t1: v = 0, i = 3; t2: v = 0.3, i = 5.4; t3: v = 0.27 + 0.54 = 0.81, i = 7.32
        // t4: v = 0.729 + 0.732 = 1.461 -> spike, v = 0, i = 8.856; t5: v = 0.8856, i = 10.0848
        // t6: v = 0.79704 + 1.00848 = 1.80552 -> spike
        double[] expectedU = {0, 0.3, 0.81, 1.461, 0.8856, 1.80552};
        double[] expectedI = {3, 5.4, 7.32, 8.856, 10.0848, 11.06784};
        int[] expectedS = {0, 0, 0, 1, 0, 1};
        LifLayer layer = single(LifParameters.norse(), 3f, 0f);
        LifLayerState s = layer.newState(false);
        for (int t = 0; t < expectedU.length; t++) {
            layer.step(s, new int[] {0}, 1);
            assertThat(s.potentials()[0]).isCloseTo((float) expectedU[t], within(1e-5f));
            assertThat(s.synaptic()[0]).isCloseTo((float) expectedI[t], within(1e-4f));
            assertThat(s.spikes()[0]).isEqualTo((byte) expectedS[t]);
            assertThat(s.membranes()[0])
                    .isCloseTo(expectedS[t] == 1 ? 0f : (float) expectedU[t], within(1e-5f));
        }
    }

    @Test
    void decolleTrajectoryFollowsTheTraceEquations() {
        // Q = 0.85 Q + 0.15 S_in, P = 0.9 P + 0.1 Q, R = 0.65 R - S_{t-1}, U = w P + b + R, S = U
        // >= 0
        float w = 40f;
        float b = -0.5f;
        LifLayer layer = single(LifParameters.decolle(), w, b);
        LifLayerState s = layer.newState(true);
        int[] pattern = {1, 1, 1, 0, 1, 0, 0, 1, 1, 1};
        double q = 0;
        double p = 0;
        double r = 0;
        int sPrev = 0;
        for (int t = 0; t < pattern.length; t++) {
            q = 0.85 * q + 0.15 * pattern[t];
            p = 0.9 * p + 0.1 * q;
            r = 0.65 * r - sPrev;
            double u = w * p + b + r;
            int spike = u >= 0 ? 1 : 0;
            layer.step(s, new int[] {0}, pattern[t]);
            assertThat(s.potentials()[0]).as("U step %d", t).isCloseTo((float) u, within(1e-4f));
            assertThat(s.spikes()[0]).isEqualTo((byte) spike);
            assertThat(s.inputTraces()[0]).isCloseTo((float) p, within(1e-6f));
            sPrev = spike;
        }
        // the first step: Q = 0.15, P = 0.015, U = 40 * 0.015 - 0.5 = 0.1 -> spike
        LifLayerState fresh = layer.newState(false);
        layer.step(fresh, new int[] {0}, 1);
        assertThat(fresh.potentials()[0]).isCloseTo(0.1f, within(1e-5f));
        assertThat(fresh.spikeCount()).isEqualTo(1);
    }

    @Test
    void classicLifResetsToZeroAndRespectsTheLowerBound() {
        // paper 000: u = 0.99 u' + w x, threshold 1, reset 0, lower bound -1
        LifLayer exc = single(LifParameters.classic(0.99f, 1f, Reset.ZERO, -1f), 0.6f, 0f);
        LifLayerState s = exc.newState(false);
        exc.step(s, new int[] {0}, 1); // u = 0.6
        exc.step(s, new int[] {0}, 1); // u = 0.594 + 0.6 = 1.194 -> spike, u' = 0
        assertThat(s.spikeCount()).isEqualTo(1);
        assertThat(s.membranes()[0]).isZero();
        exc.step(s, new int[] {0}, 0); // u = 0
        assertThat(s.potentials()[0]).isZero();

        LifLayer inh = single(LifParameters.classic(0.99f, 1f, Reset.ZERO, -1f), -0.7f, 0f);
        LifLayerState si = inh.newState(false);
        inh.step(si, new int[] {0}, 1); // -0.7
        inh.step(si, new int[] {0}, 1); // -0.693 - 0.7 = -1.393 -> clamped to -1
        assertThat(si.membranes()[0]).isEqualTo(-1f);
        inh.step(si, new int[] {0}, 0); // 0.99 * -1
        assertThat(si.potentials()[0]).isCloseTo(-0.99f, within(1e-6f));

        // reset by subtraction right after the spike: u = 1.194 -> 0.194, next 0.99 * 0.194 + 0.6
        LifLayer sub = single(LifParameters.classic(0.99f, 1f, Reset.SUBTRACT, -1f), 0.6f, 0f);
        LifLayerState ss = sub.newState(false);
        sub.step(ss, new int[] {0}, 1);
        sub.step(ss, new int[] {0}, 1);
        assertThat(ss.membranes()[0]).isCloseTo(0.194f, within(1e-5f));
        sub.step(ss, new int[] {0}, 1);
        assertThat(ss.potentials()[0]).isCloseTo(0.99f * 0.194f + 0.6f, within(1e-5f));
    }

    @Test
    void eventDrivenStepEqualsDenseReference() {
        LifParameters[] models = {
            LifParameters.decolle(),
            LifParameters.classic(0.95f, 0.3f, Reset.ZERO, -0.3f),
            LifParameters.snntorchLeaky(0.9f, 0.3f),
            LifParameters.norse(),
            LifParameters.classic(0.9f, 0.2f, Reset.SUBTRACT, Float.NEGATIVE_INFINITY)
        };
        int nIn = 60;
        int n = 25;
        for (LifParameters p : models) {
            Rng rng = new Rng(99);
            float[] w = new float[nIn * n];
            float[] b = new float[n];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rng.nextFloat() - 0.4f) * 0.8f;
            }
            for (int j = 0; j < n; j++) {
                b[j] = (rng.nextFloat() - 0.5f) * 0.2f;
            }
            LifLayer layer = new LifLayer(p, nIn, n, w, b);
            LifLayerState s = layer.newState(true);
            // dense reference state
            double[] syn = new double[n];
            double[] mem = new double[n];
            double[] ref = new double[n];
            int[] spk = new int[n];
            int[] active = new int[nIn];
            int totalSpikes = 0;
            for (int t = 0; t < 60; t++) {
                int[] x = new int[nIn];
                int c = 0;
                for (int i = 0; i < nIn; i++) {
                    if (rng.nextFloat() < 0.1f) {
                        x[i] = 1;
                        active[c++] = i;
                    }
                }
                layer.step(s, active, c);
                for (int j = 0; j < n; j++) {
                    double drive = 0;
                    for (int i = 0; i < nIn; i++) {
                        drive += w[i * n + j] * x[i];
                    }
                    double iPrev = syn[j];
                    double iNew = p.synDecay() * iPrev + p.synGain() * drive;
                    double v =
                            p.memDecay() * mem[j] + p.memGain() * (p.currentDelay() ? iPrev : iNew);
                    if (p.reset() == Reset.SUBTRACT_NEXT_STEP) {
                        v -= spk[j] * p.threshold();
                    }
                    double r = p.refDecay() * ref[j] - p.refGain() * spk[j];
                    double u = v + b[j] + r;
                    boolean fire = p.fireOnEqual() ? u >= p.threshold() : u > p.threshold();
                    if (fire && p.reset() == Reset.ZERO) {
                        v = 0;
                    } else if (fire && p.reset() == Reset.SUBTRACT) {
                        v -= p.threshold();
                    }
                    v = Math.max(v, p.lowerBound());
                    syn[j] = iNew;
                    mem[j] = v;
                    ref[j] = r;
                    spk[j] = fire ? 1 : 0;
                    assertThat(s.potentials()[j])
                            .as("%s U[%d] at %d", p.reset(), j, t)
                            .isCloseTo((float) u, within(1e-4f));
                    assertThat(s.spikes()[j])
                            .as("%s S[%d] at %d", p.reset(), j, t)
                            .isEqualTo((byte) spk[j]);
                    totalSpikes += spk[j];
                }
                int k = 0;
                for (int j = 0; j < n; j++) {
                    if (spk[j] == 1) {
                        assertThat(s.spikeIndices()[k++]).isEqualTo(j);
                    }
                }
                assertThat(s.spikeCount()).isEqualTo(k);
            }
            assertThat(totalSpikes)
                    .as("the scenario must produce spikes for %s", p.reset())
                    .isPositive();
        }
    }

    @Test
    void resynchronizeRecomputesLinearStagesFromInputTraces() {
        LifLayer layer = LifLayerTestSupport.randomLayer(LifParameters.decolle(), 30, 10, 5);
        LifLayerState s = layer.newState(true);
        Rng rng = new Rng(1);
        int[] active = new int[30];
        for (int t = 0; t < 20; t++) {
            int c = 0;
            for (int i = 0; i < 30; i++) {
                if (rng.nextFloat() < 0.2f) {
                    active[c++] = i;
                }
            }
            layer.step(s, active, c);
        }
        float[] syn = s.synaptic().clone();
        float[] mem = s.membranes().clone();
        layer.resynchronize(s);
        for (int j = 0; j < 10; j++) {
            assertThat(s.synaptic()[j]).isCloseTo(syn[j], within(1e-4f));
            assertThat(s.membranes()[j]).isCloseTo(mem[j], within(1e-4f));
        }
    }

    @Test
    void stateSerializationRoundTripsAndRejectsCorruptBytes() {
        LifLayer layer = LifLayerTestSupport.randomLayer(LifParameters.decolle(), 20, 8, 3);
        LifLayerState s = layer.newState(true);
        int[] in = {1, 4, 7, 19};
        for (int t = 0; t < 7; t++) {
            layer.step(s, in, t % 4 + 1);
        }
        byte[] bytes = s.toBytes();
        LifLayerState back = LifLayerState.fromBytes(bytes, 20, 8, true);
        assertThat(back.toBytes()).isEqualTo(bytes);
        LifLayerState copy = s.copy();
        for (int t = 0; t < 5; t++) {
            layer.step(s, in, 3);
            layer.step(back, in, 3);
            layer.step(copy, in, 3);
            assertThat(back.potentials()).containsExactly(s.potentials());
            assertThat(copy.potentials()).containsExactly(s.potentials());
        }
        assertThatThrownBy(
                        () ->
                                LifLayerState.fromBytes(
                                        Arrays.copyOf(bytes, bytes.length - 3), 20, 8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> LifLayerState.fromBytes(bytes, 21, 8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nIn");
        assertThatThrownBy(() -> LifLayerState.fromBytes(bytes, 20, 8, false))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] badMagic = bytes.clone();
        badMagic[0] ^= 0x55;
        assertThatThrownBy(() -> LifLayerState.fromBytes(badMagic, 20, 8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> LifLayerState.fromBytes(longer, 20, 8, true))
                .hasMessageContaining("trailing");
        // a hostile float-array length: header(5) nIn(4) n(4) flag(1) steps(8), then I's length
        byte[] hostile = bytes.clone();
        hostile[22] = (byte) 0xFF;
        hostile[23] = (byte) 0xFF;
        hostile[24] = (byte) 0xFF;
        hostile[25] = (byte) 0x7F;
        assertThatThrownBy(() -> LifLayerState.fromBytes(hostile, 20, 8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> LifParameters.decolle(1.5f, 0.85f, 0.65f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memDecay");
        assertThatThrownBy(() -> LifParameters.classic(0.9f, Float.NaN, Reset.ZERO, -1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifParameters.classic(0.9f, 1f, Reset.ZERO, 2f))
                .hasMessageContaining("lowerBound");
        assertThatThrownBy(() -> LifParameters.decolle().withSurrogate(Surrogate.BOXCAR, 0f))
                .hasMessageContaining("surrogateScale");
        LifLayer layer = single(LifParameters.decolle(), 1f, 0f);
        assertThatThrownBy(() -> layer.step(layer.newState(false), new int[] {3}, 1))
                .hasMessageContaining("outside");
    }

    @Test
    void surrogateDerivativesMatchTheirFormulas() {
        // sigmoid'(0) = 0.25; with slope 2 at x = 0.5: 2 s(1)(1 - s(1)) = 2 * 0.196612 = 0.393224
        assertThat(Surrogate.SIGMOID.derivative(0f, 1f)).isCloseTo(0.25f, within(1e-7f));
        assertThat(Surrogate.SIGMOID.derivative(0.5f, 2f)).isCloseTo(0.393224f, within(1e-6f));
        assertThat(Surrogate.BOXCAR.derivative(0.49f, 0.5f)).isEqualTo(1f);
        assertThat(Surrogate.BOXCAR.derivative(-0.5f, 0.5f)).isZero();
        // 1 / (1 + 10 * 0.1)^2 = 0.25
        assertThat(Surrogate.FAST_SIGMOID.derivative(-0.1f, 10f)).isCloseTo(0.25f, within(1e-6f));
    }
}
