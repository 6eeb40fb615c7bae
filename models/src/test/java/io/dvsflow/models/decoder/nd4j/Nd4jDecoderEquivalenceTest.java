package io.dvsflow.models.decoder.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ND4J decoders against the Java ones with the same seed: identical parameters (names, shapes,
 * values), and the same outputs, loss, parameter and input gradients up to float rounding (the two
 * sum in different orders), for batches of 1 and 5.
 */
class Nd4jDecoderEquivalenceTest {
    private static final double REL = 1e-4;

    static Stream<Arguments> cases() {
        return DecoderPair.all().flatMap(p -> Stream.of(Arguments.of(p, 1), Arguments.of(p, 5)));
    }

    @ParameterizedTest(name = "{0}, batch {1}")
    @MethodSource("cases")
    void sameInitialParametersOutputsLossAndGradients(DecoderPair pair, int batch) {
        ImageDecoder j = pair.java().get();
        ImageDecoder n = pair.nd4j().get();
        assertThat(n.backend()).isEqualTo(DecoderBackend.ND4J);
        assertThat(n.kind()).isEqualTo(j.kind());
        assertThat(n.layerSizes()).isEqualTo(j.layerSizes());
        assertThat(n.inputSize()).isEqualTo(j.inputSize());
        assertThat(n.hyperparameters())
                .containsAllEntriesOf(j.hyperparameters())
                .containsEntry(DecoderBackend.KEY, "nd4j");
        List<NamedTensor> pj = j.parameters();
        List<NamedTensor> pn = n.parameters();
        assertThat(pn).hasSameSizeAs(pj);
        for (int k = 0; k < pj.size(); k++) {
            assertThat(pn.get(k).name()).isEqualTo(pj.get(k).name());
            assertThat(pn.get(k).shape()).isEqualTo(pj.get(k).shape());
            assertThat(pn.get(k).data()).as(pj.get(k).name()).isEqualTo(pj.get(k).data());
        }

        // two rounds with different data: the second checks that the reused buffers see the new
        // input and that gradients accumulate
        float[] dxj = new float[batch * j.inputSize()];
        float[] dxn = new float[batch * j.inputSize()];
        j.zeroGradients();
        n.zeroGradients();
        for (int round = 0; round < 2; round++) {
            float[] x = DecoderPair.input(batch * j.inputSize(), 31L + 10 * round + batch);
            float[] t = DecoderPair.target(batch * j.outputSize(), 41L + 10 * round + batch);
            float[] oj = new float[t.length];
            float[] on = new float[t.length];
            j.forward(x, batch, oj);
            n.forward(x, batch, on);
            assertClose("output", on, oj);
            double lj = j.backward(t, dxj);
            double ln = n.backward(t, dxn);
            assertThat(ln).isCloseTo(lj, org.assertj.core.data.Offset.offset(REL * Math.abs(lj)));
            assertClose("input gradient", dxn, dxj);
            for (int k = 0; k < pj.size(); k++) {
                assertClose(
                        pj.get(k).name() + " gradient",
                        n.gradients().get(k).data(),
                        j.gradients().get(k).data());
            }
        }
    }

    static Stream<DecoderPair> pairs() {
        return DecoderPair.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void changingBatchSizesReallocateTheBuffers(DecoderPair pair) {
        ImageDecoder j = pair.java().get();
        ImageDecoder n = pair.nd4j().get();
        for (int batch : new int[] {5, 1, 3, 5}) {
            float[] x = DecoderPair.input(batch * j.inputSize(), 50L + batch);
            float[] t = DecoderPair.target(batch * j.outputSize(), 60L + batch);
            float[] oj = new float[t.length];
            float[] on = new float[t.length];
            float[] dxj = new float[x.length];
            float[] dxn = new float[x.length];
            j.forward(x, batch, oj);
            n.forward(x, batch, on);
            assertClose("output, batch " + batch, on, oj);
            j.backward(t, dxj);
            n.backward(t, dxn);
            assertClose("input gradient, batch " + batch, dxn, dxj);
        }
    }

    /** Every element within {@code REL} of the reference tensor's largest magnitude. */
    static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 1e-12;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst / scale)
                .as("%s: worst difference %s at %d (scale %s)", what, worst, at, scale)
                .isLessThanOrEqualTo(REL);
    }
}
