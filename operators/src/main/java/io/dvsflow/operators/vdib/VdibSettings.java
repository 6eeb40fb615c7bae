package io.dvsflow.operators.vdib;

import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.metrics.SpikeStatistics;
import java.io.Serializable;

/**
 * Settings shared by the VDIB operators ({@link LifEncoderFunction}, {@link VdibDecoderFunction},
 * {@link VdibLearnerFunction}). The model itself (sizes, crop, bin width {@code dtUs}) comes from
 * the model snapshot.
 *
 * @param seed base seed of the readout neurons' generators; stream {@code s} uses {@link
 *     #streamSeed} (default 1)
 * @param emitEvery the decoder emits an image for window {@code k} ({@code k = windowStart / dt})
 *     when {@code k mod emitEvery == emitEvery - 1} (default 1: every window)
 * @param maxGapSteps windows without events between two windows with events are stepped with no
 *     input, up to this many; a longer gap resets the stream's state (a new sequence) instead
 *     (default 200)
 * @param retentionUs idle time: wall-clock time without input after which a stream's pending
 *     windows are stepped and its state is dropped, µs (default 60 s); the end of a bounded input
 *     does the same at once. Wall-clock, not event time: each stream has its own clock, and the
 *     job's watermark may lie far ahead of a stream that is still running (see {@link
 *     LifEncoderFunction})
 * @param statsSteps encoder steps per block of spike statistics (default 100)
 * @param burstThreshold firing rate (spikes per step) from which a neuron counts as bursting
 *     (default {@link SpikeStatistics#DEFAULT_BURST_THRESHOLD})
 * @param channelId in-process {@link ModelChannel} id (embedded default), or null
 * @param learn whether the encoder accumulates VDIB gradients and emits them at references
 * @param learning learning hyperparameters (used when {@code learn}), see {@link #learner()}
 * @param batch gradient samples (references, from any streams) combined per learner update (default
 *     1)
 * @param streamDisorderUs event-time disorder tolerated within one stream, µs (default 5,000): a
 *     window is stepped once its stream has an event later than the window's end plus this, or when
 *     the job's watermark passes the window's end (each stream has its own clock; see {@link
 *     LifEncoderFunction})
 */
public record VdibSettings(
        long seed,
        int emitEvery,
        int maxGapSteps,
        long retentionUs,
        int statsSteps,
        double burstThreshold,
        String channelId,
        boolean learn,
        Learning learning,
        int batch,
        long streamDisorderUs)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates ranges. */
    public VdibSettings {
        if (emitEvery < 1
                || maxGapSteps < 0
                || retentionUs < 1
                || statsSteps < 1
                || batch < 1
                || streamDisorderUs < 0) {
            throw new IllegalArgumentException(
                    "need emitEvery >= 1, maxGapSteps >= 0, retentionUs >= 1, statsSteps >= 1,"
                            + " batch >= 1, streamDisorderUs >= 0");
        }
        if (learn && learning == null) {
            throw new IllegalArgumentException("learning needs learner hyperparameters");
        }
    }

    /** Inference only, defaults as documented, no channel. */
    public static VdibSettings inference() {
        return new VdibSettings(
                1L,
                1,
                200,
                60_000_000L,
                100,
                SpikeStatistics.DEFAULT_BURST_THRESHOLD,
                null,
                false,
                null,
                1,
                5_000L);
    }

    /** A copy with the in-process channel {@code id}. */
    public VdibSettings withChannel(String id) {
        return new VdibSettings(
                seed,
                emitEvery,
                maxGapSteps,
                retentionUs,
                statsSteps,
                burstThreshold,
                id,
                learn,
                learning,
                batch,
                streamDisorderUs);
    }

    /**
     * A copy that learns with {@code config} and the {@link GradientEstimator#PATHWISE} estimator,
     * combining {@code batchSize} samples per update.
     */
    public VdibSettings withLearning(VdibLearner.Config config, int batchSize) {
        return withLearning(config, batchSize, GradientEstimator.PATHWISE);
    }

    /**
     * A copy that learns with {@code config} and {@code estimator}, combining {@code batchSize}
     * samples per update.
     */
    public VdibSettings withLearning(
            VdibLearner.Config config, int batchSize, GradientEstimator estimator) {
        return new VdibSettings(
                seed,
                emitEvery,
                maxGapSteps,
                retentionUs,
                statsSteps,
                burstThreshold,
                channelId,
                true,
                new Learning(
                        config.beta(),
                        config.priorQ(),
                        config.learningRate(),
                        config.kappa(),
                        config.feedbackSeed(),
                        estimator),
                batchSize,
                streamDisorderUs);
    }

    /** A copy emitting an image every {@code k} windows. */
    public VdibSettings withEmitEvery(int k) {
        return new VdibSettings(
                seed,
                k,
                maxGapSteps,
                retentionUs,
                statsSteps,
                burstThreshold,
                channelId,
                learn,
                learning,
                batch,
                streamDisorderUs);
    }

    /** A copy with base seed {@code s}. */
    public VdibSettings withSeed(long s) {
        return new VdibSettings(
                s,
                emitEvery,
                maxGapSteps,
                retentionUs,
                statsSteps,
                burstThreshold,
                channelId,
                learn,
                learning,
                batch,
                streamDisorderUs);
    }

    /** A copy with statistics blocks of {@code steps} steps. */
    public VdibSettings withStatsSteps(int steps) {
        return new VdibSettings(
                seed,
                emitEvery,
                maxGapSteps,
                retentionUs,
                steps,
                burstThreshold,
                channelId,
                learn,
                learning,
                batch,
                streamDisorderUs);
    }

    /** A copy tolerating {@code us} µs of event-time disorder within a stream. */
    public VdibSettings withStreamDisorder(long us) {
        return new VdibSettings(
                seed,
                emitEvery,
                maxGapSteps,
                retentionUs,
                statsSteps,
                burstThreshold,
                channelId,
                learn,
                learning,
                batch,
                us);
    }

    /**
     * The learning hyperparameters in serializable form ({@link VdibLearner.Config} fields).
     *
     * @param beta KL weight
     * @param priorQ Bernoulli prior rate
     * @param learningRate Adam learning rate
     * @param kappa baseline decay
     * @param feedbackSeed seed of the fixed feedback matrices
     * @param estimator the encoder's gradient estimator: {@link GradientEstimator#REINFORCE}
     *     (eligibilities times the global learning signal minus a baseline) or {@link
     *     GradientEstimator#PATHWISE} (the decoder's gradient for each readout spike of the
     *     reference's window, replayed from a {@code PathwiseHistory})
     */
    public record Learning(
            double beta,
            double priorQ,
            double learningRate,
            double kappa,
            long feedbackSeed,
            GradientEstimator estimator)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Validates the estimator. */
        public Learning {
            java.util.Objects.requireNonNull(estimator, "estimator");
        }
    }

    /** The encoder's gradient estimator when learning, else null. */
    public GradientEstimator estimator() {
        return learning == null ? null : learning.estimator();
    }

    /** The learner configuration, or null when not learning. */
    public VdibLearner.Config learner() {
        return learning == null
                ? null
                : new VdibLearner.Config(
                        learning.beta(),
                        learning.priorQ(),
                        learning.learningRate(),
                        learning.kappa(),
                        learning.feedbackSeed());
    }

    /**
     * The seed of stream {@code streamId}'s readout generator: {@code seed * 0x9E3779B97F4A7C15 +
     * streamId.hashCode()} (String hash codes are fixed by the Java specification, so the seed is
     * the same in every JVM).
     */
    public long streamSeed(String streamId) {
        return seed * 0x9E37_79B9_7F4A_7C15L + streamId.hashCode();
    }
}
