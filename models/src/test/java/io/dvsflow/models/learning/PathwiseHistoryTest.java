package io.dvsflow.models.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The streaming form of the pathwise estimator (KL part at every step, decoder part replayed from
 * the {@link PathwiseHistory} when the reference arrives) against the offline form ({@link
 * VdibLearner#accumulatePathwise} with the decoder's gradient known while stepping), which {@code
 * VdibLearnerTest} checks against the closed-form expected loss.
 */
class PathwiseHistoryTest {

    private static final int INPUTS = 20;
    private static final int TAU_D = 5;

    private static SnnEncoder encoder() {
        // two hidden layers so that the replay walks every layer's slice of a slot
        SnnEncoder enc =
                SnnEncoder.random(
                        INPUTS, new int[] {14, 10}, 6, LifParameters.decolle(), 3, 4, 4f, true, 3);
        return enc;
    }

    /** Active inputs of step t: a seeded random third of the inputs. */
    private static int step(SnnEncoder enc, EncoderState s, Rng r, int[] active) {
        int c = 0;
        for (int i = 0; i < INPUTS; i++) {
            if (r.nextFloat() < 0.35f) {
                active[c++] = i;
            }
        }
        return enc.step(s, active, c);
    }

    private static float[] windowGradient(long seed) {
        Rng r = new Rng(seed);
        float[] g = new float[TAU_D * 6];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (2 * r.nextGaussian());
        }
        return g;
    }

    /** Offline: the decoder gradient is known while stepping; window = the last tau_d steps. */
    private static EncoderGradients offline(int steps, float[] wg) {
        SnnEncoder enc = encoder();
        VdibLearner l = new VdibLearner(enc, new VdibLearner.Config(0.05, 0.3, 1e-3, 0.99, 5));
        EncoderGradients g = l.newGradients();
        EncoderState s = enc.newState(11);
        Rng in = new Rng(7);
        int[] active = new int[INPUTS];
        for (int t = 0; t < steps; t++) {
            step(enc, s, in, active);
            int slot = t - (steps - TAU_D);
            l.accumulatePathwise(s, g, slot >= 0 ? wg : null, Math.max(slot, 0) * 6);
        }
        return g;
    }

    /** Streaming: KL part per step, history recorded, decoder part at the end. */
    private static EncoderGradients streaming(int steps, float[] wg, int checkpointAt) {
        SnnEncoder enc = encoder();
        VdibLearner l = new VdibLearner(enc, new VdibLearner.Config(0.05, 0.3, 1e-3, 0.99, 5));
        EncoderGradients g = l.newGradients();
        EncoderState s = enc.newState(11);
        PathwiseHistory h = new PathwiseHistory(enc, TAU_D);
        Rng in = new Rng(7);
        int[] active = new int[INPUTS];
        for (int t = 0; t < steps; t++) {
            step(enc, s, in, active);
            l.accumulatePathwise(s, g, null, 0);
            h.record(s);
            if (t == checkpointAt) {
                PathwiseHistory restored = new PathwiseHistory(enc, TAU_D);
                assertThat(restored.fromFloats(h.toFloats(null))).isTrue();
                h = restored;
            }
        }
        assertThat(h.count()).isEqualTo(Math.min(steps, TAU_D));
        l.accumulateDecoderPathwise(h, g, wg);
        return g;
    }

    @Test
    void replayedDecoderGradientEqualsTheOfflineEstimate() {
        // more steps than the window (ring wrapped), exactly the window, fewer (ring not full)
        for (int steps : new int[] {13, TAU_D, 3}) {
            float[] wg = windowGradient(steps);
            EncoderGradients a = offline(steps, wg);
            EncoderGradients b = streaming(steps, wg, steps / 2);
            double norm = 0;
            for (int k = 0; k < a.tensors().length; k++) {
                float[] x = a.tensors()[k];
                float[] y = b.tensors()[k];
                for (int i = 0; i < x.length; i++) {
                    assertThat((double) y[i])
                            .as("steps %d tensor %d [%d]", steps, k, i)
                            .isCloseTo(x[i], within(1e-5 + 1e-5 * Math.abs(x[i])));
                    norm += Math.abs(x[i]);
                }
            }
            assertThat(norm).as("a non-trivial gradient").isGreaterThan(1.0);
            // e-prop reached both hidden layers' weights (tensors 0 and 2)
            assertThat(a.tensors()[0]).as("layer 0").isNotEqualTo(new float[a.tensors()[0].length]);
            assertThat(a.tensors()[2]).as("layer 1").isNotEqualTo(new float[a.tensors()[2].length]);
            assertThat(b.klLoss()).isEqualTo(a.klLoss());
            assertThat(b.steps()).isEqualTo(a.steps());
        }
    }

    @Test
    void decoderGradientOfAnEmptyHistoryIsZeroAndForeignStateIsRejected() {
        SnnEncoder enc = encoder();
        VdibLearner l = new VdibLearner(enc, new VdibLearner.Config(0.05, 0.3, 1e-3, 0.99, 5));
        EncoderGradients g = l.newGradients();
        PathwiseHistory h = new PathwiseHistory(enc, TAU_D);
        l.accumulateDecoderPathwise(h, g, windowGradient(1));
        for (float[] t : g.tensors()) {
            assertThat(t).containsOnly(0f);
        }
        assertThat(h.fromFloats(new float[3])).isFalse();
        float[] bad = h.toFloats(null);
        bad[0] = TAU_D + 1; // count beyond the capacity
        assertThat(h.fromFloats(bad)).isFalse();
        assertThat(h.count()).isZero();
    }
}
