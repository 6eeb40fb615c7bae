package io.dvsflow.jobs.train;

import io.dvsflow.connectors.datasets.DatasetRecording;
import io.dvsflow.connectors.datasets.DatasetScan;
import io.dvsflow.connectors.datasets.DatasetSplit;
import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistDvsEmulation;
import io.dvsflow.connectors.datasets.MnistDvsLayout;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.models.training.BilinearResize;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The samples of VDIB training and evaluation.
 *
 * <ul>
 *   <li>{@code mnist}: the real digits ({@link MnistDigits}, 8,000 train / 2,000 test with the
 *       default split seed), pixels {@code v / 255}; input and target are the digit (28 x 28).
 *   <li>{@code mnist-dvs}: emulated MNIST-DVS recordings ({@link MnistDvsEmulation}, scale 4, 2 s)
 *       generated in memory from the digits of the split, binned by {@link DvsBinning}; target =
 *       the source digit resized with {@link BilinearResize} from 28 x 28 to the crop size.
 *       Recording seed of digit index {@code i}: {@code SplitMix64.mix(seed + 0x9E3779B97F4A7C15 (i
 *       + 1)) + 4} (as {@code dvsflow emulate mnist-dvs}).
 *   <li>a folder: an MNIST-DVS layout ({@link MnistDvsLayout}, scale 4 only) whose recordings have
 *       targets (emulated, with sidecars); recordings of the requested split.
 * </ul>
 *
 * Sample order: the split's digit order shuffled by Fisher-Yates with {@code SplitMix64(seed)}, the
 * first {@code count} taken (all when {@code count <= 0}).
 */
public final class TrainingData {

    /** MNIST-DVS scale of the emulated and read recordings. */
    public static final int SCALE = 4;

    private TrainingData() {}

    /**
     * What a sample's decoded image is compared with: {@code DIGIT}, the sample's own source digit
     * (an emulated recording knows it); {@code CLASS}, one fixed image per class, as the reference
     * code does for MNIST-DVS ({@link #classPrototypes}).
     */
    public enum Target {
        DIGIT,
        CLASS;

        /** Parses digit|class (any case). */
        public static Target of(String s) {
            for (Target t : values()) {
                if (t.name().equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown target '" + s + "' (known: digit, class)");
        }
    }

    /**
     * One fixed image per class: for label {@code c}, the first digit with that label in the train
     * split's order ({@link MnistDigits#split} with {@link MnistDigits#DEFAULT_SPLIT_SEED}), pixels
     * {@code v / 255}, 28 x 28.
     *
     * @throws IllegalArgumentException when a class has no train digit
     */
    public static float[][] classPrototypes(MnistImages images) {
        int[] train = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED).train();
        float[][] out = new float[10][];
        for (int i : train) {
            int c = images.label(i);
            if (c >= 0 && c < 10 && out[c] == null) {
                out[c] = pixels(images.image(i));
            }
        }
        for (int c = 0; c < 10; c++) {
            if (out[c] == null) {
                throw new IllegalArgumentException("no train digit of class " + c);
            }
        }
        return out;
    }

    /**
     * {@code samples} with every target replaced by the prototype of its label ({@link
     * #classPrototypes}, 28 x 28), resized with {@link BilinearResize} to {@code w x h}.
     *
     * @throws IllegalArgumentException for a sample without a label
     */
    public static List<VdibSample> withClassTargets(
            List<VdibSample> samples, float[][] prototypes, int w, int h) {
        float[][] resized = new float[prototypes.length][];
        for (int c = 0; c < prototypes.length; c++) {
            resized[c] =
                    w == MnistDigits.SIDE && h == MnistDigits.SIDE
                            ? prototypes[c].clone()
                            : BilinearResize.resize(
                                    prototypes[c], MnistDigits.SIDE, MnistDigits.SIDE, w, h);
        }
        List<VdibSample> out = new ArrayList<>(samples.size());
        for (VdibSample s : samples) {
            if (s.label() < 0 || s.label() >= resized.length) {
                throw new IllegalArgumentException("a class target needs labelled samples");
            }
            out.add(
                    new VdibSample(
                            s.image(), s.offsets(), s.indices(), resized[s.label()], s.label()));
        }
        return out;
    }

    /** The real digits as [0, 1] images with labels: split {@code which}, shuffled, first count. */
    public static List<VdibSample> mnist(
            MnistImages images, DatasetSplit which, int count, long seed) {
        int[] idx = pick(images, which, count, seed);
        List<VdibSample> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            float[] img = pixels(images.image(i));
            out.add(VdibSample.ofImage(img, img, images.label(i)));
        }
        return out;
    }

    /**
     * Emulated MNIST-DVS samples for the input settings {@code in} (DVS), generated on {@code
     * threads} threads; {@code progress} receives 1 per finished recording.
     */
    public static List<VdibSample> mnistDvs(
            MnistImages images,
            DatasetSplit which,
            int count,
            long seed,
            VdibModel.InputSettings in,
            int threads,
            LongConsumer progress) {
        int[] idx = pick(images, which, count, seed);
        MnistDvsEmulation emulation =
                new MnistDvsEmulation(
                        MnistDvsEmulation.DEFAULT_PARAMETERS, (long) in.steps() * in.dtUs());
        VdibSample[] out = new VdibSample[idx.length];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int ww = w;
                fs.add(
                        pool.submit(
                                () -> {
                                    for (int k = ww; k < idx.length; k += threads) {
                                        int i = idx[k];
                                        long rs =
                                                SplitMix64.mix(seed + 0x9E3779B97F4A7C15L * (i + 1))
                                                        + SCALE;
                                        DvsBinning bins = new DvsBinning(in);
                                        try {
                                            emulation.emulate(
                                                    images.image(i),
                                                    SCALE,
                                                    rs,
                                                    "d" + i,
                                                    bins::accept);
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                        out[k] = sample(bins, images.image(i), images.label(i), in);
                                        progress.accept(1);
                                    }
                                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }

    /**
     * Recordings with targets of an MNIST-DVS folder, split {@code which}, binned for {@code in}.
     */
    public static List<VdibSample> folder(
            Path root, DatasetSplit which, int count, long seed, VdibModel.InputSettings in)
            throws IOException {
        DatasetScan scan = new MnistDvsLayout(root, Set.of(SCALE)).scan();
        List<DatasetRecording> recs = new ArrayList<>();
        for (DatasetRecording r : scan.recordings()) {
            if (r.hasTarget() && (which == null || r.split() == which)) {
                recs.add(r);
            }
        }
        if (recs.isEmpty()) {
            throw new IOException(
                    root
                            + ": no scale-4 MNIST-DVS recording with a target (sidecar) in the "
                            + (which == null ? "folder" : which.name().toLowerCase() + " split"));
        }
        SplitMix64 r = new SplitMix64(seed);
        for (int i = recs.size() - 1; i > 0; i--) {
            int j = (int) Math.floorMod(r.nextLong(), (long) (i + 1));
            DatasetRecording tmp = recs.get(i);
            recs.set(i, recs.get(j));
            recs.set(j, tmp);
        }
        int n = count > 0 ? Math.min(count, recs.size()) : recs.size();
        List<VdibSample> out = new ArrayList<>(n);
        EventPacket packet = new EventPacket("x", 128, 128, 1 << 14);
        for (DatasetRecording rec : recs.subList(0, n)) {
            DvsBinning bins = new DvsBinning(in);
            try (EventReader reader = EventFormats.open(rec.path(), ReaderOptions.defaults())) {
                while (reader.read(packet)) {
                    bins.accept(packet);
                }
            }
            out.add(sample(bins, rec.target(), rec.label(), in));
        }
        return out;
    }

    private static VdibSample sample(
            DvsBinning bins, byte[] digit, int label, VdibModel.InputSettings in) {
        int[][] b = bins.finish();
        float[] target =
                BilinearResize.resize(
                        pixels(digit), MnistDigits.SIDE, MnistDigits.SIDE, in.width(), in.height());
        return VdibSample.ofBins(b[0], b[1], target, label);
    }

    /** Unsigned bytes to [0, 1]. */
    public static float[] pixels(byte[] digit) {
        float[] f = new float[digit.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (digit[i] & 0xFF) / 255f;
        }
        return f;
    }

    private static int[] pick(MnistImages images, DatasetSplit which, int count, long seed) {
        MnistSplit parts = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        int[] pool = (which == DatasetSplit.TEST ? parts.test() : parts.train()).clone();
        SplitMix64 r = new SplitMix64(seed);
        for (int i = pool.length - 1; i > 0; i--) {
            int j = (int) Math.floorMod(r.nextLong(), (long) (i + 1));
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int n = count > 0 ? Math.min(count, pool.length) : pool.length;
        return java.util.Arrays.copyOf(pool, n);
    }
}
