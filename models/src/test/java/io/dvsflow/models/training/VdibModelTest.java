package io.dvsflow.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.MlpDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VdibModelTest {

    static VdibModel tiny() {
        VdibModel.InputSettings in = VdibModel.InputSettings.dvs(4, 3, 51, 52, 6, 10_000);
        SnnEncoder enc =
                SnnEncoder.random(
                        in.inputSize(),
                        new int[] {5},
                        3,
                        LifParameters.decolle(),
                        2,
                        4,
                        0.5f,
                        false,
                        1);
        MlpDecoder dec = new MlpDecoder(3 * 4, 7, 4, 3, 2);
        return new VdibModel(enc, dec, DecoderInputMode.WINDOW, 4, in, 1e-3, 0.3);
    }

    @Test
    void snapshotRoundTripKeepsEverything(@TempDir Path dir) throws Exception {
        VdibModel m = tiny();
        Path file = dir.resolve("m.avro");
        ModelSnapshots.save(m.toSnapshot(7, Map.of("seed", "1")), file);
        ModelSnapshot s = ModelSnapshots.load(file);
        VdibModel r = VdibModel.fromSnapshot(s);
        assertThat(s.getVersion()).isEqualTo(7);
        assertThat(s.getMetadata()).containsEntry("seed", "1");
        assertThat(r.input()).isEqualTo(m.input());
        assertThat(r.inputWidth()).isEqualTo(4);
        assertThat(r.inputHeight()).isEqualTo(3);
        assertThat(r.cropX()).isEqualTo(51);
        assertThat(r.cropY()).isEqualTo(52);
        assertThat(r.dtUs()).isEqualTo(10_000);
        assertThat(r.steps()).isEqualTo(6);
        assertThat(r.tauD()).isEqualTo(4);
        assertThat(r.nY()).isEqualTo(3);
        assertThat(r.decoding()).isEqualTo(DecoderInputMode.WINDOW);
        assertThat(r.encoder().hidden(0).parameters()).isEqualTo(LifParameters.decolle());
        assertThat(r.decoder().kind()).isEqualTo(m.decoder().kind());
        List<NamedTensor> a = m.tensors();
        List<NamedTensor> b = r.tensors();
        assertThat(b).isEqualTo(a);
        // 24 inputs = 2 channels x 3 x 4; hidden 5, K 2, nY 3
        assertThat(b.get(0).shape()).containsExactly(24, 5);
        assertThat(b.get(2).shape()).containsExactly(5, 2, 3);
    }

    @Test
    void refusesOtherKindsAndBrokenSnapshots() {
        MlpDecoder dec = new MlpDecoder(12, 7, 4, 3, 2);
        ModelSnapshot notVdib =
                ModelSnapshots.create(
                        dec.kind(),
                        dec.layerSizes(),
                        dec.hyperparameters(),
                        dec.parameters(),
                        1,
                        Map.of());
        assertThatThrownBy(() -> VdibModel.fromSnapshot(notVdib))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("vdib");
        ModelSnapshot s = tiny().toSnapshot(1, Map.of());
        s.getArchitecture().getHyperparameters().remove("tauD");
        assertThatThrownBy(() -> VdibModel.fromSnapshot(s))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("tauD");
        ModelSnapshot t = tiny().toSnapshot(1, Map.of());
        t.getArchitecture().getHyperparameters().put("hidden", "6");
        assertThatThrownBy(() -> VdibModel.fromSnapshot(t))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("encoder.hidden.0.weight");
    }

    @Test
    void constructorChecksSizes() {
        VdibModel m = tiny();
        assertThatThrownBy(
                        () ->
                                new VdibModel(
                                        m.encoder(),
                                        m.decoder(),
                                        DecoderInputMode.RATE,
                                        4,
                                        m.input(),
                                        1e-3,
                                        0.3))
                .hasMessageContaining("decoder has 12 inputs");
    }
}
