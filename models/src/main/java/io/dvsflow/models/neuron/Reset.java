package io.dvsflow.models.neuron;

/**
 * What a spike does to the membrane {@code V} of a LIF neuron (see {@link LifParameters} for the
 * full step).
 */
public enum Reset {
    /** No reset of {@code V}; only the refractory trace {@code R} acts (DECOLLE, VDIB hidden). */
    NONE,
    /** {@code V <- 0} right after a spike (Norse {@code v_reset = 0}, paper 000). */
    ZERO,
    /** {@code V <- V - threshold} right after a spike; the subtraction decays with {@code V}. */
    SUBTRACT,
    /**
     * snnTorch {@code Leaky} (default {@code reset_delay=True}): at the next step {@code V_t =
     * decay V_{t-1} + I_t - S_{t-1} threshold}; the subtracted amount does not decay.
     */
    SUBTRACT_NEXT_STEP
}
