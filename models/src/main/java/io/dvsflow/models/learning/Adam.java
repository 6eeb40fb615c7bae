package io.dvsflow.models.learning;

import io.dvsflow.models.neuron.StateCodec;

/**
 * Adam (Kingma and Ba 2015) over a fixed list of parameter tensors (flat {@code float[]}s):
 *
 * <pre>
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2;   t = t + 1
 * theta -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * Defaults (via {@link #Adam(int[], double)}): b1 = 0.9, b2 = 0.999, eps = 1e-8. The moments and
 * {@code t} are the optimiser's state, serializable with {@link #toBytes()} / {@link
 * #restore(byte[])}.
 */
public final class Adam {

    private static final int MAGIC = 0x4446_4441; // dvsflow Adam
    private static final byte VERSION = 1;

    private final double lr;
    private final double b1;
    private final double b2;
    private final double eps;
    private final float[][] m;
    private final float[][] v;
    private long t;
    private double factor = 1;

    /** Adam with the default betas and epsilon. */
    public Adam(int[] sizes, double lr) {
        this(sizes, lr, 0.9, 0.999, 1e-8);
    }

    /**
     * @param sizes element count of each tensor
     * @param lr learning rate, positive
     * @param b1 first-moment decay in [0, 1)
     * @param b2 second-moment decay in [0, 1)
     * @param eps denominator epsilon, positive
     */
    public Adam(int[] sizes, double lr, double b1, double b2, double eps) {
        if (!(lr > 0) || !(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("invalid Adam hyperparameters");
        }
        this.lr = lr;
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        m = new float[sizes.length][];
        v = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            m[k] = new float[sizes[k]];
            v[k] = new float[sizes[k]];
        }
    }

    /** Steps taken. */
    public long steps() {
        return t;
    }

    /**
     * Scales the learning rate of the next steps: the step size becomes {@code factor x lr} (a
     * schedule's value; not part of {@link #toBytes()}).
     *
     * @param factor in [0, 1]
     */
    public void setLearningRateFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("factor must be in [0, 1], got " + factor);
        }
        this.factor = factor;
    }

    /** One update of every tensor: {@code params[k] -= adam(grads[k])}. */
    public void step(float[][] params, float[][] grads) {
        if (params.length != m.length || grads.length != m.length) {
            throw new IllegalArgumentException("expected " + m.length + " tensors");
        }
        t++;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        double stepSize = factor * lr / c1;
        double sc2 = Math.sqrt(c2);
        for (int k = 0; k < m.length; k++) {
            float[] p = params[k];
            float[] g = grads[k];
            float[] mk = m[k];
            float[] vk = v[k];
            if (p.length != mk.length || g.length != mk.length) {
                throw new IllegalArgumentException("tensor " + k + " size mismatch");
            }
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float mi = (float) (b1 * mk[i] + (1 - b1) * gi);
                float vi = (float) (b2 * vk[i] + (1 - b2) * gi * gi);
                mk[i] = mi;
                vk[i] = vi;
                p[i] -= (float) (stepSize * mi / (Math.sqrt(vi) / sc2 + eps));
            }
        }
    }

    /** Moments and step count, compactly encoded. */
    public byte[] toBytes() {
        StateCodec.Writer w = new StateCodec.Writer(64);
        w.header(MAGIC, VERSION).putInt(m.length).putLong(t);
        for (int k = 0; k < m.length; k++) {
            w.putFloats(m[k]).putFloats(v[k]);
        }
        return w.toByteArray();
    }

    /**
     * Restores {@link #toBytes()} output of an optimiser with the same tensor sizes.
     *
     * @throws IllegalArgumentException on mismatch or corruption (this optimiser is then unchanged)
     */
    public void restore(byte[] data) {
        StateCodec.Reader r = new StateCodec.Reader(data, "Adam");
        r.header(MAGIC, VERSION);
        r.getInt("tensors", m.length, m.length);
        long steps = r.getLong();
        if (steps < 0) {
            throw r.corrupt("negative step count");
        }
        float[][] nm = new float[m.length][];
        float[][] nv = new float[m.length][];
        for (int k = 0; k < m.length; k++) {
            nm[k] = new float[m[k].length];
            nv[k] = new float[v[k].length];
            r.getFloats("m", nm[k]);
            r.getFloats("v", nv[k]);
        }
        r.end();
        for (int k = 0; k < m.length; k++) {
            System.arraycopy(nm[k], 0, m[k], 0, nm[k].length);
            System.arraycopy(nv[k], 0, v[k], 0, nv[k].length);
        }
        t = steps;
    }
}
