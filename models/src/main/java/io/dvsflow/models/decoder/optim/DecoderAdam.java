package io.dvsflow.models.decoder.optim;

import io.dvsflow.models.snapshot.NamedTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) over named tensors, for the ANN decoders and the classifier:
 *
 * <pre>
 * m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2,   t = t + 1
 * theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * Moment state is kept per tensor name and created (zero) on first sight. Defaults: {@code b1 =
 * 0.9}, {@code b2 = 0.999}, {@code eps = 1e-8}. Decoder-local for now; the SNN has its own Adam.
 */
public final class DecoderAdam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, float[][]> moments = new HashMap<>();
    private long t;
    private double factor = 1;

    /** Adam with learning rate {@code lr} and the default betas and epsilon. */
    public DecoderAdam(double lr) {
        this(lr, 0.9, 0.999, 1e-8);
    }

    /** Adam with all hyperparameters given. */
    public DecoderAdam(double lr, double beta1, double beta2, double eps) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException(
                    "need lr > 0, 0 <= betas < 1, eps > 0; got "
                            + lr
                            + ", "
                            + beta1
                            + ", "
                            + beta2
                            + ", "
                            + eps);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /**
     * Scales the learning rate of the next steps: the step size becomes {@code factor x lr} (a
     * schedule's value).
     *
     * @param factor in [0, 1]
     */
    public void setLearningRateFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("factor must be in [0, 1], got " + factor);
        }
        this.factor = factor;
    }

    /**
     * One update of every {@code params[i]} in place from {@code grads[i]} (same names and sizes).
     */
    public void step(List<NamedTensor> params, List<NamedTensor> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(
                    params.size() + " parameters but " + grads.size() + " gradients");
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (factor * lr / c1);
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float e = (float) eps;
        for (int k = 0; k < params.size(); k++) {
            NamedTensor p = params.get(k);
            NamedTensor g = grads.get(k);
            if (!p.name().equals(g.name()) || p.size() != g.size()) {
                throw new IllegalArgumentException(
                        "gradient '" + g.name() + "' does not match parameter '" + p.name() + "'");
            }
            float[][] mv = moments.computeIfAbsent(p.name(), n -> new float[2][p.size()]);
            float[] m = mv[0];
            float[] v = mv[1];
            float[] w = p.data();
            float[] gd = g.data();
            for (int i = 0; i < w.length; i++) {
                float gi = gd[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) * invSqrtC2 + e);
            }
        }
    }
}
