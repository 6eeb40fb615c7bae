package io.dvsflow.jobs.train;

import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.jobs.report.CurveChart;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.neuron.LifLayer;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.Reset;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.training.DriftingBlobs;
import io.dvsflow.models.training.VdibArchitecture;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.models.training.VdibTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import javax.imageio.ImageIO;

/**
 * The predictive-coding experiment of paper 004, section 6.1: a VDIB model compresses the {@value
 * DriftingBlobs#INPUTS} spiking inputs of two drifting Gaussian blobs ({@link DriftingBlobs}) into
 * {@code N_Y} stochastic spiking signals, and a linear (logistic) decoder reads the last {@code
 * tau_d} readout vectors to output both blobs' positions {@code delta} steps away; one model is
 * trained per lag, and accuracy is reported against the lag.
 *
 * <p>Settings of the paper: 20 inputs, N_Y = 10, tau_e = tau_d = 5, beta = 1, prior q = 0.2.
 * Differences: the encoder may have a hidden LIF layer before the readout ({@link Settings#hidden};
 * 0, the command's default, relays the inputs as the paper's one-layer encoder), the decoder is a
 * per-output logistic regressor trained with binary cross-entropy on the two-hot reference (the
 * paper's softmax regressor), training samples are windows of {@link Settings#steps} steps of
 * independent sequences decoded at their last step (the paper: sequences of T = 100 decoded at
 * every step; here the KL summed over a window's steps is weighed against one decoded target, so a
 * beta of about {@code 1 / steps} corresponds to the paper's beta = 1, see docs/results.md), and
 * the test is {@link Settings#testSamples} such windows instead of one sequence of 1,000 steps.
 * Accuracy: the fraction of the target positions among the decoder's largest outputs ({@link
 * DriftingBlobs#accuracy}; chance 10 %).
 */
public final class PredictiveCodingRun {

    private PredictiveCodingRun() {}

    /**
     * Settings.
     *
     * @param lags the lags delta to train one model each for (steps; negative: the past)
     * @param samples training samples per lag
     * @param testSamples test samples per lag (other sequences)
     * @param steps input steps per sample (at least tau_d + max |delta|)
     * @param hidden hidden DECOLLE LIF neurons, or 0 for the relay of {@link #newModel}
     * @param nY readout neurons
     * @param beta KL weight
     * @param seed seed of data and models
     * @param threads data-parallel workers
     * @param estimator how the encoder's gradient is estimated
     */
    public record Settings(
            int[] lags,
            int samples,
            int testSamples,
            int steps,
            int hidden,
            int nY,
            double beta,
            long seed,
            int threads,
            float hiddenGain,
            float readoutGain,
            double encoderLearningRate,
            GradientEstimator estimator) {

        /** Validates. */
        public Settings {
            if (estimator == null) {
                throw new IllegalArgumentException("need an estimator");
            }
            if (lags == null || lags.length == 0 || samples < 1 || testSamples < 1) {
                throw new IllegalArgumentException("need lags and positive sample counts");
            }
            int maxLag = 0;
            for (int l : lags) {
                maxLag = Math.max(maxLag, Math.abs(l));
            }
            if (steps < TAU_D + maxLag || hidden < 0 || nY < 1 || threads < 1 || beta < 0) {
                throw new IllegalArgumentException(
                        "steps must be at least tau_d (5) + the largest |lag| ("
                                + (TAU_D + maxLag)
                                + "), sizes positive");
            }
            lags = lags.clone();
        }
    }

    /**
     * One lag's result.
     *
     * @param lag delta, steps
     * @param accuracy mean accuracy on the test samples
     * @param mse mean squared error of the decoded reference
     * @param readoutRate readout spikes per neuron per step over the last training batches
     * @param samplesPerSecond training throughput
     */
    public record Point(
            int lag, double accuracy, double mse, double readoutRate, double samplesPerSecond) {}

    /** Readout window and kernel memory of the paper, steps. */
    public static final int TAU_D = 5;

    /** Prior firing probability q of the paper. */
    public static final double PRIOR_Q = 0.2;

    /**
     * The model for the task: as the paper's encoder, the stochastic readout sees the inputs
     * themselves. dvsflow's encoder always has a hidden layer, so it is a relay: a classic LIF
     * layer without memory (decay 0, threshold 0.5, reset to zero) with identity weights, whose
     * neuron {@code i} spikes exactly when input {@code i} does; the readout (K = 4 raised-cosine
     * kernels of memory tau_e = 5, N_Y neurons) and the logistic decoder on the last tau_d = 5
     * readout vectors are learned. With {@link Settings#hidden} other than 0 a DECOLLE LIF layer of
     * that size replaces the relay.
     */
    static VdibModel newModel(Settings s, long seed) {
        VdibModel.InputSettings input =
                VdibModel.InputSettings.dvs(DriftingBlobs.INPUTS, 1, 0, 0, s.steps(), 1_000L);
        if (s.hidden() > 0) {
            VdibArchitecture arch =
                    new VdibArchitecture(
                            new int[] {s.hidden()},
                            s.nY(),
                            4,
                            TAU_D,
                            0.5f,
                            VdibArchitecture.DecoderType.LINEAR,
                            1,
                            DecoderInputMode.WINDOW,
                            TAU_D,
                            s.readoutGain(),
                            s.hiddenGain());
            return arch.newModel(input, s.beta(), PRIOR_Q, seed, true);
        }
        int n = input.inputSize();
        SnnEncoder random =
                SnnEncoder.random(
                        n,
                        new int[] {n},
                        s.nY(),
                        LifParameters.decolle(),
                        4,
                        TAU_D,
                        0.5f,
                        true,
                        seed);
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1f;
        }
        LifLayer relay =
                new LifLayer(
                        LifParameters.classic(0f, 0.5f, Reset.ZERO, 0f),
                        n,
                        n,
                        identity,
                        new float[n]);
        float[] ro = random.readout().weights();
        for (int i = 0; i < ro.length; i++) {
            ro[i] *= s.readoutGain();
        }
        SnnEncoder enc = new SnnEncoder(new LifLayer[] {relay}, random.readout(), true);
        return new VdibModel(
                enc,
                new LogisticDecoder(s.nY() * TAU_D, DriftingBlobs.INPUTS, 1, seed + 1),
                DecoderInputMode.WINDOW,
                TAU_D,
                input,
                s.beta(),
                PRIOR_Q);
    }

    /** Samples of one lag: {@code n} windows of independent sequences. */
    static List<VdibSample> samples(long seed, int n, int steps, int lag) {
        DriftingBlobs blobs = new DriftingBlobs(seed);
        int length = steps + Math.max(0, lag);
        List<VdibSample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(DriftingBlobs.sample(blobs.sequence(length), steps, lag));
        }
        return out;
    }

    /**
     * Trains and tests one model per lag; writes {@code accuracy-vs-lag.csv} and {@code
     * accuracy-vs-lag.png} into {@code dir}.
     *
     * @param progress receives 1 per trained sample
     */
    public static List<Point> run(Settings s, Path dir, LongConsumer progress) throws IOException {
        Files.createDirectories(dir);
        List<Point> points = new ArrayList<>();
        for (int lag : s.lags()) {
            VdibModel model = newModel(s, s.seed());
            VdibLearner.Config lc =
                    new VdibLearner.Config(
                            s.beta(), PRIOR_Q, s.encoderLearningRate(), 0.99, s.seed());
            List<VdibSample> train = samples(s.seed() * 31 + 1, s.samples(), s.steps(), lag);
            List<VdibSample> test = samples(s.seed() * 31 + 2, s.testSamples(), s.steps(), lag);
            double rate = 0;
            long t0 = System.nanoTime();
            try (VdibTrainer trainer =
                    new VdibTrainer(
                            model,
                            new VdibTrainer.Options(4, s.threads(), 1e-2, lc, s.estimator()))) {
                int batches = 0;
                for (int k = 0; k < train.size(); k += 4) {
                    int n = Math.min(4, train.size() - k);
                    long[] seeds = new long[n];
                    for (int q = 0; q < n; q++) {
                        seeds[q] = SplitMix64.mix(s.seed() ^ ((long) lag << 40) ^ (k + q));
                    }
                    VdibTrainer.BatchStats b = trainer.trainBatch(train.subList(k, k + n), seeds);
                    if (k >= train.size() - 400) {
                        rate += b.readoutRate();
                        batches++;
                    }
                    progress.accept(n);
                }
                rate /= Math.max(1, batches);
                double seconds = (System.nanoTime() - t0) / 1e9;
                float[][] decoded = new float[test.size()][DriftingBlobs.INPUTS];
                long[] seeds = new long[test.size()];
                for (int i = 0; i < seeds.length; i++) {
                    seeds[i] = SplitMix64.mix(~i);
                }
                trainer.decode(test, seeds, decoded);
                double acc = 0;
                double mse = 0;
                for (int i = 0; i < decoded.length; i++) {
                    float[] target = test.get(i).target();
                    acc += DriftingBlobs.accuracy(decoded[i], target);
                    for (int j = 0; j < target.length; j++) {
                        double d = decoded[i][j] - target[j];
                        mse += d * d / target.length;
                    }
                }
                points.add(
                        new Point(
                                lag,
                                acc / decoded.length,
                                mse / decoded.length,
                                rate,
                                train.size() / seconds));
            }
        }
        StringBuilder csv =
                new StringBuilder("lag,accuracy,mse,readout_rate,train_samples_per_s\n");
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%.4f,%.5f,%.4f,%.1f%n",
                            p.lag(),
                            p.accuracy(),
                            p.mse(),
                            p.readoutRate(),
                            p.samplesPerSecond()));
            x[i] = p.lag();
            y[i] = 100 * p.accuracy();
        }
        Files.writeString(dir.resolve("accuracy-vs-lag.csv"), csv, StandardCharsets.UTF_8);
        if (points.size() >= 2) {
            ImageIO.write(
                    CurveChart.render("accuracy (%) against lag", "lag (steps)", x, y, 480, 300),
                    "png",
                    dir.resolve("accuracy-vs-lag.png").toFile());
        }
        return points;
    }
}
