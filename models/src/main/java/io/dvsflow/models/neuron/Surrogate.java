package io.dvsflow.models.neuron;

/**
 * Surrogate derivatives {@code psi(x)} that replace the Heaviside step's derivative in gradient
 * rules (e-prop eligibility, straight-through). {@code x} is the distance to the threshold, {@code
 * x = U - threshold} (dimensionless, in membrane units); {@code s} is the kind's scale parameter.
 *
 * <ul>
 *   <li>{@link #SIGMOID}: {@code psi(x) = s * sigma(s x) * (1 - sigma(s x))}, the derivative of
 *       {@code sigma(s x)} (VDIB eprop-fixed uses {@code s = 1}). Default scale 1.
 *   <li>{@link #BOXCAR}: {@code psi(x) = 1} if {@code |x| < s}, else 0 (VDIB master: {@code |U| <
 *       0.5}). Default scale 0.5.
 *   <li>{@link #FAST_SIGMOID}: {@code psi(x) = 1 / (1 + s |x|)^2} (SuperSpike, Zenke and Ganguli
 *       2018; snnTorch's {@code fast_sigmoid} uses slope 25). Default scale 10.
 * </ul>
 */
public enum Surrogate {
    /** Derivative of a logistic sigmoid of slope {@code s}. */
    SIGMOID(1f),
    /** Rectangular window of half width {@code s}, height 1. */
    BOXCAR(0.5f),
    /** SuperSpike fast sigmoid derivative with slope {@code s}. */
    FAST_SIGMOID(10f);

    private final float defaultScale;

    Surrogate(float defaultScale) {
        this.defaultScale = defaultScale;
    }

    /** The scale used by the factories of {@link LifParameters} when none is given. */
    public float defaultScale() {
        return defaultScale;
    }

    /**
     * {@code psi(x)} for this kind with scale {@code s}.
     *
     * @param x distance to the threshold, {@code U - threshold}
     * @param s the scale (slope or half width), positive
     */
    public float derivative(float x, float s) {
        switch (this) {
            case SIGMOID:
                {
                    float sig = (float) (1.0 / (1.0 + Math.exp(-s * x)));
                    return s * sig * (1f - sig);
                }
            case BOXCAR:
                return Math.abs(x) < s ? 1f : 0f;
            case FAST_SIGMOID:
                {
                    float d = 1f + s * Math.abs(x);
                    return 1f / (d * d);
                }
            default:
                throw new AssertionError(this);
        }
    }
}
