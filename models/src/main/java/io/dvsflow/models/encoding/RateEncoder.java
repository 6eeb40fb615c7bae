package io.dvsflow.models.encoding;

import io.dvsflow.models.random.Rng;

/**
 * Rate (Poisson / Bernoulli) coding of a static image, paper 000 eq. 6: at every step pixel {@code
 * i} spikes iff {@code s * x_i > u_i,t} with {@code u_i,t ~ U(0,1)} drawn from the caller's {@link
 * Rng} (one {@link Rng#nextFloat()} per pixel per step, in pixel order, so the spikes are a pure
 * function of the image, the scale and the generator state). Pixel values are expected in [0, 1];
 * the scale {@code s} (e.g. 1 for VDIB, 0.2 in paper 000) sets the rate {@code min(1, s x)} per
 * step.
 *
 * <p>No allocation per step: {@link #step} writes active pixel indices into the caller's array.
 */
public final class RateEncoder {

    private final float scale;

    /**
     * @param scale the scale {@code s}, finite and non-negative
     */
    public RateEncoder(float scale) {
        if (!(scale >= 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and >= 0, got " + scale);
        }
        this.scale = scale;
    }

    /** The scale {@code s}. */
    public float scale() {
        return scale;
    }

    /**
     * One step: writes the indices of the spiking pixels, ascending, into {@code out}.
     *
     * @param image pixel values in [0, 1]
     * @param rng the generator (advanced by {@code image.length} draws)
     * @param out at least {@code image.length} long
     * @return the number of active indices
     */
    public int step(float[] image, Rng rng, int[] out) {
        if (out.length < image.length) {
            throw new IllegalArgumentException("out must hold " + image.length + " indices");
        }
        int n = 0;
        for (int i = 0; i < image.length; i++) {
            if (scale * image[i] > rng.nextFloat()) {
                out[n++] = i;
            }
        }
        return n;
    }
}
