package io.dvsflow.models.learning;

/**
 * The terms of the VDIB criterion (paper 004 eq. 8-10), all in nats:
 *
 * <pre>
 * loss  = l_dec(y, r) + beta * l_enc(y, x)
 * l_dec = -log q(r | y window) = -sum_pixels [ r log r_hat + (1 - r) log(1 - r_hat) ]      (BCE)
 * l_enc = sum_t sum_i [ y log(p / q) + (1 - y) log((1 - p) / (1 - q)) ]    (KL sample vs Bernoulli(q))
 * </pre>
 *
 * The expectation of one KL sample term over {@code y ~ Bernoulli(p)} is the closed form {@code
 * KL(Bern(p) || Bern(q)) = p log(p/q) + (1-p) log((1-p)/(1-q))} ({@link #klBernoulli}).
 * Probabilities are clamped to {@code [EPS, 1 - EPS]} before logarithms.
 */
public final class VdibLoss {

    /** Clamp for probabilities inside logarithms. */
    public static final double EPS = 1e-7;

    private VdibLoss() {}

    private static double clamp(double p) {
        return Math.min(1 - EPS, Math.max(EPS, p));
    }

    /** One KL sample term {@code y log(p/q) + (1-y) log((1-p)/(1-q))}. */
    public static double klSample(boolean y, double p, double q) {
        double pc = clamp(p);
        double qc = clamp(q);
        return y ? Math.log(pc / qc) : Math.log((1 - pc) / (1 - qc));
    }

    /** Closed form {@code KL(Bern(p) || Bern(q))}. */
    public static double klBernoulli(double p, double q) {
        double pc = clamp(p);
        double qc = clamp(q);
        return pc * Math.log(pc / qc) + (1 - pc) * Math.log((1 - pc) / (1 - qc));
    }

    /** Sum of {@link #klSample} over one step's readout neurons. */
    public static double klStep(byte[] y, float[] p, double q, int n) {
        double qc = clamp(q);
        double lq = Math.log(qc);
        double l1q = Math.log(1 - qc);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double pc = clamp(p[i]);
            sum += y[i] != 0 ? Math.log(pc) - lq : Math.log(1 - pc) - l1q;
        }
        return sum;
    }

    /** Binary cross-entropy summed over pixels: {@code -sum [r log r_hat + (1-r) log(1-r_hat)]}. */
    public static double bce(float[] target, float[] predicted) {
        if (target.length != predicted.length) {
            throw new IllegalArgumentException("length mismatch");
        }
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            double ph = clamp(predicted[i]);
            sum -= target[i] * Math.log(ph) + (1 - target[i]) * Math.log(1 - ph);
        }
        return sum;
    }
}
