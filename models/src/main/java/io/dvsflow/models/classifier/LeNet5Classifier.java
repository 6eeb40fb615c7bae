package io.dvsflow.models.classifier;

import io.dvsflow.models.decoder.nn.Activations;
import io.dvsflow.models.decoder.nn.Conv2dLayer;
import io.dvsflow.models.decoder.nn.DenseLayer;
import io.dvsflow.models.decoder.nn.MaxPool2x2;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.decoder.optim.DecoderAdam;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelKind;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LeNet-5-style digit classifier used to score decoded images (the accuracy column of paper 004
 * Table 1): for a grey {@code H x W} image with pixels in [0, 1],
 *
 * <pre>
 * conv1 6@5x5 (pad 2) -> ReLU -> maxpool 2x2 -> conv2 16@5x5 -> ReLU -> maxpool 2x2
 *   -> dense 120 -> ReLU -> dense 84 -> ReLU -> dense 10 -> softmax
 * </pre>
 *
 * (for 28x28: 6x28x28, 6x14x14, 16x10x10, 16x5x5 = 400 features). Trained with softmax
 * cross-entropy and {@link DecoderAdam}; He-uniform initialisation from {@code new
 * SplittableRandom(seed)} (output layer Xavier-uniform), biases zero. Training is data-parallel
 * over {@link TrainingOptions#threads()} workers that share the weights, each taking a fixed
 * contiguous slice of every minibatch; their gradients are summed in worker order, so a seed gives
 * the same model for any thread count up to float rounding of that sum (and exactly the same model
 * for the same thread count). Not thread-safe for concurrent calls.
 */
public final class LeNet5Classifier {
    private static final Logger LOG = LoggerFactory.getLogger(LeNet5Classifier.class);

    /** Number of classes. */
    public static final int CLASSES = 10;

    private final int height;
    private final int width;
    private final Net net;

    /**
     * An untrained classifier for {@code height x width} images, weights drawn from {@code seed}.
     */
    public LeNet5Classifier(int height, int width, long seed) {
        this.height = height;
        this.width = width;
        this.net = new Net(height, width);
        SplittableRandom random = new SplittableRandom(seed);
        net.conv1.weight().heUniform(net.conv1.fanIn(), random);
        net.conv2.weight().heUniform(net.conv2.fanIn(), random);
        net.fc1.weight().heUniform(net.fc1.in(), random);
        net.fc2.weight().heUniform(net.fc2.in(), random);
        net.fc3.weight().xavierUniform(net.fc3.in(), CLASSES, random);
    }

    /** Image height. */
    public int height() {
        return height;
    }

    /** Image width. */
    public int width() {
        return width;
    }

    /**
     * Options for {@link #train}.
     *
     * @param epochs passes over the data (default 6)
     * @param batchSize examples per Adam step (default 32)
     * @param learningRate Adam learning rate (default 1e-3)
     * @param threads data-parallel workers (default: available processors, at most 4)
     * @param seed shuffling and augmentation seed (default 1)
     * @param maxShift augmentation: from the second epoch on, every training image is translated by
     *     {@code (dx, dy)} drawn uniformly from {@code [-maxShift, maxShift]^2} pixels (zeros
     *     shifted in), a fresh draw per image and epoch; 0 (the default) trains on the images as
     *     they are
     */
    public record TrainingOptions(
            int epochs, int batchSize, double learningRate, int threads, long seed, int maxShift) {
        /** Checks every value is positive. */
        public TrainingOptions {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || threads < 1) {
                throw new IllegalArgumentException(
                        "epochs, batchSize, learningRate and threads must be positive");
            }
            if (maxShift < 0 || maxShift > 8) {
                throw new IllegalArgumentException(
                        "maxShift must be in 0..8 pixels, was " + maxShift);
            }
        }

        /** Options without augmentation. */
        public TrainingOptions(
                int epochs, int batchSize, double learningRate, int threads, long seed) {
            this(epochs, batchSize, learningRate, threads, seed, 0);
        }

        /** The defaults. */
        public static TrainingOptions defaults() {
            return new TrainingOptions(
                    6, 32, 1e-3, Math.min(4, Runtime.getRuntime().availableProcessors()), 1L);
        }

        /** With {@code epochs} changed. */
        public TrainingOptions withEpochs(int e) {
            return new TrainingOptions(e, batchSize, learningRate, threads, seed, maxShift);
        }

        /** With {@code threads} changed. */
        public TrainingOptions withThreads(int t) {
            return new TrainingOptions(epochs, batchSize, learningRate, t, seed, maxShift);
        }

        /** With {@code maxShift} changed. */
        public TrainingOptions withMaxShift(int m) {
            return new TrainingOptions(epochs, batchSize, learningRate, threads, seed, m);
        }
    }

    /**
     * {@code out[y][x] = in[y - dy][x - dx]} where inside the image, 0 elsewhere (row-major {@code
     * height x width}).
     */
    static void translate(float[] in, int height, int width, int dx, int dy, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (int y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
            int x0 = Math.max(0, dx);
            int x1 = Math.min(width, width + dx);
            if (x1 > x0) {
                System.arraycopy(in, (y - dy) * width + (x0 - dx), out, y * width + x0, x1 - x0);
            }
        }
    }

    /**
     * What {@link #train} did.
     *
     * @param epochLosses mean cross-entropy (nats) of each epoch
     * @param seconds wall time
     * @param examples training examples
     */
    public record TrainingReport(List<Double> epochLosses, double seconds, int examples) {}

    /**
     * Trains on {@code images[i]} ({@code height x width} values in [0, 1], row-major) with labels
     * {@code labels[i]} in 0..9.
     */
    public TrainingReport train(float[][] images, int[] labels, TrainingOptions options) {
        int n = images.length;
        if (n != labels.length || n == 0) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        int pixels = height * width;
        for (int i = 0; i < n; i++) {
            if (images[i].length != pixels || labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException(
                        "example " + i + ": need " + pixels + " pixels and a label in 0..9");
            }
        }
        long start = System.nanoTime();
        int threads = Math.min(options.threads(), options.batchSize());
        int chunk = (options.batchSize() + threads - 1) / threads;
        List<Net> workers = new ArrayList<>();
        workers.add(net);
        for (int k = 1; k < threads; k++) {
            workers.add(net.replica());
        }
        for (Net w : workers) {
            w.ensure(chunk);
        }
        DecoderAdam adam = new DecoderAdam(options.learningRate());
        List<NamedTensor> params = net.values();
        List<NamedTensor> grads = net.grads();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(options.seed());
        SplittableRandom shifts = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        float[][] shifted = options.maxShift() > 0 ? new float[n][pixels] : null;
        List<Double> losses = new ArrayList<>();
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
        try {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                float[][] data = images;
                if (shifted != null && epoch > 0) {
                    int m = options.maxShift();
                    for (int i = 0; i < n; i++) {
                        int dx = shifts.nextInt(2 * m + 1) - m;
                        int dy = shifts.nextInt(2 * m + 1) - m;
                        translate(images[i], height, width, dx, dy, shifted[i]);
                    }
                    data = shifted;
                }
                float[][] epochImages = data;
                double epochLoss = 0;
                for (int b0 = 0; b0 < n; b0 += options.batchSize()) {
                    int bsize = Math.min(options.batchSize(), n - b0);
                    float scale = 1f / bsize;
                    List<Future<Double>> futures = new ArrayList<>();
                    double batchLoss = 0;
                    for (int k = threads - 1; k >= 0; k--) {
                        int from = b0 + k * chunk;
                        int to = Math.min(b0 + bsize, from + chunk);
                        Net w = workers.get(k);
                        if (k == 0) {
                            batchLoss += w.step(epochImages, labels, order, from, to, scale);
                        } else if (from < to) {
                            futures.add(
                                    pool.submit(
                                            () ->
                                                    w.step(
                                                            epochImages,
                                                            labels,
                                                            order,
                                                            from,
                                                            to,
                                                            scale)));
                        } else {
                            w.zeroGrad();
                        }
                    }
                    for (Future<Double> f : futures) {
                        batchLoss += f.get();
                    }
                    for (int k = 1; k < threads; k++) {
                        List<NamedTensor> g = workers.get(k).grads();
                        for (int p = 0; p < grads.size(); p++) {
                            float[] dst = grads.get(p).data();
                            float[] src = g.get(p).data();
                            for (int q = 0; q < dst.length; q++) {
                                dst[q] += src[q];
                            }
                        }
                    }
                    adam.step(params, grads);
                    epochLoss += batchLoss;
                }
                losses.add(epochLoss / n);
                LOG.info(
                        "LeNet-5 epoch {}/{}: loss {} nats, {} s",
                        epoch + 1,
                        options.epochs(),
                        String.format("%.4f", epochLoss / n),
                        String.format("%.1f", (System.nanoTime() - start) / 1e9));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training worker failed", e.getCause());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new TrainingReport(List.copyOf(losses), (System.nanoTime() - start) / 1e9, n);
    }

    /** Class probabilities (softmax) of one image. */
    public float[] probabilities(float[] image) {
        net.ensure(1);
        System.arraycopy(image, 0, net.x, 0, height * width);
        net.forward(1);
        float[] p = new float[CLASSES];
        softmax(net.logits, 0, p);
        return p;
    }

    /** The most probable class of each image. */
    public int[] predict(float[][] images) {
        int[] out = new int[images.length];
        int block = 64;
        net.ensure(block);
        int pixels = height * width;
        for (int b0 = 0; b0 < images.length; b0 += block) {
            int bs = Math.min(block, images.length - b0);
            for (int e = 0; e < bs; e++) {
                if (images[b0 + e].length != pixels) {
                    throw new IllegalArgumentException(
                            "image "
                                    + (b0 + e)
                                    + " has "
                                    + images[b0 + e].length
                                    + " pixels, expected "
                                    + pixels);
                }
                System.arraycopy(images[b0 + e], 0, net.x, e * pixels, pixels);
            }
            net.forward(bs);
            for (int e = 0; e < bs; e++) {
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (net.logits[e * CLASSES + c] > net.logits[e * CLASSES + best]) {
                        best = c;
                    }
                }
                out[b0 + e] = best;
            }
        }
        return out;
    }

    /** Fraction of images whose predicted class equals the label. */
    public double accuracy(float[][] images, int[] labels) {
        int[] p = predict(images);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == labels[i]) {
                ok++;
            }
        }
        return p.length == 0 ? 0 : (double) ok / p.length;
    }

    /** A snapshot of the weights with the given model version and training metadata. */
    public ModelSnapshot toSnapshot(long version, Map<String, String> metadata) {
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("height", Integer.toString(height));
        hp.put("width", Integer.toString(width));
        return ModelSnapshots.create(
                ModelKind.LENET5_CLASSIFIER,
                List.of(height * width, net.conv1.outSize(), net.conv2.outSize(), 120, 84, CLASSES),
                hp,
                net.values(),
                version,
                metadata);
    }

    /** Largest image side accepted from a snapshot. */
    public static final int MAX_SIDE = 1024;

    /**
     * The classifier stored in a snapshot.
     *
     * @throws InvalidSnapshotException if it is not a LeNet-5 snapshot or its tensors do not match
     */
    public static LeNet5Classifier fromSnapshot(ModelSnapshot s) {
        ModelSnapshots.requireKind(s, ModelKind.LENET5_CLASSIFIER);
        Map<String, String> hp = s.getArchitecture().getHyperparameters();
        int h = side(hp, "height");
        int w = side(hp, "width");
        LeNet5Classifier c = new LeNet5Classifier(h, w, 0L);
        List<NamedTensor> stored = ModelSnapshots.matchTensors(s, c.net.values());
        List<NamedTensor> live = c.net.values();
        for (int i = 0; i < live.size(); i++) {
            System.arraycopy(stored.get(i).data(), 0, live.get(i).data(), 0, live.get(i).size());
        }
        return c;
    }

    private static int side(Map<String, String> hp, String key) {
        try {
            int v = Integer.parseInt(hp.getOrDefault(key, ""));
            if (v < 12 || v > MAX_SIDE) {
                throw new InvalidSnapshotException(
                        "classifier " + key + " " + v + " is outside [12, " + MAX_SIDE + "]");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidSnapshotException(
                    "classifier hyperparameter '" + key + "' is missing or not a number");
        }
    }

    private static void softmax(float[] z, int off, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            max = Math.max(max, z[off + c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            p[c] = (float) Math.exp(z[off + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < CLASSES; c++) {
            p[c] /= (float) sum;
        }
    }

    /** The layers plus activation buffers of one worker. */
    private static final class Net {
        final int h;
        final int w;
        final Conv2dLayer conv1;
        final MaxPool2x2 pool1;
        final Conv2dLayer conv2;
        final MaxPool2x2 pool2;
        final DenseLayer fc1;
        final DenseLayer fc2;
        final DenseLayer fc3;
        final List<Parameter> params;
        int cap;
        float[] x, a1, p1, a2, p2, f1, f2, logits;
        float[] da1, dp1, da2, dp2, df1, df2, dlogits;
        final float[] prob = new float[CLASSES];

        Net(int h, int w) {
            this(h, w, layers(h, w));
        }

        private static Object[] layers(int h, int w) {
            Conv2dLayer c1 = new Conv2dLayer("conv1", 1, h, w, 6, 5, 1, 2);
            MaxPool2x2 p1 = new MaxPool2x2(6, c1.outHeight(), c1.outWidth());
            Conv2dLayer c2 =
                    new Conv2dLayer("conv2", 6, p1.outHeight(), p1.outWidth(), 16, 5, 1, 0);
            MaxPool2x2 p2 = new MaxPool2x2(16, c2.outHeight(), c2.outWidth());
            return new Object[] {
                c1,
                p1,
                c2,
                p2,
                new DenseLayer("fc1", p2.outSize(), 120),
                new DenseLayer("fc2", 120, 84),
                new DenseLayer("fc3", 84, CLASSES)
            };
        }

        private Net(int h, int w, Object[] l) {
            this.h = h;
            this.w = w;
            conv1 = (Conv2dLayer) l[0];
            pool1 = (MaxPool2x2) l[1];
            conv2 = (Conv2dLayer) l[2];
            pool2 = (MaxPool2x2) l[3];
            fc1 = (DenseLayer) l[4];
            fc2 = (DenseLayer) l[5];
            fc3 = (DenseLayer) l[6];
            params = new ArrayList<>();
            params.addAll(conv1.parameters());
            params.addAll(conv2.parameters());
            params.addAll(fc1.parameters());
            params.addAll(fc2.parameters());
            params.addAll(fc3.parameters());
        }

        Net replica() {
            return new Net(
                    h,
                    w,
                    new Object[] {
                        conv1.replica(),
                        pool1.replica(),
                        conv2.replica(),
                        pool2.replica(),
                        fc1.replica(),
                        fc2.replica(),
                        fc3.replica()
                    });
        }

        List<NamedTensor> values() {
            List<NamedTensor> out = new ArrayList<>();
            for (Parameter p : params) {
                out.add(p.value());
            }
            return out;
        }

        List<NamedTensor> grads() {
            List<NamedTensor> out = new ArrayList<>();
            for (Parameter p : params) {
                out.add(p.grad());
            }
            return out;
        }

        void zeroGrad() {
            for (Parameter p : params) {
                p.zeroGrad();
            }
        }

        void ensure(int batch) {
            if (cap >= batch) {
                return;
            }
            cap = batch;
            x = new float[batch * h * w];
            a1 = new float[batch * conv1.outSize()];
            da1 = new float[a1.length];
            p1 = new float[batch * pool1.outSize()];
            dp1 = new float[p1.length];
            a2 = new float[batch * conv2.outSize()];
            da2 = new float[a2.length];
            p2 = new float[batch * pool2.outSize()];
            dp2 = new float[p2.length];
            f1 = new float[batch * 120];
            df1 = new float[f1.length];
            f2 = new float[batch * 84];
            df2 = new float[f2.length];
            logits = new float[batch * CLASSES];
            dlogits = new float[logits.length];
        }

        void forward(int b) {
            conv1.forward(x, b, a1);
            Activations.relu(a1, b * conv1.outSize());
            pool1.forward(a1, b, p1);
            conv2.forward(p1, b, a2);
            Activations.relu(a2, b * conv2.outSize());
            pool2.forward(a2, b, p2);
            fc1.forward(p2, b, f1);
            Activations.relu(f1, b * 120);
            fc2.forward(f1, b, f2);
            Activations.relu(f2, b * 84);
            fc3.forward(f2, b, logits);
        }

        /** Forward and backward of examples order[from..to); returns their summed loss. */
        double step(float[][] images, int[] labels, int[] order, int from, int to, float scale) {
            zeroGrad();
            int b = to - from;
            int pixels = h * w;
            for (int e = 0; e < b; e++) {
                System.arraycopy(images[order[from + e]], 0, x, e * pixels, pixels);
            }
            forward(b);
            double loss = 0;
            for (int e = 0; e < b; e++) {
                int y = labels[order[from + e]];
                softmax(logits, e * CLASSES, prob);
                loss -= Math.log(Math.max(prob[y], 1e-30f));
                for (int c = 0; c < CLASSES; c++) {
                    dlogits[e * CLASSES + c] = (prob[c] - (c == y ? 1f : 0f)) * scale;
                }
            }
            fc3.backward(f2, dlogits, b, df2);
            Activations.reluBackward(f2, df2, b * 84);
            fc2.backward(f1, df2, b, df1);
            Activations.reluBackward(f1, df1, b * 120);
            fc1.backward(p2, df1, b, dp2);
            pool2.backward(dp2, b, da2);
            Activations.reluBackward(a2, da2, b * conv2.outSize());
            conv2.backward(p1, da2, b, dp1);
            pool1.backward(dp1, b, da1);
            Activations.reluBackward(a1, da1, b * conv1.outSize());
            conv1.backward(x, da1, b, null);
            return loss;
        }
    }
}
