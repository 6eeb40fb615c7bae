package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvsflow.jobs.cli.DvsflowCliTest.Run;
import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.snapshot.ModelKind;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code train} and {@code eval} on tiny models and injected synthetic digits (no npm). */
class TrainEvalCommandsTest {

    @ParameterizedTest
    @ValueSource(strings = {"train", "train vdib", "train classifier", "eval"})
    void helpHasAnExample(String command) {
        String[] args =
                Stream.concat(Stream.of(command.split(" ")), Stream.of("--help"))
                        .toArray(String[]::new);
        Run r = DvsflowCliTest.run(args);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: dvsflow " + command).contains("Examples:");
    }

    @Test
    void tinyTrainingWritesModelAndRunFolderAndEvalPrintsJson(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("tiny.avro");
        Run t =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist",
                        "--encoding",
                        "ttfs",
                        "--samples",
                        "8",
                        "--eval-samples",
                        "4",
                        "--eval-every",
                        "1",
                        "--hidden",
                        "8",
                        "--ny",
                        "4",
                        "--decoder-hidden",
                        "8",
                        "--steps",
                        "5",
                        "--seed",
                        "3",
                        "--quiet",
                        "--home",
                        dir.toString(),
                        "--digits-file",
                        digits.toString(),
                        "--out",
                        model.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("trained 8 samples");
        Path run = dir.resolve("tiny-run");
        assertThat(Files.readAllLines(run.resolve("train-log.csv")))
                .hasSize(3) // header + 2 updates of batch 4
                .first()
                .asString()
                .startsWith("step,samples,loss,decoder_loss");
        assertThat(run.resolve("contact-sheet.png")).isNotEmptyFile();
        assertThat(run.resolve("loss.png")).isNotEmptyFile();
        assertThat(run.resolve("samples/test/vdib_0000000000000.png")).isNotEmptyFile();
        VdibModel m = VdibModel.fromSnapshot(ModelSnapshots.load(model));
        assertThat(m.steps()).isEqualTo(5);
        assertThat(m.nY()).isEqualTo(4);

        Run e =
                DvsflowCliTest.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--data",
                        "mnist",
                        "--samples",
                        "4",
                        "--json",
                        "--home",
                        dir.toString(),
                        "--digits-file",
                        digits.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(e.out());
        assertThat(j.has("mse") && j.has("psnr") && j.has("ssim") && j.has("accuracy")).isTrue();
        assertThat(j.get("samples").asInt()).isEqualTo(4);
        assertThat(j.get("mse").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void dvsTrainingOnEmulatedDigitsUsesTheCrop(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("dvs.avro");
        Run t =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist-dvs",
                        "--encoding",
                        "dvs",
                        "--samples",
                        "2",
                        "--eval-samples",
                        "2",
                        "--hidden",
                        "6",
                        "--ny",
                        "3",
                        "--decoder-hidden",
                        "4",
                        "--steps",
                        "4",
                        "--dt-ms",
                        "50",
                        "--quiet",
                        "--home",
                        dir.toString(),
                        "--digits-file",
                        digits.toString(),
                        "--out",
                        model.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        VdibModel m = VdibModel.fromSnapshot(ModelSnapshots.load(model));
        assertThat(m.inputWidth()).isEqualTo(26);
        assertThat(m.cropX()).isEqualTo(51);
        assertThat(m.dtUs()).isEqualTo(50_000);
        assertThat(m.encoder().inputs()).isEqualTo(2 * 26 * 26);
    }

    @Test
    void mismatchedEncodingIsAUsageError(@TempDir Path dir) {
        Run t =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist",
                        "--encoding",
                        "dvs",
                        "--out",
                        dir.resolve("x.avro").toString());
        assertThat(t.exit()).isEqualTo(1);
        assertThat(t.err()).contains("--encoding dvs goes with");
    }

    @Test
    void nd4jDecoderBackendIsStoredInTheModel(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("nd4j.avro");
        Run t =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist",
                        "--encoding",
                        "rate",
                        "--decoder",
                        "cnn",
                        "--decoder-backend",
                        "nd4j",
                        "--samples",
                        "4",
                        "--eval-samples",
                        "4",
                        "--hidden",
                        "8",
                        "--ny",
                        "4",
                        "--steps",
                        "5",
                        "--seed",
                        "3",
                        "--quiet",
                        "--home",
                        dir.toString(),
                        "--digits-file",
                        digits.toString(),
                        "--out",
                        model.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        VdibModel m = VdibModel.fromSnapshot(ModelSnapshots.load(model));
        assertThat(m.decoder().backend()).isEqualTo(DecoderBackend.ND4J);
        assertThat(m.decoder().kind()).isEqualTo(ModelKind.CNN_DECODER);
    }

    @Test
    void unknownDecoderBackendIsAUsageError(@TempDir Path dir) {
        Run t =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist",
                        "--decoder-backend",
                        "cuda",
                        "--out",
                        dir.resolve("x.avro").toString());
        assertThat(t.exit()).isNotZero();
        assertThat(t.err()).contains("unknown decoder backend 'cuda'");
    }
}
