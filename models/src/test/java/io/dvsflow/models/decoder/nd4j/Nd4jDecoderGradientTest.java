package io.dvsflow.models.decoder.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ND4J gradients against central finite differences of the ND4J loss, independent of the Java
 * decoders: a few entries of every parameter tensor and a few inputs (EPS 1e-3); probes whose
 * one-sided slopes disagree crossed a ReLU kink and are skipped, at most a quarter of them.
 */
class Nd4jDecoderGradientTest {
    private static final int BATCH = 2;
    private static final float EPS = 1e-3f;

    static Stream<DecoderPair> pairs() {
        return DecoderPair.all();
    }

    /**
     * The BCE of the ND4J forward outputs summed in double: the decoder's own loss is a float sum,
     * whose rounding would swamp differences of small gradients.
     */
    private static double loss(ImageDecoder d, float[] x, float[] target) {
        float[] out = new float[BATCH * d.outputSize()];
        d.forward(x, BATCH, out);
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            double p = out[i];
            l -= target[i] * Math.log(p) + (1 - target[i]) * Math.log(1 - p);
        }
        return l / BATCH;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void gradientsMatchFiniteDifferences(DecoderPair pair) {
        ImageDecoder d = pair.nd4j().get();
        // biases off zero and dense inputs keep the ReLU pre-activations away from their kink at
        // 0, where central differences straddle two slopes (spike inputs and zero biases leave
        // whole regions at exactly 0)
        SplittableRandom r = new SplittableRandom(8);
        for (NamedTensor p : d.parameters()) {
            if (p.name().endsWith(".bias")) {
                for (int i = 0; i < p.size(); i++) {
                    p.data()[i] = (float) r.nextDouble(-0.5, 0.5);
                }
            }
        }
        d.parametersChanged();
        float[] x = new float[BATCH * d.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        float[] target = DecoderPair.target(BATCH * d.outputSize(), 6L);
        float[] dx = new float[x.length];
        d.zeroGradients();
        d.forward(x, BATCH, new float[target.length]);
        d.backward(target, dx);
        List<NamedTensor> params = d.parameters();
        List<float[]> grads = d.gradients().stream().map(t -> t.data().clone()).toList();
        double center = loss(d, x, target);
        int probes = 0;
        int kinks = 0;
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p).data();
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 4)) {
                float saved = w[i];
                w[i] = saved + EPS;
                d.parametersChanged();
                double up = loss(d, x, target);
                w[i] = saved - EPS;
                d.parametersChanged();
                double down = loss(d, x, target);
                w[i] = saved;
                d.parametersChanged();
                probes++;
                // one-sided slopes that disagree mean a ReLU switched inside the probe interval
                if (Math.abs((up - center) - (center - down)) / EPS > 2e-3) {
                    kinks++;
                    continue;
                }
                double numeric = (up - down) / (2 * EPS);
                assertThat((double) grads.get(p)[i])
                        .as("%s[%d]", params.get(p).name(), i)
                        .isCloseTo(numeric, within(3e-3 + 3e-2 * Math.abs(numeric)));
            }
        }
        assertThat(kinks).as("probes across a ReLU kink").isLessThanOrEqualTo(probes / 4);
        for (int i : new int[] {0, x.length / 2 - 1, x.length / 2, x.length - 1}) {
            float saved = x[i];
            x[i] = saved + EPS;
            double up = loss(d, x, target);
            x[i] = saved - EPS;
            double down = loss(d, x, target);
            x[i] = saved;
            double numeric = (up - down) / (2 * EPS);
            assertThat((double) dx[i])
                    .as("input[%d]", i)
                    .isCloseTo(numeric, within(3e-3 + 3e-2 * Math.abs(numeric)));
        }
    }
}
