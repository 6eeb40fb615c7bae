package io.dvsflow.models.decoder.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.MlpDecoder;
import io.dvsflow.models.decoder.optim.DecoderAdam;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native parameter mirrors: refreshed after {@link ImageDecoder#parametersChanged()}, once per
 * change, and shared with replicas.
 */
class Nd4jDecoderMirrorTest {

    static Stream<DecoderPair> pairs() {
        return DecoderPair.all();
    }

    private static float[] out(ImageDecoder d, float[] x) {
        float[] o = new float[d.outputSize()];
        d.forward(x, 1, o);
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void adamStepThenParametersChangedMovesTheOutputLikeJava(DecoderPair pair) {
        ImageDecoder n = pair.nd4j().get();
        ImageDecoder j = pair.java().get();
        float[] x = DecoderPair.input(n.inputSize(), 1L);
        float[] t = DecoderPair.target(n.outputSize(), 2L);
        float[] before = out(n, x);
        for (ImageDecoder d : new ImageDecoder[] {n, j}) {
            d.zeroGradients();
            d.forward(x, 1, new float[d.outputSize()]);
            d.backward(t, null);
            new DecoderAdam(0.05).step(d.parameters(), d.gradients());
        }
        // without the notice the mirror is stale by design: the output has not moved
        assertThat(out(n, x)).isEqualTo(before);
        n.parametersChanged();
        float[] after = out(n, x);
        assertThat(after).isNotEqualTo(before);
        Nd4jDecoderEquivalenceTest.assertClose("output after a step", after, out(j, x));
    }

    @Test
    void replicaSeesTheMastersUpdatesAndTheMirrorIsCopiedOncePerChange() {
        Nd4jMlpDecoder master = new Nd4jMlpDecoder(20, 8, 3, 3, 7L);
        Nd4jMlpDecoder replica = master.replica();
        assertThat(replica.parameters().get(0).data()).isSameAs(master.parameters().get(0).data());
        assertThat(replica.gradients().get(0).data()).isNotSameAs(master.gradients().get(0).data());
        float[] x = DecoderPair.input(20, 3L);
        float[] r0 = out(replica, x);
        assertThat(out(master, x)).isEqualTo(r0);
        long copies = master.mirrorCopies();

        master.parameters().get(3).data()[4] += 2f; // output.bias of pixel 4
        master.parametersChanged();
        float[] r1 = out(replica, x);
        out(master, x);
        out(replica, x);
        assertThat(master.mirrorCopies()).isEqualTo(copies + 1);
        assertThat(r1[4]).isGreaterThan(r0[4]);
        for (int i = 0; i < r0.length; i++) {
            if (i != 4) {
                assertThat(r1[i]).isEqualTo(r0[i]);
            }
        }
        MlpDecoder java = new MlpDecoder(20, 8, 3, 3, 7L);
        java.setParameters(master.parameters());
        Nd4jDecoderEquivalenceTest.assertClose("replica after update", r1, out(java, x));
    }

    @Test
    void setParametersRefreshesTheMirror() {
        Nd4jLogisticDecoder a = new Nd4jLogisticDecoder(6, 2, 2, 1L);
        Nd4jLogisticDecoder b = new Nd4jLogisticDecoder(6, 2, 2, 2L);
        float[] x = DecoderPair.input(6, 4L);
        float[] oa = out(a, x);
        assertThat(out(b, x)).isNotEqualTo(oa);
        b.setParameters(a.parameters());
        assertThat(out(b, x)).isEqualTo(oa);
    }
}
