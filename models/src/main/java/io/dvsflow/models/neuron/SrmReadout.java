package io.dvsflow.models.neuron;

import java.util.Arrays;

/**
 * The stochastic readout of the VDIB encoder (paper 004 eq. 15-18): a layer of SRM neurons with
 * {@code K} feed-forward basis kernels {@code a_k} and one feedback kernel {@code b}, each with a
 * memory of {@code tauE} steps, and a sigmoid firing probability:
 *
 * <pre>
 * u_i,t = sum_j sum_k W_ij,k (a_k * z_j)_t + w_i (b * y_i)_{t-1} + bias_i
 * (a_k * z_j)_t = sum_{l=0}^{tauE-1} a_k[l] z_j,t-l        (b * y_i)_{t-1} = sum_{l=0}^{tauE-1} b[l] y_i,t-1-l
 * p_i,t = sigmoid(u_i,t),    y_i,t = 1 if r_i,t < p_i,t   (r_i,t uniform, state's generator)
 * </pre>
 *
 * Draws: one {@link io.dvsflow.models.random.Rng#nextFloat()} per readout neuron per step, in
 * neuron order; the sigmoid uses {@link StrictMath#exp}, so the spikes are the same on every JVM.
 *
 * <p>Cost per step: {@code O(window inputs x K x nOut)}, where the window inputs are the distinct
 * inputs with a spike in the last {@code tauE} steps, plus {@code O(nOut)}; never {@code O(nIn x K
 * x nOut)} unless every input spiked recently.
 *
 * <p><b>Inference copies.</b> {@link #frozenCopy()} returns a read-only copy that precomputes the
 * per-lag weights {@code V[(j * tauE + l) * nOut + i] = sum_k W[(j * K + k) * nOut + i] a_k[l]}, so
 * that the feed-forward drive becomes one row per past input spike:
 *
 * <pre>
 * sum_j sum_k W_ij,k (a_k * z_j)_t = sum_{l=0}^{tauE-1} sum_{j : z_j,t-l = 1} V_jl,i
 * </pre>
 *
 * Cost of the potentials per step: {@code O(spikes in the last tauE steps x nOut)} instead of
 * {@code O(window inputs x K x nOut)} (about 5x fewer operations at the reference sizes, where a
 * hidden neuron that fired in the window fired about twice). The sums run in another order, so the
 * potentials differ from the plain readout's by float rounding (about 1e-6 relative); a frozen copy
 * is deterministic on its own. Its tensors must not be modified (learning rules refuse it). The
 * table holds {@code nIn x tauE x nOut} floats; above {@link #MAX_LAG_TABLE} the copy steps like
 * the plain readout.
 *
 * <p>Layouts (held by reference, updated in place by learning rules): feed-forward kernels {@code
 * a[k * tauE + l]}; feedback kernel {@code b[l]}; weights {@code W[(j * K + k) * nOut + i]}
 * (input-and-kernel-major, so one active trace adds one contiguous row); feedback weights {@code
 * w[i]}; biases {@code bias[i]}.
 */
public final class SrmReadout {

    private final int nIn;
    private final int nOut;
    private final int k;
    private final int tauE;
    private final float[] ffKernels;
    private final float[] fbKernel;
    private final float[] weights;
    private final float[] fbWeights;
    private final float[] bias;
    private final float[] lagWeights;
    private final boolean frozen;

    /** Largest per-lag weight table a frozen copy builds, in floats (256 MB). */
    public static final long MAX_LAG_TABLE = 1L << 26;

    /**
     * @param nIn inputs (presynaptic neurons)
     * @param nOut readout neurons
     * @param k feed-forward kernels
     * @param tauE kernel memory, steps
     * @param ffKernels {@code K * tauE} values, {@code a[k * tauE + l]}
     * @param fbKernel {@code tauE} values
     * @param weights {@code nIn * K * nOut} values, {@code W[(j * K + k) * nOut + i]}
     * @param fbWeights {@code nOut} feedback weights
     * @param bias {@code nOut} biases
     */
    public SrmReadout(
            int nIn,
            int nOut,
            int k,
            int tauE,
            float[] ffKernels,
            float[] fbKernel,
            float[] weights,
            float[] fbWeights,
            float[] bias) {
        if (nIn <= 0 || nOut <= 0 || k <= 0 || tauE <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        check("ffKernels", ffKernels, (long) k * tauE);
        check("fbKernel", fbKernel, tauE);
        check("weights", weights, (long) nIn * k * nOut);
        check("fbWeights", fbWeights, nOut);
        check("bias", bias, nOut);
        this.nIn = nIn;
        this.nOut = nOut;
        this.k = k;
        this.tauE = tauE;
        this.ffKernels = ffKernels;
        this.fbKernel = fbKernel;
        this.weights = weights;
        this.fbWeights = fbWeights;
        this.bias = bias;
        this.lagWeights = null;
        this.frozen = false;
    }

    private SrmReadout(SrmReadout src) {
        this.nIn = src.nIn;
        this.nOut = src.nOut;
        this.k = src.k;
        this.tauE = src.tauE;
        this.ffKernels = src.ffKernels.clone();
        this.fbKernel = src.fbKernel.clone();
        this.weights = src.weights.clone();
        this.fbWeights = src.fbWeights.clone();
        this.bias = src.bias.clone();
        long size = (long) nIn * tauE * nOut;
        this.lagWeights = size <= MAX_LAG_TABLE ? lagTable() : null;
        this.frozen = true;
    }

    /** {@code V[(j * tauE + l) * nOut + i] = sum_b W[(j * K + b) * nOut + i] a_b[l]}. */
    private float[] lagTable() {
        float[] v = new float[nIn * tauE * nOut];
        for (int j = 0; j < nIn; j++) {
            for (int l = 0; l < tauE; l++) {
                int dst = (j * tauE + l) * nOut;
                for (int b = 0; b < k; b++) {
                    float a = ffKernels[b * tauE + l];
                    if (a == 0f) {
                        continue;
                    }
                    int src = (j * k + b) * nOut;
                    for (int i = 0; i < nOut; i++) {
                        v[dst + i] += a * weights[src + i];
                    }
                }
            }
        }
        return v;
    }

    /**
     * A read-only copy for inference that steps with precomputed per-lag weights (see the class
     * comment). Its tensor getters return the copy's arrays, which must not be modified.
     */
    public SrmReadout frozenCopy() {
        return new SrmReadout(this);
    }

    /** Whether this is a {@link #frozenCopy()} (learning rules refuse to update it). */
    public boolean frozen() {
        return frozen;
    }

    private static void check(String name, float[] a, long expected) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(
                    name + " must hold " + expected + " values, got " + (a == null ? 0 : a.length));
        }
    }

    /** Inputs. */
    public int inputs() {
        return nIn;
    }

    /** Readout neurons. */
    public int size() {
        return nOut;
    }

    /** Feed-forward kernels per input. */
    public int kernels() {
        return k;
    }

    /** Kernel memory in steps. */
    public int memory() {
        return tauE;
    }

    /** Feed-forward kernels {@code a[k * tauE + l]} (live). */
    public float[] feedForwardKernels() {
        return ffKernels;
    }

    /** Feedback kernel {@code b[l]} (live). */
    public float[] feedbackKernel() {
        return fbKernel;
    }

    /** Weights {@code W[(j * K + k) * nOut + i]} (live). */
    public float[] weights() {
        return weights;
    }

    /** Feedback weights (live). */
    public float[] feedbackWeights() {
        return fbWeights;
    }

    /** Biases (live). */
    public float[] bias() {
        return bias;
    }

    /** A zero state with its generator seeded by {@code seed}. */
    public SrmReadoutState newState(long seed) {
        return new SrmReadoutState(nIn, nOut, k, tauE, seed);
    }

    /**
     * Advances {@code s} by one step: input {@code j} spikes iff it is in {@code active[0..count)}
     * (distinct indices; a repeated index counts twice). Then {@code s.spikeIndices()[0..
     * s.spikeCount())} lists the readout spikes.
     *
     * @return the number of readout spikes
     * @throws IllegalArgumentException on a state of another shape, {@code count > nIn} or an index
     *     out of range
     */
    public int step(SrmReadoutState s, int[] active, int count) {
        if (s.nIn != nIn || s.nOut != nOut || s.k != k || s.tauE != tauE) {
            throw new IllegalArgumentException("state is for another readout shape");
        }
        if (count < 0 || count > nIn || count > active.length) {
            throw new IllegalArgumentException("count " + count + " outside [0, " + nIn + "]");
        }
        for (int a = 0; a < count; a++) {
            int j = active[a];
            if (j < 0 || j >= nIn) {
                throw new IllegalArgumentException(
                        "input index " + j + " outside [0, " + nIn + ")");
            }
        }
        final int kk = k;
        final int te = tauE;
        final float[] tr = s.traces;
        // 1. clear the traces of every input still in the ring (they are recomputed below)
        for (int l = 0; l < te; l++) {
            int base = l * nIn;
            for (int c = 0; c < s.inCount[l]; c++) {
                int off = s.inRing[base + c] * kk;
                for (int b = 0; b < kk; b++) {
                    tr[off + b] = 0f;
                }
            }
        }
        // 2. the feedback trace uses y_{t-1..t-tauE}: the ring before it is overwritten
        final float[] fb = s.fbTrace;
        Arrays.fill(fb, 0f);
        for (int l = 0; l < te; l++) {
            int slot = Math.floorMod(s.head - l, te); // head holds y_{t-1}
            float bl = fbKernel[l];
            int base = slot * nOut;
            for (int c = 0; c < s.yCount[slot]; c++) {
                fb[s.yRing[base + c]] += bl;
            }
        }
        // 3. push z_t into the ring (drops z_{t-tauE})
        int head = (s.head + 1) % te;
        s.head = head;
        System.arraycopy(active, 0, s.inRing, head * nIn, count);
        s.inCount[head] = count;
        // 4. traces and the distinct window list
        if (++s.stamp == Integer.MAX_VALUE) {
            Arrays.fill(s.mark, 0);
            s.stamp = 1;
        }
        final int stamp = s.stamp;
        int wc = 0;
        for (int l = 0; l < te; l++) {
            int slot = Math.floorMod(head - l, te);
            int base = slot * nIn;
            for (int c = 0; c < s.inCount[slot]; c++) {
                int j = s.inRing[base + c];
                if (s.mark[j] != stamp) {
                    s.mark[j] = stamp;
                    s.window[wc++] = j;
                }
                int off = j * kk;
                for (int b = 0; b < kk; b++) {
                    tr[off + b] += ffKernels[b * te + l];
                }
            }
        }
        s.windowCount = wc;
        // 5. potentials
        final float[] u = s.u;
        final int no = nOut;
        final float[] w = weights;
        for (int i = 0; i < no; i++) {
            u[i] = bias[i] + fbWeights[i] * fb[i];
        }
        final float[] v = lagWeights;
        if (v != null) {
            for (int l = 0; l < te; l++) {
                int slot = Math.floorMod(head - l, te);
                int base = slot * nIn;
                for (int c = 0; c < s.inCount[slot]; c++) {
                    int off = (s.inRing[base + c] * te + l) * no;
                    for (int i = 0; i < no; i++) {
                        u[i] += v[off + i];
                    }
                }
            }
        }
        for (int c = 0; v == null && c < wc; c++) {
            int j = s.window[c];
            for (int b = 0; b < kk; b++) {
                float t = tr[j * kk + b];
                if (t == 0f) {
                    continue;
                }
                int off = (j * kk + b) * no;
                for (int i = 0; i < no; i++) {
                    u[i] += w[off + i] * t;
                }
            }
        }
        // 6. probabilities and draws; y_t goes into the output ring at head
        final float[] p = s.p;
        final byte[] y = s.y;
        int base = head * no;
        int n = 0;
        for (int i = 0; i < no; i++) {
            float pi = (float) (1.0 / (1.0 + StrictMath.exp(-(double) u[i])));
            p[i] = pi;
            boolean fire = s.rng.nextFloat() < pi;
            y[i] = (byte) (fire ? 1 : 0);
            if (fire) {
                s.spikeIdx[n] = i;
                s.yRing[base + n] = i;
                n++;
            }
        }
        s.yCount[head] = n;
        s.spikeCount = n;
        s.steps++;
        return n;
    }
}
