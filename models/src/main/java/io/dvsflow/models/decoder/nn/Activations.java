package io.dvsflow.models.decoder.nn;

/**
 * Element-wise activations and the binary cross-entropy on logits.
 *
 * <p>BCE of a pixel with logit {@code z}, prediction {@code p = sigmoid(z)} and target {@code t in
 * [0, 1]}: {@code -t log p - (1 - t) log(1 - p) = max(z, 0) - z t + log(1 + exp(-|z|))} (the
 * right-hand form is exact and never overflows); its derivative is {@code dBCE/dz = p - t}.
 */
public final class Activations {
    private Activations() {}

    /** {@code x = max(x, 0)} in place over {@code [0, n)}. */
    public static void relu(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (x[i] < 0f) {
                x[i] = 0f;
            }
        }
    }

    /** {@code dy = 0} wherever the ReLU output {@code y} is 0 (in place over {@code [0, n)}). */
    public static void reluBackward(float[] y, float[] dy, int n) {
        for (int i = 0; i < n; i++) {
            if (y[i] <= 0f) {
                dy[i] = 0f;
            }
        }
    }

    /** The logistic function {@code 1 / (1 + exp(-z))}. */
    public static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** BCE of one pixel from its logit {@code z} and target {@code t} (natural log, nats). */
    public static double bceWithLogit(float z, float t) {
        double zz = z;
        return Math.max(zz, 0) - zz * t + Math.log1p(Math.exp(-Math.abs(zz)));
    }
}
