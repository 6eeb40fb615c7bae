package io.dvsflow.models.neuron;

/**
 * Parameters of one LIF neuron model, covering the DECOLLE-style neuron of the VDIB reference code,
 * the classic LIF of paper 000, snnTorch {@code Leaky} and Norse {@code LIFCell} with one discrete
 * step per time bin. All quantities are dimensionless (membrane units); time is the step index.
 *
 * <p>Step {@code t} of neuron {@code j}, with input drive {@code D_t = sum_i W_ji x_i,t} (binary
 * inputs, so the sum runs over the active inputs only) and bias {@code b_j}:
 *
 * <pre>
 * I_t = synDecay * I_{t-1} + synGain * D_t                      (synaptic stage)
 * V_t = memDecay * V'_{t-1} + memGain * (currentDelay ? I_{t-1} : I_t)
 *       - (reset == SUBTRACT_NEXT_STEP ? S_{t-1} * threshold : 0)  (membrane stage)
 * R_t = refDecay * R_{t-1} - refGain * S_{t-1}                  (refractory trace)
 * U_t = V_t + b_j + R_t
 * S_t = U_t >= threshold  (fireOnEqual)   or   U_t > threshold  (otherwise)
 * V'_t = max(lowerBound, reset(V_t, S_t))   ZERO: 0 if S_t; SUBTRACT: V_t - threshold if S_t
 * </pre>
 *
 * Mappings (the factories):
 *
 * <ul>
 *   <li>DECOLLE / VDIB hidden ({@link #decolle}): {@code Q = beta Q + (1 - beta) S_in}, {@code P =
 *       alpha P + (1 - alpha) Q}, {@code R = alpha_rp R - S}, {@code U = W P + b + R}, {@code S =
 *       Theta(U)}: synDecay = beta, synGain = 1 - beta, memDecay = alpha, memGain = 1 - alpha,
 *       refDecay = alpha_rp, refGain = 1, threshold 0 (the bias plays the threshold), fire on
 *       equality, reset NONE. Since W is linear, {@code V = W P} is tracked per neuron.
 *   <li>Classic ({@link #classic}): {@code u_t = tau u'_{t-1} + sum_j w_ij x_j}: synDecay = 0,
 *       synGain = 1, memDecay = tau, memGain = 1, no refractory trace.
 *   <li>snnTorch Leaky ({@link #snntorchLeaky}): {@code U_t = beta U_{t-1} + I_t - S_{t-1} U_thr},
 *       {@code S_t = U_t > U_thr}.
 *   <li>Norse LIF ({@link #norse}): explicit Euler, {@code v_t = v_{t-1} + dt tau_mem_inv (v_leak -
 *       v_{t-1} + i_{t-1})}, {@code i_t = i_{t-1} - dt tau_syn_inv i_{t-1} + W x_t}, {@code z_t =
 *       v_t > v_th}, {@code v_t <- v_reset = 0} on a spike (v_leak = 0): memDecay = 1 - dt
 *       tau_mem_inv, memGain = dt tau_mem_inv, synDecay = 1 - dt tau_syn_inv, synGain = 1,
 *       currentDelay.
 * </ul>
 *
 * The same two-stage filter applied to each input alone gives the presynaptic trace {@code P_i,t}
 * used by e-prop eligibility ({@code dU_j,t / dW_ji = P_i,t} exactly when reset is NONE and there
 * is no lower bound).
 *
 * @param synDecay synaptic decay per step, in [0, 1]
 * @param synGain gain of the drive into the synaptic stage, finite
 * @param memDecay membrane decay per step, in [0, 1]
 * @param memGain gain of the synaptic stage into the membrane, finite
 * @param currentDelay true if the membrane integrates the previous step's synaptic value (Norse)
 * @param refDecay refractory trace decay per step, in [0, 1]
 * @param refGain refractory jump per spike (subtracted), finite and non-negative
 * @param threshold firing threshold on {@code U}, finite
 * @param fireOnEqual true to spike when {@code U == threshold}
 * @param reset reset of {@code V} after a spike
 * @param lowerBound lower bound of {@code V'} ({@code Float.NEGATIVE_INFINITY} for none), below the
 *     threshold
 * @param surrogate surrogate derivative used by learning rules
 * @param surrogateScale the surrogate's scale, positive and finite
 */
public record LifParameters(
        float synDecay,
        float synGain,
        float memDecay,
        float memGain,
        boolean currentDelay,
        float refDecay,
        float refGain,
        float threshold,
        boolean fireOnEqual,
        Reset reset,
        float lowerBound,
        Surrogate surrogate,
        float surrogateScale) {

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public LifParameters {
        unit("synDecay", synDecay);
        unit("memDecay", memDecay);
        unit("refDecay", refDecay);
        finite("synGain", synGain);
        finite("memGain", memGain);
        finite("refGain", refGain);
        finite("threshold", threshold);
        if (refGain < 0f) {
            throw new IllegalArgumentException("refGain must be >= 0, got " + refGain);
        }
        if (reset == null || surrogate == null) {
            throw new IllegalArgumentException("reset and surrogate must not be null");
        }
        if (Float.isNaN(lowerBound)
                || lowerBound == Float.POSITIVE_INFINITY
                || lowerBound >= threshold) {
            throw new IllegalArgumentException(
                    "lowerBound must be below the threshold " + threshold + ", got " + lowerBound);
        }
        if (!(surrogateScale > 0f) || Float.isInfinite(surrogateScale)) {
            throw new IllegalArgumentException(
                    "surrogateScale must be positive and finite, got " + surrogateScale);
        }
    }

    /** VDIB reference values: alpha = 0.9, beta = 0.85, alpha_rp = 0.65, sigmoid surrogate. */
    public static LifParameters decolle() {
        return decolle(0.9f, 0.85f, 0.65f);
    }

    /**
     * DECOLLE-style LIF: {@code Q = beta Q + (1-beta) S_in; P = alpha P + (1-alpha) Q; R = alpha_rp
     * R - S_{t-1}; U = W P + b + R; S = U >= 0}. Sigmoid surrogate with scale 1 (VDIB eprop-fixed).
     */
    public static LifParameters decolle(float alpha, float beta, float alphaRp) {
        return new LifParameters(
                beta,
                1f - beta,
                alpha,
                1f - alpha,
                false,
                alphaRp,
                1f,
                0f,
                true,
                Reset.NONE,
                Float.NEGATIVE_INFINITY,
                Surrogate.SIGMOID,
                Surrogate.SIGMOID.defaultScale());
    }

    /**
     * Classic LIF of paper 000: {@code u_t = decay u'_{t-1} + sum_j w_ij x_j}, spike when {@code u
     * >= threshold}, then {@code reset}, then {@code u' = max(u', lowerBound)}. Paper 000 uses
     * decay 0.99, threshold 1, {@link Reset#ZERO}, lower bound -1. Fast-sigmoid surrogate.
     */
    public static LifParameters classic(
            float decay, float threshold, Reset reset, float lowerBound) {
        return new LifParameters(
                0f,
                1f,
                decay,
                1f,
                false,
                0f,
                0f,
                threshold,
                true,
                reset,
                lowerBound,
                Surrogate.FAST_SIGMOID,
                Surrogate.FAST_SIGMOID.defaultScale());
    }

    /**
     * snnTorch {@code Leaky(beta, threshold)} with its defaults (reset by subtraction, delayed):
     * {@code U_t = beta U_{t-1} + I_t - S_{t-1} threshold}, {@code S_t = U_t > threshold}. Fast
     * sigmoid surrogate with snnTorch's slope 25.
     */
    public static LifParameters snntorchLeaky(float beta, float threshold) {
        return new LifParameters(
                0f,
                1f,
                beta,
                1f,
                false,
                0f,
                0f,
                threshold,
                false,
                Reset.SUBTRACT_NEXT_STEP,
                Float.NEGATIVE_INFINITY,
                Surrogate.FAST_SIGMOID,
                25f);
    }

    /**
     * Norse {@code LIFParameters()} defaults: tau_syn_inv 200 1/s, tau_mem_inv 100 1/s, v_th 1, dt
     * 1 ms.
     */
    public static LifParameters norse() {
        return norse(200f, 100f, 1f, 1e-3f);
    }

    /**
     * Norse {@code LIFCell} explicit Euler step (v_leak = 0, v_reset = 0): {@code v_t = (1 - dt
     * tau_mem_inv) v_{t-1} + dt tau_mem_inv i_{t-1}}, {@code i_t = (1 - dt tau_syn_inv) i_{t-1} + W
     * x_t}, spike when {@code v_t > v_th}, then {@code v_t = 0}.
     *
     * @param tauSynInv inverse synaptic time constant, 1/s
     * @param tauMemInv inverse membrane time constant, 1/s
     * @param vTh threshold
     * @param dt step, seconds (both {@code dt * tauInv} must lie in [0, 1])
     */
    public static LifParameters norse(float tauSynInv, float tauMemInv, float vTh, float dt) {
        float m = dt * tauMemInv;
        float s = dt * tauSynInv;
        return new LifParameters(
                1f - s,
                1f,
                1f - m,
                m,
                true,
                0f,
                0f,
                vTh,
                false,
                Reset.ZERO,
                Float.NEGATIVE_INFINITY,
                Surrogate.FAST_SIGMOID,
                Surrogate.FAST_SIGMOID.defaultScale());
    }

    /** A copy with another surrogate derivative. */
    public LifParameters withSurrogate(Surrogate kind, float scale) {
        return new LifParameters(
                synDecay,
                synGain,
                memDecay,
                memGain,
                currentDelay,
                refDecay,
                refGain,
                threshold,
                fireOnEqual,
                reset,
                lowerBound,
                kind,
                scale);
    }

    /** {@code psi(U - threshold)} with this record's surrogate. */
    public float surrogateDerivative(float u) {
        return surrogate.derivative(u - threshold, surrogateScale);
    }

    private static void unit(String name, float v) {
        if (!(v >= 0f && v <= 1f)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    private static void finite(String name, float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }
}
