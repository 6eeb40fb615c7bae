package io.dvsflow.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.snapshot.NamedTensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Analytic gradients of every decoder against central finite differences of the loss. */
class DecoderGradientTest {
    private static final int BATCH = 2;
    private static final float EPS = 1e-2f;

    static Stream<ImageDecoder> decoders() {
        return Stream.of(
                new LogisticDecoder(7, 3, 2, 11L),
                new MlpDecoder(7, 5, 3, 2, 12L),
                new CnnDecoder(1, 5, 6, 2, 3, 3, 1, 3, 2, 13L),
                new CnnDecoder(2, 6, 5, 2, 2, 3, 2, 2, 2, 14L));
    }

    private static double loss(ImageDecoder d, float[] x, float[] target) {
        float[] out = new float[BATCH * d.outputSize()];
        d.forward(x, BATCH, out);
        return d.backward(target, null);
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void gradientsMatchFiniteDifferences(ImageDecoder d) {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[BATCH * d.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        float[] target = new float[BATCH * d.outputSize()];
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) r.nextDouble();
        }
        float[] out = new float[target.length];
        float[] dx = new float[x.length];
        d.zeroGradients();
        d.forward(x, BATCH, out);
        d.backward(target, dx);
        List<NamedTensor> params = d.parameters();
        // backward accumulates, so copy the analytic gradients before the probes below add to them
        List<float[]> grads = d.gradients().stream().map(t -> t.data().clone()).toList();
        int checked = 0;
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p).data();
            float[] g = grads.get(p);
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 7)) {
                float saved = w[i];
                w[i] = saved + EPS;
                d.parametersChanged();
                double up = loss(d, x, target);
                w[i] = saved - EPS;
                d.parametersChanged();
                double down = loss(d, x, target);
                w[i] = saved;
                d.parametersChanged();
                double numeric = (up - down) / (2 * EPS);
                assertThat((double) g[i])
                        .as("%s[%d]", params.get(p).name(), i)
                        .isCloseTo(numeric, within(3e-3 + 3e-2 * Math.abs(numeric)));
                checked++;
            }
        }
        for (int i = 0; i < x.length; i++) {
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
        assertThat(checked).isGreaterThan(params.size());
    }
}
