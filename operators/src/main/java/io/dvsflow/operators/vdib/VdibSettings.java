package io.dvsflow.operators.vdib;

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
 * @param retentionUs event time after a stream's last window at which its state is dropped (end of
 *     stream; the final watermark of a bounded input drops it at once), µs (default 5 s)
 * @param statsSteps encoder steps per block of spike statistics (default 100)
 * @param burstThreshold firing rate (spikes per step) from which a neuron counts as bursting
 *     (default {@link SpikeStatistics#DEFAULT_BURST_THRESHOLD})
 * @param channelId in-process {@link ModelChannel} id (embedded default), or null
 * @param learn whether the encoder accumulates VDIB gradients and emits them at references
 * @param learning learning hyperparameters (used when {@code learn}), see {@link #learner()}
 * @param batch gradient samples (references, from any streams) combined per learner update (default
 *     1)
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
        int batch)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates ranges. */
    public VdibSettings {
        if (emitEvery < 1 || maxGapSteps < 0 || retentionUs < 1 || statsSteps < 1 || batch < 1) {
            throw new IllegalArgumentException(
                    "need emitEvery >= 1, maxGapSteps >= 0, retentionUs >= 1, statsSteps >= 1,"
                            + " batch >= 1");
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
                5_000_000L,
                100,
                SpikeStatistics.DEFAULT_BURST_THRESHOLD,
                null,
                false,
                null,
                1);
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
                batch);
    }

    /** A copy that learns with {@code config}, combining {@code batchSize} samples per update. */
    public VdibSettings withLearning(VdibLearner.Config config, int batchSize) {
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
                        config.feedbackSeed()),
                batchSize);
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
                batch);
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
                batch);
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
                batch);
    }

    /**
     * The learning hyperparameters in serializable form ({@link VdibLearner.Config} fields).
     *
     * @param beta KL weight
     * @param priorQ Bernoulli prior rate
     * @param learningRate Adam learning rate
     * @param kappa baseline decay
     * @param feedbackSeed seed of the fixed feedback matrices
     */
    public record Learning(
            double beta, double priorQ, double learningRate, double kappa, long feedbackSeed)
            implements Serializable {
        private static final long serialVersionUID = 1L;
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
