package io.dvsflow.models.decoder.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.DecoderSnapshots;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibArchitecture;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshots keep the backend; a snapshot of one backend loads in the other. */
class Nd4jDecoderSnapshotTest {

    static Stream<DecoderPair> pairs() {
        return DecoderPair.all();
    }

    private static float[] out(ImageDecoder d, float[] x) {
        float[] o = new float[d.outputSize()];
        d.forward(x, 1, o);
        return o;
    }

    private static ModelSnapshot roundTrip(ModelSnapshot s) {
        return ModelSnapshots.fromBytes(ModelSnapshots.toBytes(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void roundTripKeepsTheBackendAndTheFunction(DecoderPair pair) {
        ImageDecoder n = pair.nd4j().get();
        for (float[] p : n.parameters().stream().map(t -> t.data()).toList()) {
            for (int i = 0; i < p.length; i += 3) {
                p[i] += 0.01f * (i % 7); // moved off the initialisation
            }
        }
        n.parametersChanged();
        float[] x = DecoderPair.input(n.inputSize(), 9L);
        ModelSnapshot s = roundTrip(DecoderSnapshots.toSnapshot(n, 3L, Map.of()));
        assertThat(DecoderSnapshots.backend(s)).isEqualTo(DecoderBackend.ND4J);
        ImageDecoder back = DecoderSnapshots.fromSnapshot(s);
        assertThat(back.backend()).isEqualTo(DecoderBackend.ND4J);
        assertThat(back.getClass()).isEqualTo(n.getClass());
        assertThat(out(back, x)).isEqualTo(out(n, x));

        ImageDecoder asJava = DecoderSnapshots.fromSnapshot(s, DecoderBackend.JAVA);
        assertThat(asJava.backend()).isEqualTo(DecoderBackend.JAVA);
        assertThat(asJava.hyperparameters()).doesNotContainKey(DecoderBackend.KEY);
        Nd4jDecoderEquivalenceTest.assertClose("java from nd4j", out(asJava, x), out(n, x));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void javaSnapshotWithoutBackendKeyLoadsAsJavaOrAsNd4j(DecoderPair pair) {
        ImageDecoder j = pair.java().get();
        ModelSnapshot s = roundTrip(DecoderSnapshots.toSnapshot(j, 1L, Map.of()));
        assertThat(s.getArchitecture().getHyperparameters()).doesNotContainKey(DecoderBackend.KEY);
        assertThat(DecoderSnapshots.fromSnapshot(s).backend()).isEqualTo(DecoderBackend.JAVA);
        ImageDecoder n = DecoderSnapshots.fromSnapshot(s, DecoderBackend.ND4J);
        float[] x = DecoderPair.input(j.inputSize(), 10L);
        Nd4jDecoderEquivalenceTest.assertClose("nd4j from java", out(n, x), out(j, x));
    }

    @Test
    void unknownBackendIsAnInvalidSnapshot() {
        ModelSnapshot s =
                DecoderSnapshots.toSnapshot(new Nd4jLogisticDecoder(4, 2, 2, 1L), 1L, Map.of());
        Map<String, String> hp = new HashMap<>(s.getArchitecture().getHyperparameters());
        hp.put(DecoderBackend.KEY, "cuda");
        s.getArchitecture().setHyperparameters(hp);
        assertThatThrownBy(() -> DecoderSnapshots.fromSnapshot(s))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("unknown decoder backend 'cuda'");
    }

    @Test
    void vdibModelFromAnNd4jArchitectureKeepsTheBackendThroughItsSnapshot() {
        VdibArchitecture a =
                new VdibArchitecture(
                                new int[] {10},
                                6,
                                2,
                                4,
                                0.5f,
                                VdibArchitecture.DecoderType.CNN,
                                8,
                                DecoderInputMode.WINDOW,
                                8,
                                1f,
                                1f)
                        .withDecoderBackend(DecoderBackend.ND4J);
        VdibModel m =
                a.newModel(
                        VdibModel.InputSettings.image(VdibModel.Encoding.RATE, 6, 6, 8),
                        1e-3,
                        0.3,
                        5,
                        false);
        assertThat(m.decoder()).isInstanceOf(Nd4jCnnDecoder.class);
        VdibModel back = VdibModel.fromSnapshot(roundTrip(m.toSnapshot(2L, Map.of())));
        assertThat(back.decoder()).isInstanceOf(Nd4jCnnDecoder.class);
        assertThat(back.decoder().parameters().get(0).data())
                .isEqualTo(m.decoder().parameters().get(0).data());
    }
}
