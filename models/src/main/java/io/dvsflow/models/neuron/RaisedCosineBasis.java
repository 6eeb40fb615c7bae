package io.dvsflow.models.neuron;

/**
 * Raised-cosine temporal basis kernels of Pillow et al. (Nature 2008), in the discrete form used by
 * the VDIB reference code (kclip/snn {@code raised_cosine_pillow_08}):
 *
 * <pre>
 * a_k[l] = 0.5 + 0.5 cos( clip( pi * mu * ln(l + 1) - k * pi / 2,  -pi, pi ) ),
 *          k = 0..K-1,  l = 0..tauE-1 (lag in steps)
 * </pre>
 *
 * {@code mu} compresses the log time axis (reference: 0.5). Lag 0 weighs the current step. Kernels
 * are returned flat, kernel-major: {@code a[k * tauE + l]}.
 */
public final class RaisedCosineBasis {

    private RaisedCosineBasis() {}

    /**
     * The {@code K x tauE} kernel values, {@code a[k * tauE + l]}.
     *
     * @param k number of kernels, positive
     * @param tauE memory in steps, positive
     * @param mu log-time compression, positive and finite
     */
    public static float[] pillow08(int k, int tauE, float mu) {
        if (k <= 0 || tauE <= 0 || !(mu > 0f) || Float.isInfinite(mu)) {
            throw new IllegalArgumentException(
                    "need K > 0, tauE > 0, mu > 0; got " + k + ", " + tauE + ", " + mu);
        }
        float[] a = new float[k * tauE];
        for (int b = 0; b < k; b++) {
            for (int l = 0; l < tauE; l++) {
                double arg = StrictMath.PI * mu * StrictMath.log(l + 1.0) - b * StrictMath.PI / 2;
                arg = Math.max(-StrictMath.PI, Math.min(StrictMath.PI, arg));
                a[b * tauE + l] = (float) (0.5 + 0.5 * StrictMath.cos(arg));
            }
        }
        return a;
    }
}
