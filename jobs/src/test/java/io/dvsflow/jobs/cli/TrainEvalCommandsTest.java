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
import java.util.ArrayList;
import java.util.List;
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

        // the mean of three readout draws: other images, so another MSE
        Run e3 =
                DvsflowCliTest.run(
                        "eval",
                        "--model",
                        model.toString(),
                        "--data",
                        "mnist",
                        "--samples",
                        "4",
                        "--draws",
                        "3",
                        "--json",
                        "--home",
                        dir.toString(),
                        "--digits-file",
                        digits.toString());
        assertThat(e3.exit()).as(e3.err()).isZero();
        JsonNode j3 = new ObjectMapper().readTree(e3.out());
        assertThat(j3.get("samples").asInt()).isEqualTo(4);
        assertThat(j3.get("mse").asDouble())
                .isBetween(0.0, 1.0)
                .isNotEqualTo(j.get("mse").asDouble());
        Run e0 =
                DvsflowCliTest.run(
                        "eval", "--model", model.toString(), "--data", "mnist", "--draws", "0");
        assertThat(e0.exit()).isNotZero();
        assertThat(e0.err()).contains("--draws must be positive");
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

    private static Run tinyTtfsRun(Path dir, Path digits, Path model, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
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
                                "--seed",
                                "3",
                                "--quiet",
                                "--home",
                                dir.toString(),
                                "--digits-file",
                                digits.toString(),
                                "--out",
                                model.toString()));
        args.addAll(List.of(extra));
        return DvsflowCliTest.run(args.toArray(String[]::new));
    }

    @Test
    void initContinuesFromTheModelsArchitectureAndWeights(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path first = dir.resolve("first.avro");
        Run a = tinyTtfsRun(dir, digits, first, "--hidden", "8", "--ny", "4", "--steps", "5");
        assertThat(a.exit()).as(a.err()).isZero();
        // the architecture options differ and must be ignored; rates of 1e-12 keep the weights
        Path second = dir.resolve("second.avro");
        Run b =
                tinyTtfsRun(
                        dir,
                        digits,
                        second,
                        "--init",
                        first.toString(),
                        "--hidden",
                        "16",
                        "--ny",
                        "6",
                        "--steps",
                        "7",
                        "--lr",
                        "1e-12",
                        "--encoder-lr",
                        "1e-12",
                        "--lr-schedule",
                        "cosine",
                        "--lr-floor",
                        "0.1");
        assertThat(b.exit()).as(b.err()).isZero();
        VdibModel m1 = VdibModel.fromSnapshot(ModelSnapshots.load(first));
        VdibModel m2 = VdibModel.fromSnapshot(ModelSnapshots.load(second));
        assertThat(m2.nY()).isEqualTo(4);
        assertThat(m2.steps()).isEqualTo(5);
        assertThat(m2.encoder().hidden(0).size()).isEqualTo(8);
        float[] w1 = m1.decoder().parameters().get(0).data();
        float[] w2 = m2.decoder().parameters().get(0).data();
        assertThat(w2).hasSameSizeAs(w1);
        for (int i = 0; i < w1.length; i++) {
            assertThat(w2[i]).isCloseTo(w1[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(ModelSnapshots.load(second).getMetadata())
                .containsEntry("init", "first.avro")
                .containsEntry("lr_schedule", "cosine")
                .containsEntry("lr_floor", "0.1");
    }

    @Test
    void initWithAnotherInputCodingAndUnknownScheduleAreUsageErrors(@TempDir Path dir)
            throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path first = dir.resolve("first.avro");
        Run a = tinyTtfsRun(dir, digits, first, "--hidden", "8", "--ny", "4", "--steps", "5");
        assertThat(a.exit()).as(a.err()).isZero();
        Run r =
                DvsflowCliTest.run(
                        "train",
                        "vdib",
                        "--data",
                        "mnist",
                        "--encoding",
                        "rate",
                        "--init",
                        first.toString(),
                        "--out",
                        dir.resolve("x.avro").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("first.avro").contains("input coding is ttfs");
        Run s = tinyTtfsRun(dir, digits, dir.resolve("y.avro"), "--lr-schedule", "step");
        assertThat(s.exit()).isNotZero();
        assertThat(s.err()).contains("unknown --lr-schedule 'step'");
    }

    @Test
    void cnnShapeOptionsReachTheDecoder(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("cnn.avro");
        Run t =
                tinyTtfsRun(
                        dir,
                        digits,
                        model,
                        "--hidden",
                        "8",
                        "--ny",
                        "16",
                        "--steps",
                        "12",
                        "--decoder",
                        "cnn",
                        "--cnn-channels",
                        "3,5",
                        "--cnn-kernel",
                        "3",
                        "--cnn-stride",
                        "4");
        assertThat(t.exit()).as(t.err()).isZero();
        VdibModel m = VdibModel.fromSnapshot(ModelSnapshots.load(model));
        assertThat(m.decoder().hyperparameters())
                .containsEntry("c1", "3")
                .containsEntry("c2", "5")
                .containsEntry("kernel", "3")
                .containsEntry("stride", "4");
        // window 12 x 16, padding 1: conv1 floor((12 + 2 - 3) / 4) + 1 = 3 x floor(15 / 4) + 1 = 4,
        // conv2 floor((3 + 2 - 3) / 4) + 1 = 1 x floor((4 + 2 - 3) / 4) + 1 = 1: 5 features, so
        // the dense layer has 5 x 28 x 28 weights
        long dense =
                m.decoder().parameters().stream()
                        .filter(p -> p.name().equals("output.weight"))
                        .mapToLong(p -> p.data().length)
                        .sum();
        assertThat(dense).isEqualTo(5L * 28 * 28);
        Run bad = tinyTtfsRun(dir, digits, dir.resolve("x.avro"), "--cnn-channels", "3");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--cnn-channels takes two values");
    }

    @Test
    void classTargetIsRecordedAndUsedByEval(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("class.avro");
        Run t =
                tinyTtfsRun(
                        dir,
                        digits,
                        model,
                        "--hidden",
                        "8",
                        "--ny",
                        "4",
                        "--steps",
                        "5",
                        "--target",
                        "class");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(ModelSnapshots.load(model).getMetadata()).containsEntry("target", "class");
        String[] base = {
            "eval",
            "--model",
            model.toString(),
            "--data",
            "mnist",
            "--samples",
            "6",
            "--json",
            "--home",
            dir.toString(),
            "--digits-file",
            digits.toString()
        };
        Run byModel = DvsflowCliTest.run(base);
        Run asClass =
                DvsflowCliTest.run(
                        Stream.concat(Stream.of(base), Stream.of("--target", "class"))
                                .toArray(String[]::new));
        Run asDigit =
                DvsflowCliTest.run(
                        Stream.concat(Stream.of(base), Stream.of("--target", "digit"))
                                .toArray(String[]::new));
        assertThat(byModel.exit()).as(byModel.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        double mseModel = json.readTree(byModel.out()).get("mse").asDouble();
        assertThat(mseModel).isEqualTo(json.readTree(asClass.out()).get("mse").asDouble());
        // the test digits differ from their class's first train digit: another MSE
        assertThat(mseModel).isNotEqualTo(json.readTree(asDigit.out()).get("mse").asDouble());
        Run bad = tinyTtfsRun(dir, digits, dir.resolve("x.avro"), "--target", "mean");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("unknown target 'mean'");
    }

    @Test
    void twoHiddenLayersFromACommaList(@TempDir Path dir) throws Exception {
        Path digits = DatasetsAndEmulateCommandsTest.digitsFile(dir);
        Path model = dir.resolve("deep.avro");
        Run t = tinyTtfsRun(dir, digits, model, "--hidden", "12,6", "--ny", "4", "--steps", "5");
        assertThat(t.exit()).as(t.err()).isZero();
        VdibModel m = VdibModel.fromSnapshot(ModelSnapshots.load(model));
        assertThat(m.encoder().hiddenLayers()).isEqualTo(2);
        assertThat(m.encoder().hidden(0).size()).isEqualTo(12);
        assertThat(m.encoder().hidden(1).size()).isEqualTo(6);
        assertThat(m.encoder().hidden(1).inputs()).isEqualTo(12);
        assertThat(m.encoder().readout().inputs()).isEqualTo(6);
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
