package io.dvsflow.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.decoder.optim.DecoderAdam;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecoderTest {

    @Test
    void bceAndGradientsMatchAHandComputation() {
        LogisticDecoder d = new LogisticDecoder(1, 1, 1, 0L);
        d.setParameters(
                List.of(
                        new NamedTensor("linear.weight", new int[] {1, 1}, new float[] {2f}),
                        new NamedTensor("linear.bias", new int[] {1}, new float[] {-1f})));
        float[] out = new float[1];
        d.forward(new float[] {1f}, 1, out);
        // z = 2 * 1 - 1 = 1, p = 1 / (1 + e^-1) = 0.7310586
        assertThat(out[0]).isCloseTo(0.7310586f, within(1e-6f));
        float[] dx = new float[1];
        double loss = d.backward(new float[] {0.25f}, dx);
        // BCE = -0.25 ln 0.7310586 - 0.75 ln 0.2689414 = 0.0783154 + 0.9849463
        assertThat(loss).isCloseTo(1.0632617, within(1e-6));
        // dL/dz = p - t = 0.4810586; dW = dz * x; db = dz; dx = dz * W
        assertThat(d.gradients().get(0).data()[0]).isCloseTo(0.4810586f, within(1e-6f));
        assertThat(d.gradients().get(1).data()[0]).isCloseTo(0.4810586f, within(1e-6f));
        assertThat(dx[0]).isCloseTo(0.9621172f, within(1e-6f));
    }

    @Test
    void batchLossIsTheMeanOfPerImageLosses() {
        MlpDecoder d = new MlpDecoder(4, 3, 2, 2, 3L);
        float[] x = {1, 0, 1, 0, 0, 1, 1, 1};
        float[] t = {0, 1, 0.5f, 1, 1, 1, 0, 0};
        float[] out = new float[8];
        d.forward(x, 2, out);
        double both = d.backward(t, null);
        float[] o1 = new float[4];
        d.forward(java.util.Arrays.copyOfRange(x, 0, 4), 1, o1);
        double first = d.backward(java.util.Arrays.copyOfRange(t, 0, 4), null);
        d.forward(java.util.Arrays.copyOfRange(x, 4, 8), 1, o1);
        double second = d.backward(java.util.Arrays.copyOfRange(t, 4, 8), null);
        assertThat(both).isCloseTo((first + second) / 2, within(1e-6));
        for (float v : out) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void initialisationIsDeterministicAndReplicasShareWeights() {
        MlpDecoder a = new MlpDecoder(10, 8, 4, 4, 42L);
        MlpDecoder b = new MlpDecoder(10, 8, 4, 4, 42L);
        MlpDecoder c = new MlpDecoder(10, 8, 4, 4, 43L);
        assertThat(a.parameters()).isEqualTo(b.parameters());
        assertThat(a.parameters().get(0)).isNotEqualTo(c.parameters().get(0));
        // He-uniform bound sqrt(6 / fanIn) for the hidden layer
        float bound = (float) Math.sqrt(6.0 / 10);
        for (float w : a.parameters().get(0).data()) {
            assertThat(Math.abs(w)).isLessThanOrEqualTo(bound);
        }
        ImageDecoder r = a.replica();
        a.parameters().get(0).data()[0] = 123f;
        assertThat(r.parameters().get(0).data()[0]).isEqualTo(123f);
        assertThat(r.gradients().get(0).data()).isNotSameAs(a.gradients().get(0).data());
    }

    @Test
    void trainingWithAdamLowersTheLoss() {
        LogisticDecoder d = new LogisticDecoder(8, 2, 2, 1L);
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[16 * 8];
        float[] t = new float[16 * 4];
        for (int e = 0; e < 16; e++) {
            int cls = e % 2;
            for (int i = 0; i < 8; i++) {
                x[e * 8 + i] = r.nextDouble() < (cls == 0 ? 0.8 : 0.2) ? 1f : 0f;
            }
            for (int p = 0; p < 4; p++) {
                t[e * 4 + p] = cls == 0 ? 1f : 0f;
            }
        }
        DecoderAdam adam = new DecoderAdam(0.05);
        float[] out = new float[t.length];
        double first = 0;
        double last = 0;
        for (int step = 0; step < 50; step++) {
            d.zeroGradients();
            d.forward(x, 16, out);
            last = d.backward(t, null);
            if (step == 0) {
                first = last;
            }
            adam.step(d.parameters(), d.gradients());
        }
        assertThat(last).isLessThan(first / 4);
        assertThat(adam.steps()).isEqualTo(50);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        // m_hat = g, v_hat = g^2 after one step, so theta -= lr * g / (|g| + eps) = lr * sign(g)
        NamedTensor w = new NamedTensor("w", new int[] {2}, new float[] {1f, 1f});
        NamedTensor g = new NamedTensor("w", new int[] {2}, new float[] {0.5f, -3f});
        new DecoderAdam(0.1).step(List.of(w), List.of(g));
        assertThat(w.data()[0]).isCloseTo(0.9f, within(1e-6f));
        assertThat(w.data()[1]).isCloseTo(1.1f, within(1e-6f));
    }

    @Test
    void readoutWindowEncodesOldestFirstAndRateSums() {
        ReadoutWindow w = new ReadoutWindow(2, 3);
        w.push(new float[] {1, 0});
        w.push(new float[] {0, 1});
        w.push(new float[] {1, 1});
        w.push(new float[] {0, 0}); // drops {1, 0}
        float[] flat = new float[6];
        w.encode(DecoderInputMode.WINDOW, flat, 0);
        assertThat(flat).containsExactly(0, 1, 1, 1, 0, 0);
        float[] rate = new float[2];
        w.encode(DecoderInputMode.RATE, rate, 0);
        assertThat(rate).containsExactly(1, 2);
        float[] wg = new float[6];
        DecoderInputMode.RATE.windowGradient(new float[] {0.5f, -1f}, 2, 3, wg);
        assertThat(wg).containsExactly(0.5f, -1f, 0.5f, -1f, 0.5f, -1f);
        assertThat(DecoderInputMode.WINDOW.inputSize(256, 80)).isEqualTo(20480);
    }

    @Test
    void snapshotRoundTripRebuildsEachDecoder() {
        for (ImageDecoder d :
                List.of(
                        new LogisticDecoder(6, 3, 2, 1L),
                        new MlpDecoder(6, 4, 3, 2, 2L),
                        CnnDecoder.forWindow(4, 5, 3, 2, 3L))) {
            ModelSnapshot s = DecoderSnapshots.toSnapshot(d, 7L, Map.of("seed", "1"));
            ImageDecoder back =
                    DecoderSnapshots.fromSnapshot(
                            ModelSnapshots.fromBytes(ModelSnapshots.toBytes(s)));
            assertThat(back.kind()).isEqualTo(d.kind());
            assertThat(back.parameters()).isEqualTo(d.parameters());
            float[] x = new float[d.inputSize()];
            x[1] = 1;
            float[] o1 = new float[d.outputSize()];
            float[] o2 = new float[d.outputSize()];
            d.forward(x, 1, o1);
            back.forward(x, 1, o2);
            assertThat(o2).containsExactly(o1);
        }
    }

    @Test
    void snapshotOfAnotherKindIsRefused() {
        ModelSnapshot s = DecoderSnapshots.toSnapshot(new MlpDecoder(6, 4, 3, 2, 2L), 1L, Map.of());
        s.getArchitecture().getHyperparameters().put("hidden", "5");
        assertThatThrownBy(() -> DecoderSnapshots.fromSnapshot(s))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("hidden.weight")
                .hasMessageContaining("[6, 4]")
                .hasMessageContaining("[6, 5]");
    }

    @Test
    void anNd4jModelFallsBackToJavaWhereNd4jIsMissing() {
        assertThat(DecoderBackend.ND4J.available()).isTrue(); // models depends on ND4J
        assertThat(DecoderBackend.JAVA.available()).isTrue();
        assertThat(DecoderSnapshots.usable(DecoderBackend.ND4J, false))
                .isEqualTo(DecoderBackend.JAVA);
        assertThat(DecoderSnapshots.usable(DecoderBackend.ND4J, true))
                .isEqualTo(DecoderBackend.ND4J);
        assertThat(DecoderSnapshots.usable(DecoderBackend.JAVA, false))
                .isEqualTo(DecoderBackend.JAVA);
    }
}
