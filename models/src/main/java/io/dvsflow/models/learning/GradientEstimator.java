package io.dvsflow.models.learning;

/**
 * How the encoder's gradient of the VDIB loss {@code E[l_dec + beta l_enc]} is estimated.
 *
 * <ul>
 *   <li>{@link #REINFORCE}: paper 004 eq. 19-22, the score function {@code (loss - b) sum_t (y_t -
 *       p_t) du_t/dtheta} with one scalar learning signal per sample and per-parameter baselines
 *       {@code b}. Unbiased, but its variance grows with the number of readout decisions ({@code
 *       N_Y T} per sample).
 *   <li>{@link #PATHWISE}: a local, linearised estimate, {@code sum_t (dl_dec/dy_t + beta (logit
 *       p_t - logit q)) p_t (1 - p_t) du_t/dtheta}: the decoder's gradient with respect to each
 *       readout spike (which the ANN decoder computes by back-propagation anyway) stands in for the
 *       loss difference between {@code y_i,t = 1} and {@code 0}, and the KL term's expectation over
 *       {@code y_t} is differentiated exactly. Biased by the linearisation and by truncating the
 *       feedback path (as e-prop truncates), but with no sample-level noise factor; the encoder
 *       runs twice per sample (once to decode, once to accumulate with the decoder's gradient).
 * </ul>
 */
public enum GradientEstimator {
    /** Score-function estimator with per-parameter baselines (the paper's). */
    REINFORCE,
    /** Linearised pathwise estimator through the decoder's input gradient. */
    PATHWISE
}
