package io.dvsflow.models.decoder.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.optim.DecoderAdam;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A few hundred Adam steps on a tiny problem lower the ND4J decoders' loss: eight fixed binary
 * inputs, each to be decoded into its own fixed binary image.
 */
class Nd4jDecoderTrainingTest {
    private static final int EXAMPLES = 8;
    private static final int STEPS = 300;

    static Stream<DecoderPair> pairs() {
        return DecoderPair.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void adamLowersTheLoss(DecoderPair pair) {
        ImageDecoder d = pair.nd4j().get();
        float[] x = DecoderPair.input(EXAMPLES * d.inputSize(), 1L);
        float[] t = DecoderPair.target(EXAMPLES * d.outputSize(), 2L);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] < 0.5f ? 0f : 1f;
        }
        float[] out = new float[t.length];
        DecoderAdam adam = new DecoderAdam(1e-2);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int s = 0; s < STEPS; s++) {
            d.zeroGradients();
            d.forward(x, EXAMPLES, out);
            last = d.backward(t, null);
            if (s == 0) {
                first = last;
            }
            adam.step(d.parameters(), d.gradients());
            d.parametersChanged();
        }
        assertThat(last).as("first %.3f last %.3f", first, last).isLessThan(0.5 * first);
    }
}
