package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.DatasetSplit;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.jobs.train.DigitClassifiers;
import io.dvsflow.jobs.train.TrainingData;
import io.dvsflow.jobs.train.VdibTrainingRun;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibArchitecture;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.models.training.VdibTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dvsflow train ...}: the project's trainers. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train models: the VDIB naturalizer and the digit classifier that scores it.",
        subcommands = {
            TrainCommand.Vdib.class,
            TrainCommand.Classifier.class,
            TrainCommand.Predictive.class
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow train vdib --data mnist --encoding ttfs --decoding vdib --epochs 1"
                    + " --samples 2000 --seed 1 --out ttfs-vdib.avro",
            "  ./dvsflow train classifier --out classifier.avro",
            "  ./dvsflow train predictive --out predictive/",
        })
final class TrainCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code dvsflow train vdib}. */
    @Command(
            name = "vdib",
            mixinStandardHelpOptions = true,
            description = {
                "Train a VDIB hybrid auto-encoder (LIF hidden layer, stochastic SRM readout, ANN"
                        + " decoder; REINFORCE + e-prop + Adam) that decodes spikes into images."
                        + " Data: mnist (real digits, rate or TTFS coded, T steps), mnist-dvs"
                        + " (emulated scale-4 MNIST-DVS generated on the fly from the train-split"
                        + " digits, 2 s, binary bins, 26x26 crop at (51, 51)) or a folder of"
                        + " emulated MNIST-DVS recordings with sidecars. Evaluates on the test split"
                        + " every --eval-every updates and at the end (MSE, PSNR, SSIM, LeNet-5"
                        + " accuracy). Writes the model (Avro ModelSnapshot) and a run folder"
                        + " (train-log.csv, loss curves, contact sheet, summary.json) for 'dvsflow"
                        + " report'. Deterministic for a seed and a thread count.",
            },
            footer = {
                "",
                "Examples:",
                "  ./dvsflow train vdib --data mnist --encoding rate --decoding vdib --epochs 1"
                        + " --samples 2000 --seed 1 --out rate-vdib.avro",
                "  ./dvsflow train vdib --data mnist-dvs --encoding dvs --samples 1000 --hidden 200"
                        + " --ny 64 --seed 1 --out mnist-dvs.avro",
                "  ./dvsflow report rate-vdib-run",
            })
    static final class Vdib implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "mnist|mnist-dvs|DIR",
                description = "Training data.")
        String data;

        @Option(
                names = "--encoding",
                defaultValue = "rate",
                paramLabel = "rate|ttfs|dvs",
                description = "Input spike coding (default: ${DEFAULT-VALUE}; dvs for event data).")
        String encoding;

        @Option(
                names = "--decoder",
                defaultValue = "mlp",
                paramLabel = "linear|mlp|cnn",
                description = "Decoder architecture (default: ${DEFAULT-VALUE}).")
        String decoder;

        @Option(
                names = "--decoder-backend",
                defaultValue = "java",
                paramLabel = "java|nd4j",
                description =
                        "Implementation of the decoder (default: ${DEFAULT-VALUE}). java: plain"
                                + " Java layers that skip zero spike inputs, the faster choice"
                                + " here since the trainer decodes one window per call; nd4j:"
                                + " ND4J (OpenBLAS gemm, im2col convolutions), faster only on"
                                + " batches of windows. Same parameters, initialisation and"
                                + " snapshots: a model trained with one loads with the other; the"
                                + " choice is stored in the model (decoder.backend).")
        String decoderBackend;

        @Option(
                names = "--decoding",
                defaultValue = "vdib",
                paramLabel = "vdib|rate",
                description =
                        "Decoder input: the tau_d x N_Y spike window (vdib) or spike counts (rate)"
                                + " (default: ${DEFAULT-VALUE}).")
        String decoding;

        @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: 1).")
        int epochs;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: 1).")
        long seed;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "FILE",
                description = "Model file (.avro).")
        Path out;

        @Option(
                names = "--samples",
                defaultValue = "0",
                paramLabel = "N",
                description =
                        "Training samples (default: the whole train split; 1000 for"
                                + " generated mnist-dvs).")
        int samples;

        @Option(
                names = "--eval-samples",
                defaultValue = "500",
                paramLabel = "N",
                description = "Test samples scored (default: ${DEFAULT-VALUE}).")
        int evalSamples;

        @Option(
                names = "--eval-every",
                defaultValue = "0",
                paramLabel = "K",
                description = "Evaluate every K updates (default: only at the end).")
        int evalEvery;

        @Option(
                names = "--threads",
                defaultValue = "2",
                description = "Data-parallel workers (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(
                names = "--batch",
                defaultValue = "4",
                description = "Samples per update (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(
                names = "--hidden",
                defaultValue = "600",
                split = ",",
                paramLabel = "N[,N...]",
                hideParamSyntax = true,
                description =
                        "Hidden LIF neurons per layer, e.g. 600 or 400,200 for two layers (each"
                                + " layer learns by e-prop from its own fixed random feedback;"
                                + " default: ${DEFAULT-VALUE}).")
        int[] hidden;

        @Option(
                names = "--ny",
                defaultValue = "256",
                description = "Readout neurons N_Y (default: ${DEFAULT-VALUE}).")
        int nY;

        @Option(
                names = "--decoder-hidden",
                defaultValue = "512",
                description = "Hidden units of the MLP decoder (default: ${DEFAULT-VALUE}).")
        int decoderHidden;

        @Option(
                names = "--cnn-channels",
                defaultValue = "8,16",
                split = ",",
                paramLabel = "C1,C2",
                hideParamSyntax = true,
                description =
                        "Channels of the CNN decoder's two convolutions (default:"
                                + " ${DEFAULT-VALUE}).")
        int[] cnnChannels;

        @Option(
                names = "--cnn-kernel",
                defaultValue = "5",
                description = "Kernel side of the CNN decoder (default: ${DEFAULT-VALUE}).")
        int cnnKernel;

        @Option(
                names = "--cnn-stride",
                defaultValue = "2",
                description =
                        "Stride of both CNN convolutions (default: ${DEFAULT-VALUE}); 4 shrinks the"
                                + " dense layer, and the model file, about 13-fold for a 40 x 256"
                                + " window.")
        int cnnStride;

        @Option(
                names = "--steps",
                paramLabel = "T",
                description = "Time steps per sample (default: 30 for images, 40 for DVS).")
        Integer steps;

        @Option(
                names = "--dt-ms",
                defaultValue = "50",
                description = "DVS bin width in ms (default: ${DEFAULT-VALUE}; T x dt = 2 s).")
        int dtMs;

        @Option(
                names = "--readout-gain",
                defaultValue = "16",
                description =
                        "Factor on the readout's initial weights, so that the first readout spikes"
                                + " depend on the input (default: ${DEFAULT-VALUE}; 1 = plain"
                                + " uniform +-1/sqrt(N_H K)).")
        float readoutGain;

        @Option(
                names = "--hidden-gain",
                defaultValue = "60",
                description =
                        "Factor on the hidden layer's initial weights, so that the filtered input"
                                + " drive outweighs the biases (default: ${DEFAULT-VALUE}; 1 ="
                                + " plain uniform +-1/sqrt(fan-in)).")
        float hiddenGain;

        @Option(
                names = "--lr",
                defaultValue = "1e-3",
                description = "Adam learning rate of the decoder (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(
                names = "--encoder-lr",
                defaultValue = "1e-3",
                paramLabel = "LR",
                description =
                        "Adam learning rate of the spiking encoder (default: ${DEFAULT-VALUE}, for"
                                + " the pathwise estimator; 1e-3 to 3e-3 measured on MNIST). With"
                                + " --estimator reinforce use 1e-4: its estimates are noisy and a"
                                + " larger rate lets the code drift.")
        double encoderLr;

        @Option(
                names = "--run-dir",
                paramLabel = "DIR",
                description = "Run folder (default: the model file's name without .avro + '-run').")
        Path runDir;

        @Option(
                names = "--estimator",
                defaultValue = "pathwise",
                paramLabel = "reinforce|pathwise",
                converter = EstimatorConverter.class,
                description = ESTIMATOR_HELP)
        GradientEstimator estimator;

        @Option(
                names = "--lr-schedule",
                defaultValue = "constant",
                paramLabel = "constant|cosine",
                description =
                        "Learning-rate schedule of both rates over all updates: constant, or"
                                + " cosine (from --lr / --encoder-lr down to --lr-floor times"
                                + " them at the last update). Default: ${DEFAULT-VALUE}.")
        String lrSchedule;

        @Option(
                names = "--lr-floor",
                defaultValue = "0.01",
                description =
                        "Last factor of the cosine schedule, in [0, 1] (default:"
                                + " ${DEFAULT-VALUE}).")
        double lrFloor;

        @Option(
                names = "--target",
                defaultValue = "digit",
                paramLabel = "digit|class",
                description =
                        "Reconstruction target: digit (each sample's own source digit) or class"
                                + " (one fixed digit per class, the first of its class in the train"
                                + " split, as the reference code's MNIST-DVS runs). Recorded in the"
                                + " model; eval uses it by default. Default: ${DEFAULT-VALUE}.")
        String target;

        @Option(
                names = "--init",
                paramLabel = "FILE",
                description =
                        "Continue from this VDIB model: its architecture, input settings and"
                                + " weights are used (the architecture options --hidden, --ny,"
                                + " --decoder, --decoder-hidden, --decoder-backend, --cnn-*,"
                                + " --decoding, --steps, --dt-ms and the gains are then"
                                + " ignored); the optimisers start afresh.")
        Path init;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Mixin DigitsSourceMixin digits;

        static VdibTrainingRun.Schedule schedule(String kind, double floor) {
            return switch (kind.toLowerCase(Locale.ROOT)) {
                case "constant" -> VdibTrainingRun.Schedule.CONSTANT;
                case "cosine" ->
                        new VdibTrainingRun.Schedule(VdibTrainingRun.Schedule.Kind.COSINE, floor);
                default ->
                        throw new IllegalArgumentException(
                                "unknown --lr-schedule '" + kind + "' (known: constant, cosine)");
            };
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            VdibTrainingRun.Schedule sched = schedule(lrSchedule, lrFloor);
            TrainingData.Target targetKind = TrainingData.Target.of(target);
            VdibModel start =
                    init == null ? null : VdibModel.fromSnapshot(ModelSnapshots.load(init), true);
            VdibModel.Encoding enc = VdibModel.Encoding.of(encoding);
            DecoderBackend backend = DecoderBackend.of(decoderBackend);
            boolean dvsData = !data.equals("mnist");
            if (dvsData != (enc == VdibModel.Encoding.DVS)) {
                throw new IllegalArgumentException(
                        "--encoding dvs goes with --data mnist-dvs or a folder, rate/ttfs with"
                                + " --data mnist");
            }
            if (threads < 1
                    || batch < 1
                    || epochs < 1
                    || hidden.length == 0
                    || java.util.Arrays.stream(hidden).anyMatch(h -> h < 1)
                    || nY < 1
                    || dtMs < 1) {
                throw new IllegalArgumentException(
                        "--threads, --batch, --epochs, --hidden, --ny and --dt-ms must be"
                                + " positive");
            }
            if (start != null && start.input().encoding() != enc) {
                throw new IllegalArgumentException(
                        init
                                + ": the model's input coding is "
                                + start.input().encoding().name().toLowerCase(Locale.ROOT)
                                + ", not --encoding "
                                + encoding);
            }
            int t = steps != null ? steps : dvsData ? 40 : 30;
            VdibModel.InputSettings in =
                    start != null
                            ? start.input()
                            : dvsData
                                    ? VdibModel.InputSettings.dvs(
                                            MnistDvsCrop.SIDE,
                                            MnistDvsCrop.SIDE,
                                            MnistDvsCrop.LEFT,
                                            MnistDvsCrop.TOP,
                                            t,
                                            dtMs * 1000L)
                                    : VdibModel.InputSettings.image(enc, 28, 28, t);
            DecoderInputMode mode = decodingMode(decoding);
            VdibArchitecture arch =
                    new VdibArchitecture(
                            hidden,
                            nY,
                            8,
                            10,
                            0.5f,
                            VdibArchitecture.DecoderType.of(decoder),
                            decoderHidden,
                            mode,
                            t,
                            readoutGain,
                            hiddenGain,
                            backend);
            if (cnnChannels.length != 2) {
                throw new IllegalArgumentException("--cnn-channels takes two values, C1,C2");
            }
            arch =
                    arch.withCnn(
                            new VdibArchitecture.CnnShape(
                                    cnnChannels[0], cnnChannels[1], cnnKernel, cnnStride));
            VdibLearner.Config lc = new VdibLearner.Config(1e-3, 0.3, encoderLr, 0.99, seed + 2);
            MnistImages images = digits.load(err);
            List<VdibSample> train;
            List<VdibSample> eval;
            if (!dvsData) {
                train = TrainingData.mnist(images, DatasetSplit.TRAIN, samples, seed);
                eval = TrainingData.mnist(images, DatasetSplit.TEST, evalSamples, 0);
            } else if (data.equals("mnist-dvs")) {
                int n = samples > 0 ? samples : 1000;
                try (ProgressBar bar =
                        ProgressBar.create("emulate", n + evalSamples, "rec", quiet)) {
                    train =
                            TrainingData.mnistDvs(
                                    images, DatasetSplit.TRAIN, n, seed, in, threads, bar::advance);
                    eval =
                            TrainingData.mnistDvs(
                                    images,
                                    DatasetSplit.TEST,
                                    evalSamples,
                                    0,
                                    in,
                                    threads,
                                    bar::advance);
                }
            } else {
                Path dir = Path.of(data);
                if (!java.nio.file.Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(dir + ": no such folder");
                }
                train = TrainingData.folder(dir, DatasetSplit.TRAIN, samples, seed, in);
                eval = TrainingData.folder(dir, DatasetSplit.TEST, evalSamples, 0, in);
            }
            if (targetKind == TrainingData.Target.CLASS) {
                float[][] protos = TrainingData.classPrototypes(images);
                train = TrainingData.withClassTargets(train, protos, in.width(), in.height());
                eval = TrainingData.withClassTargets(eval, protos, in.width(), in.height());
            }
            LeNet5Classifier classifier =
                    DigitClassifiers.cached(digits.dataDir(), images, threads);
            VdibModel model =
                    start != null ? start : arch.newModel(in, lc.beta(), lc.priorQ(), seed, true);
            Path run = runDir != null ? runDir : defaultRunDir(out);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(
                    "command",
                    "dvsflow train vdib "
                            + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            meta.put("seed", Long.toString(seed));
            meta.put("data", data);
            meta.put("train_samples", Integer.toString(train.size()));
            meta.put("epochs", Integer.toString(epochs));
            meta.put("estimator", estimator.name().toLowerCase(Locale.ROOT));
            meta.put("encoder_lr", Double.toString(encoderLr));
            meta.put("lr_schedule", lrSchedule.toLowerCase(Locale.ROOT));
            meta.put("target", targetKind.name().toLowerCase(Locale.ROOT));
            if (sched.kind() == VdibTrainingRun.Schedule.Kind.COSINE) {
                meta.put("lr_floor", Double.toString(lrFloor));
            }
            if (init != null) {
                meta.put("init", init.getFileName().toString());
            }
            VdibTrainingRun.Result r;
            try (ProgressBar bar =
                    ProgressBar.create("train", (long) epochs * train.size(), "samples", quiet)) {
                r =
                        VdibTrainingRun.run(
                                model,
                                new VdibTrainer.Options(batch, threads, lr, lc, estimator),
                                sched,
                                train,
                                eval,
                                epochs,
                                evalEvery,
                                seed,
                                classifier,
                                run,
                                out,
                                meta,
                                bar::advance);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    Locale.ROOT,
                    "trained %d samples x %d epochs (%d updates, %.1f samples/s); test %d: MSE %.4f"
                            + " PSNR %.2f dB SSIM %.3f accuracy %.2f%%; inference %.2f ms/window%n",
                    train.size(),
                    epochs,
                    r.steps(),
                    r.samplesPerSecond(),
                    r.metrics().samples(),
                    r.metrics().mse(),
                    r.metrics().psnr(),
                    r.metrics().ssim(),
                    100 * r.metrics().accuracy(),
                    r.inferenceMsPerWindow());
            o.printf("model %s (%d bytes), run folder %s%n", out, Files.size(out), run);
            o.flush();
            return 0;
        }

        static Path defaultRunDir(Path out) {
            String name = out.getFileName().toString();
            if (name.endsWith(".avro")) {
                name = name.substring(0, name.length() - 5);
            }
            Path parent = out.toAbsolutePath().getParent();
            return parent.resolve(name + "-run");
        }
    }

    static DecoderInputMode decodingMode(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "vdib", "window" -> DecoderInputMode.WINDOW;
            case "rate" -> DecoderInputMode.RATE;
            default ->
                    throw new IllegalArgumentException(
                            "unknown --decoding '" + s + "' (known: vdib, rate)");
        };
    }

    /** {@code dvsflow train predictive}. */
    @Command(
            name = "predictive",
            mixinStandardHelpOptions = true,
            description = {
                "The predictive-coding experiment of the VDIB paper (section 6.1): two drifting"
                        + " Gaussian blobs on 20 spiking inputs are compressed into N_Y stochastic"
                        + " spiking signals, and a linear decoder reads the last tau_d = 5 readout"
                        + " vectors to give both blobs' positions LAG steps away (negative: the"
                        + " past). One model per lag; prints accuracy against lag and writes"
                        + " OUT/accuracy-vs-lag.csv and .png. Deterministic for a seed and a thread"
                        + " count.",
            },
            footer = {
                "",
                "Examples:",
                "  ./dvsflow train predictive --out predictive/",
                "  ./dvsflow train predictive --lags -4,-2,0,2,4 --samples 20000 --seed 1 \\",
                "      --out predictive/",
                "  ./dvsflow train predictive --estimator reinforce --encoder-lr 1e-3 --lags -2 \\",
                "      --out predictive-reinforce/",
            })
    static final class Predictive implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
        Path out;

        @Option(
                names = "--lags",
                split = ",",
                defaultValue = "-4,-3,-2,-1,0,1,2,3,4",
                paramLabel = "L[,L...]",
                description = "Lags delta in steps (default: ${DEFAULT-VALUE}).")
        int[] lags;

        @Option(
                names = "--samples",
                defaultValue = "50000",
                paramLabel = "N",
                description = "Training samples per lag (default: ${DEFAULT-VALUE}, the paper's).")
        int samples;

        @Option(
                names = "--test-samples",
                defaultValue = "1000",
                paramLabel = "N",
                description = "Test samples per lag (default: ${DEFAULT-VALUE}).")
        int testSamples;

        @Option(
                names = "--steps",
                defaultValue = "12",
                paramLabel = "T",
                description = "Input steps per sample (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(
                names = "--hidden",
                defaultValue = "0",
                description =
                        "Hidden DECOLLE LIF neurons (default: ${DEFAULT-VALUE}: the inputs are"
                                + " relayed to the readout, the paper's one-layer encoder).")
        int hidden;

        @Option(
                names = "--ny",
                defaultValue = "10",
                description = "Readout neurons N_Y (default: ${DEFAULT-VALUE}, the paper's).")
        int nY;

        @Option(
                names = "--beta",
                defaultValue = "0.01",
                description =
                        "KL weight beta (default: ${DEFAULT-VALUE}). The KL is summed over the"
                                + " window's steps against one decoded target, so beta = 1 here"
                                + " weighs it about 12x more than the paper's per-step beta = 1.")
        double beta;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: 1).")
        long seed;

        @Option(names = "--threads", defaultValue = "1", description = "Workers (default: 1).")
        int threads;

        @Option(
                names = "--hidden-gain",
                defaultValue = "200",
                description = "Factor on the hidden layer's initial weights (default: 200).")
        float hiddenGain;

        @Option(
                names = "--readout-gain",
                defaultValue = "32",
                description = "Factor on the readout's initial weights (default: 32).")
        float readoutGain;

        @Option(
                names = "--encoder-lr",
                defaultValue = "1e-2",
                paramLabel = "LR",
                description =
                        "Adam learning rate of the spiking encoder (default: ${DEFAULT-VALUE}, the"
                                + " reference code's).")
        double encoderLr;

        @Option(
                names = "--estimator",
                defaultValue = "pathwise",
                paramLabel = "reinforce|pathwise",
                converter = EstimatorConverter.class,
                description = ESTIMATOR_HELP)
        GradientEstimator estimator;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            io.dvsflow.jobs.train.PredictiveCodingRun.Settings s =
                    new io.dvsflow.jobs.train.PredictiveCodingRun.Settings(
                            lags,
                            samples,
                            testSamples,
                            steps,
                            hidden,
                            nY,
                            beta,
                            seed,
                            threads,
                            hiddenGain,
                            readoutGain,
                            encoderLr,
                            estimator);
            List<io.dvsflow.jobs.train.PredictiveCodingRun.Point> points;
            try (ProgressBar bar =
                    ProgressBar.create("train", (long) samples * lags.length, "samples", quiet)) {
                points = io.dvsflow.jobs.train.PredictiveCodingRun.run(s, out, bar::advance);
            }
            var o = spec.commandLine().getOut();
            o.println("lag  accuracy  mse      readout rate  train samples/s");
            for (var p : points) {
                o.printf(
                        Locale.ROOT,
                        "%3d  %6.1f %%  %.5f  %.3f         %.0f%n",
                        p.lag(),
                        100 * p.accuracy(),
                        p.mse(),
                        p.readoutRate(),
                        p.samplesPerSecond());
            }
            o.printf("results: %s%n", out.resolve("accuracy-vs-lag.csv"));
            return 0;
        }
    }

    /** {@code dvsflow train classifier}. */
    @Command(
            name = "classifier",
            mixinStandardHelpOptions = true,
            description = {
                "Train the LeNet-5 digit classifier on the MNIST train split (8,000 real digits) and"
                        + " print its test accuracy. Without --out it is cached in"
                        + " DATA_HOME/models/lenet5-mnist.avro, where 'dvsflow eval' and 'dvsflow"
                        + " train vdib' find it.",
            },
            footer = {
                "",
                "Examples:",
                "  ./dvsflow train classifier",
                "  ./dvsflow train classifier --epochs 3 --out classifier.avro",
            })
    static final class Classifier implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--out", paramLabel = "FILE", description = "Model file (.avro).")
        Path out;

        @Option(names = "--epochs", defaultValue = "6", description = "Epochs (default: 6).")
        int epochs;

        @Option(
                names = "--shift",
                defaultValue = "0",
                paramLabel = "PX",
                description =
                        "Augmentation: from the second epoch on, translate every training digit by"
                                + " up to PX pixels in x and y, drawn afresh per epoch (default:"
                                + " ${DEFAULT-VALUE}, none).")
        int shift;

        @Option(names = "--threads", defaultValue = "2", description = "Workers (default: 2).")
        int threads;

        @Mixin DigitsSourceMixin digits;

        @Override
        public Integer call() throws Exception {
            if (epochs < 1 || threads < 1) {
                throw new IllegalArgumentException("--epochs and --threads must be positive");
            }
            MnistImages images = digits.load(spec.commandLine().getErr());
            LeNet5Classifier c = DigitClassifiers.train(images, threads, epochs, shift);
            Path file = out != null ? out : DigitClassifiers.cacheFile(digits.dataDir());
            ModelSnapshots.save(c.toSnapshot(1, Map.of("data", "mnist train split")), file);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "test accuracy %.2f%% (%s)%n",
                            100 * DigitClassifiers.testAccuracy(c, images),
                            file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /**
     * Help text of the {@code --estimator} option of {@code train vdib} and {@code train
     * predictive}.
     */
    static final String ESTIMATOR_HELP =
            "Encoder gradient: reinforce (the paper's score function with baselines)"
                    + " or pathwise (the decoder's gradient for every readout spike,"
                    + " times dp/du; lower variance, biased by linearisation; the"
                    + " encoder runs twice per sample). Default: ${DEFAULT-VALUE}.";
}
