package io.dvsflow.models.training;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.optim.DecoderAdam;
import io.dvsflow.models.learning.DecoderFeedback;
import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Offline VDIB training of a {@link VdibModel} (paper 004; ../shared/docs/learning.md section 1) in
 * data-parallel minibatches.
 *
 * <p>One {@link #trainBatch} step over samples {@code 0..B-1} with seeds {@code s_b}:
 *
 * <ol>
 *   <li>workers {@code w = 0..threads-1} take fixed contiguous slices of the batch; for each sample
 *       they run the encoder for {@code T} steps ({@link VdibRunner}) accumulating the encoder's
 *       log-likelihood gradients {@code g_b} (REINFORCE for the readout, e-prop for the hidden
 *       layers, {@link VdibLearner#accumulate}) and back-propagate the decoder's BCE {@code
 *       l_dec,b} into their own decoder replica;
 *   <li>with {@link GradientEstimator#PATHWISE} instead: encode, decode, back-propagate the BCE
 *       down to the readout spikes, then run the encoder again with the same seed accumulating
 *       {@link VdibLearner#accumulatePathwise} with those spike gradients; {@code g_b} is then
 *       already the gradient and the next point only sums;
 *   <li>then, on the calling thread and in sample order, each {@code g_b} becomes the REINFORCE
 *       estimate {@code (l_dec,b + beta l_enc,b - baseline) g_b} ({@link VdibLearner#finishSample},
 *       which also moves the baselines); the estimates are summed in sample order, scaled by {@code
 *       1/B} and applied with the encoder's Adam;
 *   <li>the replicas' decoder gradients are summed in worker order, scaled by {@code 1/B} and
 *       applied with {@link DecoderAdam} (learning rate {@link Options#decoderLearningRate}).
 * </ol>
 *
 * Determinism: a run is a pure function of the model's initial parameters, the samples, their seeds
 * and the options: the same thread count gives bit-identical weights. A different thread count
 * changes the float rounding of the decoder gradient sum; the encoder update is summed per sample
 * in sample order, so the first one does not depend on the thread count, but later ones see the
 * decoder losses of the differently rounded decoder.
 *
 * <p>Not thread-safe; call {@link #close()} to stop the workers.
 */
public final class VdibTrainer implements AutoCloseable {

    /**
     * Training options.
     *
     * @param batchSize samples per update (reference 1; default 4 so that two workers share it)
     * @param threads data-parallel workers (default 2)
     * @param decoderLearningRate Adam learning rate of the decoder (default 1e-3)
     * @param learner the encoder's VDIB learner configuration (reference: beta 1e-3, q 0.3, lr
     *     1e-3, kappa 0.99)
     */
    public record Options(
            int batchSize,
            int threads,
            double decoderLearningRate,
            VdibLearner.Config learner,
            GradientEstimator estimator) {
        /** Validates ranges. */
        public Options {
            if (batchSize < 1
                    || threads < 1
                    || !(decoderLearningRate > 0)
                    || learner == null
                    || estimator == null) {
                throw new IllegalArgumentException(
                        "batchSize, threads and decoderLearningRate must be positive");
            }
        }

        /** Options with the paper's {@link GradientEstimator#REINFORCE}. */
        public Options(
                int batchSize,
                int threads,
                double decoderLearningRate,
                VdibLearner.Config learner) {
            this(batchSize, threads, decoderLearningRate, learner, GradientEstimator.REINFORCE);
        }
    }

    /**
     * Means over one batch.
     *
     * @param loss global learning signal {@code l_dec + beta l_enc}, nats per sample
     * @param decoderLoss BCE of the decoded image, nats per sample
     * @param klLoss KL sample sum {@code l_enc}, nats per sample
     * @param readoutRate readout spikes per neuron per step
     * @param hiddenRate hidden spikes per neuron per step
     */
    public record BatchStats(
            double loss,
            double decoderLoss,
            double klLoss,
            double readoutRate,
            double hiddenRate) {}

    private final VdibModel model;
    private final Options options;
    private final VdibLearner master;
    private final DecoderAdam decoderAdam;
    private final Worker[] workers;
    private final ExecutorService pool;
    private EncoderGradients[] grads = new EncoderGradients[0];
    private final double[] decLoss;
    private int hiddenNeurons;

    private final class Worker {
        final VdibRunner runner;
        final VdibLearner learner;
        final float[] image;

        Worker() {
            runner = new VdibRunner(model);
            learner = new VdibLearner(model.encoder(), options.learner());
            image = new float[model.decoder().outputSize()];
        }
    }

    /** A trainer updating {@code model}'s parameters in place (its encoder keeps input traces). */
    public VdibTrainer(VdibModel model, Options options) {
        this.model = model;
        this.options = options;
        this.master = new VdibLearner(model.encoder(), options.learner());
        this.decoderAdam = new DecoderAdam(options.decoderLearningRate());
        this.workers = new Worker[options.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
        }
        this.pool =
                options.threads() > 1
                        ? Executors.newFixedThreadPool(
                                options.threads(),
                                r -> {
                                    Thread t = new Thread(r, "vdib-trainer");
                                    t.setDaemon(true);
                                    return t;
                                })
                        : null;
        this.decLoss = new double[options.batchSize()];
        for (int l = 0; l < model.encoder().hiddenLayers(); l++) {
            hiddenNeurons += model.encoder().hidden(l).size();
        }
    }

    /** The model being trained. */
    public VdibModel model() {
        return model;
    }

    /** Encoder optimiser steps so far. */
    public long steps() {
        return decoderAdam.steps();
    }

    /**
     * Scales both learning rates (encoder and decoder) of the next updates to {@code factor} times
     * their {@link Options} values; a schedule (e.g. {@link #cosineFactor}) sets it before each
     * update.
     *
     * @param factor in [0, 1]
     */
    public void setLearningRateFactor(double factor) {
        master.setLearningRateFactor(factor);
        decoderAdam.setLearningRateFactor(factor);
    }

    /**
     * The cosine schedule's factor before update {@code step} of {@code total} ({@code step = 0 ..
     * total - 1}): {@code f = floor + (1 - floor) (1 + cos(pi step / total)) / 2}, from 1 at the
     * first update down towards {@code floor} at the last.
     *
     * @param floor the final factor, in [0, 1]
     */
    public static double cosineFactor(long step, long total, double floor) {
        if (total < 1 || step < 0 || step >= total || !(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException(
                    "need 0 <= step < total and floor in [0, 1]; got "
                            + step
                            + ", "
                            + total
                            + ", "
                            + floor);
        }
        return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * step / total));
    }

    /**
     * One update on {@code batch} (at most {@link Options#batchSize} samples) with per-sample
     * seeds.
     */
    public BatchStats trainBatch(List<VdibSample> batch, long[] seeds) {
        int n = batch.size();
        if (n < 1 || n > options.batchSize() || seeds.length < n) {
            throw new IllegalArgumentException(
                    "batch of " + n + " samples, at most " + options.batchSize());
        }
        if (grads.length < n) {
            EncoderGradients[] g = java.util.Arrays.copyOf(grads, options.batchSize());
            for (int b = grads.length; b < g.length; b++) {
                g[b] = master.newGradients();
            }
            grads = g;
        }
        long[] spikes = new long[2 * n];
        boolean pathwise = options.estimator() == GradientEstimator.PATHWISE;
        runParallel(
                n,
                (w, from, to) -> {
                    Worker wk = workers[w];
                    wk.runner.decoder().zeroGradients();
                    for (int b = from; b < to; b++) {
                        if (pathwise) {
                            wk.runner.encode(batch.get(b), seeds[b], null, null);
                            wk.runner.decode(wk.image);
                            decLoss[b] = wk.runner.backwardWithInputGradient(batch.get(b).target());
                            wk.runner.encodePathwise(batch.get(b), seeds[b], wk.learner, grads[b]);
                        } else {
                            wk.runner.encode(batch.get(b), seeds[b], wk.learner, grads[b]);
                            wk.runner.decode(wk.image);
                            decLoss[b] = wk.runner.backward(batch.get(b).target());
                        }
                        spikes[2 * b] = wk.runner.readoutSpikes();
                        spikes[2 * b + 1] = wk.runner.hiddenSpikes();
                    }
                });
        double loss = 0;
        double dec = 0;
        double kl = 0;
        long ro = 0;
        long hid = 0;
        for (int b = 0; b < n; b++) {
            kl += grads[b].klLoss();
            loss +=
                    pathwise
                            ? master.finishPathwise(grads[b], decLoss[b])
                            : master.finishSample(grads[b], DecoderFeedback.of(decLoss[b]));
            dec += decLoss[b];
            ro += spikes[2 * b];
            hid += spikes[2 * b + 1];
            if (b > 0) {
                grads[0].add(grads[b]);
                grads[b].clear();
            }
        }
        grads[0].scale(1f / n);
        master.applyGradients(grads[0]);
        // decoder: sum replica gradients in worker order
        ImageDecoder main = model.decoder();
        main.zeroGradients();
        List<NamedTensor> mg = main.gradients();
        int used = Math.min(workers.length, n);
        for (int w = 0; w < used; w++) {
            List<NamedTensor> wg = workers[w].runner.decoder().gradients();
            for (int k = 0; k < mg.size(); k++) {
                float[] a = mg.get(k).data();
                float[] c = wg.get(k).data();
                for (int i = 0; i < a.length; i++) {
                    a[i] += c[i];
                }
            }
        }
        float inv = 1f / n;
        for (NamedTensor t : mg) {
            float[] a = t.data();
            for (int i = 0; i < a.length; i++) {
                a[i] *= inv;
            }
        }
        decoderAdam.step(main.parameters(), mg);
        // the replicas share the parameters; backends with native mirrors re-copy them once
        main.parametersChanged();
        double steps = (double) n * model.steps();
        return new BatchStats(
                loss / n,
                dec / n,
                kl / n,
                ro / (steps * model.nY()),
                hid / (steps * Math.max(1, hiddenNeurons)));
    }

    /** Work on a contiguous slice {@code [from, to)} of a batch by worker {@code w}. */
    @FunctionalInterface
    interface Slice {
        void run(int w, int from, int to);
    }

    private void runParallel(int n, Slice slice) {
        int t = Math.min(workers.length, n);
        if (t <= 1 || pool == null) {
            slice.run(0, 0, n);
            return;
        }
        List<Future<?>> fs = new ArrayList<>(t);
        for (int w = 1; w < t; w++) {
            int from = (int) ((long) n * w / t);
            int to = (int) ((long) n * (w + 1) / t);
            int ww = w;
            fs.add(pool.submit(() -> slice.run(ww, from, to)));
        }
        slice.run(0, 0, (int) ((long) n / t));
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /**
     * Decodes {@code samples} (seed of sample {@code i} = {@code seeds[i]}) into {@code out[i]}, in
     * parallel over the workers; the parameters are not changed.
     */
    public void decode(List<VdibSample> samples, long[] seeds, float[][] out) {
        runParallel(
                samples.size(),
                (w, from, to) -> {
                    VdibRunner r = workers[w].runner;
                    for (int i = from; i < to; i++) {
                        r.encode(samples.get(i), seeds[i], null, null);
                        r.decode(out[i]);
                    }
                });
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
