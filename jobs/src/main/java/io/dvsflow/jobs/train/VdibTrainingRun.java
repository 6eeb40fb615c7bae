package io.dvsflow.jobs.train;

import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.jobs.report.ContactSheet;
import io.dvsflow.jobs.report.CurveChart;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.DecodedMetrics;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.models.training.VdibTrainer;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.imageio.ImageIO;

/**
 * One VDIB training run: epochs of shuffled minibatches ({@link VdibTrainer}), periodic evaluation
 * on held-out samples, and the run folder.
 *
 * <p>Shuffle of epoch {@code e}: Fisher-Yates with {@code SplitMix64(seed + e)}; seed of the sample
 * at position {@code k} of epoch {@code e}: {@code SplitMix64.mix(seed ^ (e << 40) ^ k)};
 * evaluation sample {@code i} uses the seed {@code SplitMix64.mix(~i)} (the same at every
 * evaluation).
 *
 * <p>Run folder ({@code dvsflow report RUN_DIR} renders it):
 *
 * <ul>
 *   <li>{@code train-log.csv}: {@code step,samples,loss,decoder_loss,kl,readout_rate,hidden_rate,
 *       val_mse,val_psnr,val_ssim,val_accuracy} (one row per update; the val_* cells only on
 *       evaluation rows, empty otherwise);
 *   <li>{@code loss.png}, {@code decoder-loss.png}, {@code val-accuracy.png}: curves;
 *   <li>{@code samples/test/{events,vdib,target}_<index, 13 digits>.png}: the first evaluation
 *       samples (input events summed over time | decoded | target), which the report shows as a
 *       contact sheet, and {@code contact-sheet.png} with the same rows;
 *   <li>{@code summary.json}: final metrics and throughput.
 * </ul>
 */
public final class VdibTrainingRun {

    /** Rows of the contact sheet. */
    public static final int SHEET_ROWS = 8;

    /**
     * What the run did.
     *
     * @param metrics final evaluation
     * @param samplesPerSecond training samples per second of wall time (without evaluation)
     * @param inferenceMsPerWindow mean wall time to encode and decode one sample (T steps), single
     *     thread, ms
     * @param steps updates
     */
    public record Result(
            DecodedMetrics metrics,
            double samplesPerSecond,
            double inferenceMsPerWindow,
            long steps) {}

    /**
     * The learning-rate schedule over a run's {@code U} updates: {@code CONSTANT} keeps the
     * options' rates; {@code COSINE} multiplies both rates before update {@code u} by {@link
     * VdibTrainer#cosineFactor cosineFactor(u, U, floor)}, from 1 down to {@code floor}.
     *
     * @param kind constant or cosine
     * @param floor the cosine schedule's last factor, in [0, 1]
     */
    public record Schedule(Kind kind, double floor) {
        /** The schedule kinds. */
        public enum Kind {
            CONSTANT,
            COSINE
        }

        /** The options' rates throughout. */
        public static final Schedule CONSTANT = new Schedule(Kind.CONSTANT, 1);

        /** Validates the floor. */
        public Schedule {
            if (kind == null || !(floor >= 0 && floor <= 1)) {
                throw new IllegalArgumentException("floor must be in [0, 1], got " + floor);
            }
        }

        /** The factor before update {@code u} of {@code total}. */
        public double factor(long u, long total) {
            return kind == Kind.CONSTANT ? 1 : VdibTrainer.cosineFactor(u, total, floor);
        }
    }

    private VdibTrainingRun() {}

    /**
     * Trains {@code model} with a learning-rate {@code schedule} and writes the run folder and the
     * model file.
     *
     * @param progress receives 1 per trained sample
     */
    public static Result run(
            VdibModel model,
            VdibTrainer.Options options,
            Schedule schedule,
            List<VdibSample> train,
            List<VdibSample> eval,
            int epochs,
            int evalEvery,
            long seed,
            LeNet5Classifier classifier,
            Path runDir,
            Path out,
            Map<String, String> metadata,
            LongConsumer progress)
            throws IOException {
        Files.createDirectories(runDir);
        int b = options.batchSize();
        long totalUpdates = (long) epochs * ((train.size() + b - 1) / b);
        double trainSeconds = 0;
        DecodedMetrics last = null;
        long[] evalSeeds = new long[eval.size()];
        for (int i = 0; i < evalSeeds.length; i++) {
            evalSeeds[i] = SplitMix64.mix(~i);
        }
        float[][] decoded = new float[eval.size()][model.decoder().outputSize()];
        long steps = 0;
        long samples = 0;
        try (VdibTrainer trainer = new VdibTrainer(model, options);
                BufferedWriter log =
                        Files.newBufferedWriter(
                                runDir.resolve("train-log.csv"), StandardCharsets.UTF_8)) {
            log.write(
                    "step,samples,loss,decoder_loss,kl,readout_rate,hidden_rate,"
                            + "val_mse,val_psnr,val_ssim,val_accuracy\n");
            for (int e = 0; e < epochs; e++) {
                int[] order = shuffle(train.size(), seed + e);
                for (int k = 0; k < order.length; k += b) {
                    int n = Math.min(b, order.length - k);
                    List<VdibSample> batch = new ArrayList<>(n);
                    long[] seeds = new long[n];
                    for (int q = 0; q < n; q++) {
                        batch.add(train.get(order[k + q]));
                        seeds[q] = SplitMix64.mix(seed ^ ((long) e << 40) ^ (k + q));
                    }
                    trainer.setLearningRateFactor(schedule.factor(steps, totalUpdates));
                    long t0 = System.nanoTime();
                    VdibTrainer.BatchStats s = trainer.trainBatch(batch, seeds);
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    steps++;
                    samples += n;
                    progress.accept(n);
                    String val = ",,,";
                    boolean lastStep = e == epochs - 1 && k + b >= order.length;
                    if ((evalEvery > 0 && steps % evalEvery == 0) || lastStep) {
                        trainer.decode(eval, evalSeeds, decoded);
                        last =
                                DecodedMetrics.of(
                                        eval,
                                        decoded,
                                        model.decoder().outputWidth(),
                                        model.decoder().outputHeight(),
                                        classifier);
                        val =
                                String.format(
                                        Locale.ROOT,
                                        "%.6g,%.6g,%.6g,%.6g",
                                        last.mse(),
                                        last.psnr(),
                                        last.ssim(),
                                        last.accuracy());
                    }
                    log.write(
                            String.format(
                                    Locale.ROOT,
                                    "%d,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%s%n",
                                    steps,
                                    samples,
                                    s.loss(),
                                    s.decoderLoss(),
                                    s.klLoss(),
                                    s.readoutRate(),
                                    s.hiddenRate(),
                                    val));
                }
            }
        }
        double inferenceMs = inferenceMs(model, eval);
        double sps = samples / Math.max(1e-9, trainSeconds);
        writeArtifacts(model, eval, decoded, runDir);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("steps", Long.toString(steps));
        meta.put("samples_trained", Long.toString(samples));
        meta.put("val_mse", Double.toString(last.mse()));
        meta.put("val_ssim", Double.toString(last.ssim()));
        meta.put("val_accuracy", Double.toString(last.accuracy()));
        meta.put("val_samples", Integer.toString(last.samples()));
        ModelSnapshots.save(model.toSnapshot(steps, meta), out);
        Files.writeString(
                runDir.resolve("summary.json"),
                String.format(
                        Locale.ROOT,
                        "{\"mse\": %s, \"psnr\": %s, \"ssim\": %s, \"accuracy\": %s,"
                                + " \"samples\": %d, \"train_samples_per_s\": %.4g,"
                                + " \"inference_ms_per_window\": %.4g, \"steps\": %d}%n",
                        json(last.mse()),
                        json(last.psnr()),
                        json(last.ssim()),
                        json(last.accuracy()),
                        last.samples(),
                        sps,
                        inferenceMs,
                        steps),
                StandardCharsets.UTF_8);
        return new Result(last, sps, inferenceMs, steps);
    }

    static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** Mean single-thread time to encode and decode one sample, over up to 20 samples (ms). */
    static double inferenceMs(VdibModel model, List<VdibSample> eval) {
        io.dvsflow.models.training.VdibRunner r = new io.dvsflow.models.training.VdibRunner(model);
        float[] img = new float[model.decoder().outputSize()];
        int n = Math.min(20, eval.size());
        if (n == 0) {
            return Double.NaN;
        }
        r.encode(eval.get(0), 1, null, null); // warm-up
        r.decode(img);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.encode(eval.get(i), i, null, null);
            r.decode(img);
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    static int[] shuffle(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        SplitMix64 r = new SplitMix64(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floorMod(r.nextLong(), (long) (i + 1));
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static void writeArtifacts(
            VdibModel model, List<VdibSample> eval, float[][] decoded, Path runDir)
            throws IOException {
        io.dvsflow.jobs.report.TrainingLog tl =
                io.dvsflow.jobs.report.TrainingLog.read(runDir.resolve("train-log.csv"));
        for (int c = 0; c < tl.names().size(); c++) {
            String name = tl.names().get(c);
            String file =
                    switch (name) {
                        case "loss" -> "loss.png";
                        case "decoder_loss" -> "decoder-loss.png";
                        case "val_accuracy" -> "val-accuracy.png";
                        default -> null;
                    };
            if (file != null) {
                ImageIO.write(
                        CurveChart.render(name, tl.xName(), tl.x(), tl.series().get(c), 640, 360),
                        "png",
                        runDir.resolve(file).toFile());
            }
        }
        int w = model.decoder().outputWidth();
        int h = model.decoder().outputHeight();
        Path frames = runDir.resolve("samples").resolve("test");
        Files.createDirectories(frames);
        ContactSheet sheet = new ContactSheet(List.of("events", "vdib", "target"), 112, 112, 90);
        for (int i = 0; i < Math.min(SHEET_ROWS, eval.size()); i++) {
            VdibSample s = eval.get(i);
            BufferedImage ev = grey(eventImage(model, s), w, h);
            BufferedImage dec = grey(decoded[i], w, h);
            BufferedImage tgt = grey(s.target(), w, h);
            String stamp = String.format(Locale.ROOT, "%013d", i);
            ImageIO.write(ev, "png", frames.resolve("events_" + stamp + ".png").toFile());
            ImageIO.write(dec, "png", frames.resolve("vdib_" + stamp + ".png").toFile());
            ImageIO.write(tgt, "png", frames.resolve("target_" + stamp + ".png").toFile());
            sheet.addRow("label " + s.label(), List.of(ev, dec, tgt));
        }
        Files.write(runDir.resolve("contact-sheet.png"), sheet.png());
    }

    /** The input as one picture: per pixel, input spikes over all steps (both polarities). */
    static float[] eventImage(VdibModel model, VdibSample s) {
        int w = model.inputWidth();
        int h = model.inputHeight();
        float[] img = new float[w * h];
        if (s.image() != null) {
            return s.image().clone();
        }
        int[] idx = s.indices();
        for (int k = 0; k < s.offsets()[s.bins()]; k++) {
            img[idx[k] % (w * h)] += 1;
        }
        float max = 0;
        for (float v : img) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < img.length; i++) {
            img[i] = max == 0 ? 0 : img[i] / max;
        }
        return img;
    }

    /** A grey picture of values in [0, 1]. */
    static BufferedImage grey(float[] v, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = Math.round(255 * Math.max(0f, Math.min(1f, v[y * w + x])));
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        return img;
    }
}
