package io.dvsflow.models.learning;

/**
 * What the ANN decoder reports back to the encoder's learner when a reference signal arrives (end
 * of a sample offline, a reference frame online).
 *
 * <ul>
 *   <li>{@link #loss()}: the decoder loss {@code l_dec = -log q(r | y window)}, in nats, i.e. the
 *       binary cross-entropy summed over the reference's pixels. It enters the global REINFORCE
 *       learning signal {@code l_dec + beta l_enc} of paper 004 eq. 13.
 *   <li>{@link #readoutSignal()}: optional, {@code dl_dec / dy_i} summed over the decoder's window,
 *       one value per readout neuron (length {@code N_Y}), or null. {@link VdibLearner} (REINFORCE,
 *       as in the paper) does not need it; it is part of the contract so that pathwise / feedback-
 *       alignment variants can use the decoder's per-neuron error without changing the operators.
 * </ul>
 */
public interface DecoderFeedback {

    /** The decoder loss in nats (finite, normally >= 0). */
    double loss();

    /** Per-readout-neuron gradient of the decoder loss, or null (the default). */
    default float[] readoutSignal() {
        return null;
    }

    /** Feedback carrying only a loss value. */
    static DecoderFeedback of(double loss) {
        return () -> loss;
    }
}
