package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.DatasetSplit;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.jobs.train.DigitClassifiers;
import io.dvsflow.jobs.train.TrainingData;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.DecodedMetrics;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibRunner;
import io.dvsflow.models.training.VdibSample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow eval}: image quality and classifier accuracy of a VDIB model's decoded images on
 * test data (see {@link DecodedMetrics}). Sample {@code i} is run with seed {@code i}.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Decode test samples with a VDIB model and print MSE, PSNR, SSIM against the targets and"
                    + " the accuracy of the project's LeNet-5 classifier on the decoded images"
                    + " (decoded images of another size, e.g. 26x26 crops, are resized bilinearly to"
                    + " 28x28 first). Data: mnist (test split of the real digits; for a DVS model,"
                    + " emulated MNIST-DVS recordings of them) or a folder of emulated MNIST-DVS"
                    + " recordings with sidecars (test split).",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow eval --model ttfs-vdib.avro --data mnist",
            "  ./dvsflow eval --model mnist-dvs.avro --data emu/ --json",
        })
final class EvalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "VDIB model.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "mnist|DIR", description = "Test data.")
    String data;

    @Option(
            names = "--samples",
            defaultValue = "500",
            description = "Test samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(
            names = "--classifier",
            paramLabel = "FILE",
            description = "Classifier model (default: the cached one, trained on first use).")
    Path classifierFile;

    @Option(names = "--threads", defaultValue = "2", description = "Workers (default: 2).")
    int threads;

    @Option(
            names = "--target",
            paramLabel = "digit|class",
            description =
                    "Compare with each sample's source digit or with one fixed digit per class"
                            + " (default: the target the model was trained for, else digit).")
    String target;

    @Option(
            names = "--draws",
            defaultValue = "1",
            paramLabel = "D",
            description =
                    "Readout draws per sample: the decoded image is the mean of D decodings with"
                            + " independent readout spikes (default: ${DEFAULT-VALUE}).")
    int draws;

    @Mixin DigitsSourceMixin digits;

    @Override
    public Integer call() throws Exception {
        if (samples < 1 || threads < 1 || draws < 1) {
            throw new IllegalArgumentException("--samples, --threads and --draws must be positive");
        }
        CliFiles.requireReadable(model);
        io.dvsflow.schemas.avro.ModelSnapshot snapshot = ModelSnapshots.load(model);
        VdibModel m = VdibModel.fromSnapshot(snapshot);
        String trained = snapshot.getMetadata().get("target");
        TrainingData.Target targetKind =
                TrainingData.Target.of(
                        target != null ? target : trained != null ? trained : "digit");
        PrintWriter err = spec.commandLine().getErr();
        MnistImages images = null;
        List<VdibSample> test;
        boolean dvs = m.input().encoding() == VdibModel.Encoding.DVS;
        if (data.equals("mnist") || data.equals("mnist-dvs")) {
            images = digits.load(err);
            test =
                    dvs
                            ? TrainingData.mnistDvs(
                                    images,
                                    DatasetSplit.TEST,
                                    samples,
                                    0,
                                    m.input(),
                                    threads,
                                    n -> {})
                            : TrainingData.mnist(images, DatasetSplit.TEST, samples, 0);
        } else {
            if (!dvs) {
                throw new IllegalArgumentException(
                        "a folder of event recordings needs a model with the dvs encoding");
            }
            Path dir = Path.of(data);
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + ": no such folder");
            }
            test = TrainingData.folder(dir, DatasetSplit.TEST, samples, 0, m.input());
        }
        if (targetKind == TrainingData.Target.CLASS) {
            if (images == null) {
                images = digits.load(err);
            }
            test =
                    TrainingData.withClassTargets(
                            test,
                            TrainingData.classPrototypes(images),
                            m.decoder().outputWidth(),
                            m.decoder().outputHeight());
        }
        LeNet5Classifier classifier;
        if (classifierFile != null) {
            CliFiles.requireReadable(classifierFile);
            classifier = LeNet5Classifier.fromSnapshot(ModelSnapshots.load(classifierFile));
        } else {
            if (images == null) {
                images = digits.load(err);
            }
            classifier = DigitClassifiers.cached(digits.dataDir(), images, threads);
        }
        VdibRunner runner = new VdibRunner(m.forInference());
        float[][] decoded = new float[test.size()][m.decoder().outputSize()];
        float[] scratch = new float[m.decoder().outputSize()];
        for (int i = 0; i < test.size(); i++) {
            runner.decodeMean(test.get(i), i, draws, decoded[i], scratch);
        }
        DecodedMetrics r =
                DecodedMetrics.of(
                        test,
                        decoded,
                        m.decoder().outputWidth(),
                        m.decoder().outputHeight(),
                        classifier);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(
                    Locale.ROOT,
                    "{\"mse\": %s, \"psnr\": %s, \"ssim\": %s, \"accuracy\": %s, \"samples\": %d}%n",
                    num(r.mse()),
                    num(r.psnr()),
                    num(r.ssim()),
                    num(r.accuracy()),
                    r.samples());
        } else {
            out.printf(
                    Locale.ROOT,
                    "samples   %d%nMSE       %.5f%nPSNR      %.2f dB%nSSIM      %.4f%n"
                            + "accuracy  %.2f%%%n",
                    r.samples(),
                    r.mse(),
                    r.psnr(),
                    r.ssim(),
                    100 * r.accuracy());
        }
        out.flush();
        return 0;
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
