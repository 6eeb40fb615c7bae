package io.dvsflow.models.neuron;

import java.util.Arrays;

/**
 * A fully connected layer of LIF neurons ({@link LifParameters} gives the step equation) driven by
 * binary input spikes, stepped event by event: the cost of {@link #step} is {@code O(active inputs
 * x n + n)} (plus {@code O(nIn)} when the state keeps input traces for learning), never {@code
 * O(nIn x n)}.
 *
 * <p>Weights: {@code float[nIn * n]}, input-major (row-major {@code [nIn][n]}): {@code W_ji} (input
 * {@code i} to neuron {@code j}) is at {@code weights[i * n + j]}, so one active input adds one
 * contiguous row. Bias: {@code float[n]}. The arrays are held by reference (learning rules update
 * them in place); the layer itself holds no per-stream state and may be shared by many {@link
 * LifLayerState}s on one thread at a time.
 */
public final class LifLayer {

    private final LifParameters params;
    private final int nIn;
    private final int n;
    private final float[] weights;
    private final float[] bias;

    /**
     * @param params neuron model
     * @param nIn number of inputs, positive
     * @param n number of neurons, positive
     * @param weights {@code nIn * n} weights, input-major (held by reference)
     * @param bias {@code n} biases (held by reference)
     */
    public LifLayer(LifParameters params, int nIn, int n, float[] weights, float[] bias) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        if (nIn <= 0 || n <= 0) {
            throw new IllegalArgumentException("sizes must be positive: nIn=" + nIn + " n=" + n);
        }
        if (weights.length != (long) nIn * n || bias.length != n) {
            throw new IllegalArgumentException(
                    "weights must hold nIn*n = "
                            + (long) nIn * n
                            + " and bias n = "
                            + n
                            + " values, got "
                            + weights.length
                            + " and "
                            + bias.length);
        }
        this.params = params;
        this.nIn = nIn;
        this.n = n;
        this.weights = weights;
        this.bias = bias;
    }

    /** The neuron model. */
    public LifParameters parameters() {
        return params;
    }

    /** Number of inputs. */
    public int inputs() {
        return nIn;
    }

    /** Number of neurons. */
    public int size() {
        return n;
    }

    /** The weights, input-major {@code [nIn][n]} (live). */
    public float[] weights() {
        return weights;
    }

    /** The biases (live). */
    public float[] bias() {
        return bias;
    }

    /** A zero state for this layer. */
    public LifLayerState newState(boolean inputTraces) {
        return new LifLayerState(nIn, n, inputTraces);
    }

    /**
     * Advances {@code s} by one step with binary inputs: input {@code i} spikes at this step iff it
     * is among {@code active[0..count)} (an index listed twice counts twice). Afterwards {@code
     * s.spikeIndices()[0..s.spikeCount())} lists the neurons that spiked, ascending.
     *
     * @return the number of spiking neurons
     * @throws IllegalArgumentException if the state does not fit, {@code count} is out of range or
     *     an index is outside {@code [0, nIn)}
     */
    public int step(LifLayerState s, int[] active, int count) {
        if (s.n != n || s.nIn != nIn) {
            throw new IllegalArgumentException("state is for another layer shape");
        }
        if (count < 0 || count > active.length) {
            throw new IllegalArgumentException(
                    "count " + count + " outside [0, " + active.length + "]");
        }
        final float[] drive = s.drive;
        final float[] w = weights;
        final int nn = n;
        Arrays.fill(drive, 0f);
        for (int a = 0; a < count; a++) {
            int i = active[a];
            if (i < 0 || i >= nIn) {
                throw new IllegalArgumentException(
                        "input index " + i + " outside [0, " + nIn + ")");
            }
            int off = i * nn;
            for (int j = 0; j < nn; j++) {
                drive[j] += w[off + j];
            }
        }
        if (s.inQ != null) {
            updateInputTraces(s, active, count);
        }
        integrate(s);
        s.steps++;
        return s.spikeCount;
    }

    private void updateInputTraces(LifLayerState s, int[] active, int count) {
        final LifParameters p = params;
        final float sd = p.synDecay();
        final float sg = p.synGain();
        final float md = p.memDecay();
        final float mg = p.memGain();
        final float[] q = s.inQ;
        final float[] pp = s.inP;
        if (p.currentDelay()) {
            for (int i = 0; i < nIn; i++) {
                pp[i] = md * pp[i] + mg * q[i];
                q[i] = sd * q[i];
            }
            for (int a = 0; a < count; a++) {
                q[active[a]] += sg;
            }
        } else {
            for (int i = 0; i < nIn; i++) {
                q[i] = sd * q[i];
            }
            for (int a = 0; a < count; a++) {
                q[active[a]] += sg;
            }
            for (int i = 0; i < nIn; i++) {
                pp[i] = md * pp[i] + mg * q[i];
            }
        }
    }

    private void integrate(LifLayerState s) {
        final LifParameters p = params;
        final float sd = p.synDecay();
        final float sg = p.synGain();
        final float md = p.memDecay();
        final float mg = p.memGain();
        final float rd = p.refDecay();
        final float rg = p.refGain();
        final float thr = p.threshold();
        final float lb = p.lowerBound();
        final boolean delay = p.currentDelay();
        final boolean onEqual = p.fireOnEqual();
        final Reset reset = p.reset();
        final boolean subNext = reset == Reset.SUBTRACT_NEXT_STEP;
        final boolean toZero = reset == Reset.ZERO;
        final boolean subtract = reset == Reset.SUBTRACT;
        final float[] syn = s.syn;
        final float[] mem = s.mem;
        final float[] ref = s.ref;
        final float[] pot = s.pot;
        final byte[] spiked = s.spiked;
        final int[] idx = s.spikeIdx;
        final float[] drive = s.drive;
        int k = 0;
        for (int j = 0; j < n; j++) {
            float iPrev = syn[j];
            float iNew = sd * iPrev + sg * drive[j];
            float sPrev = spiked[j];
            float v = md * mem[j] + mg * (delay ? iPrev : iNew);
            if (subNext) {
                v -= sPrev * thr;
            }
            float r = rd * ref[j] - rg * sPrev;
            float u = v + bias[j] + r;
            boolean fire = onEqual ? u >= thr : u > thr;
            if (fire) {
                if (toZero) {
                    v = 0f;
                } else if (subtract) {
                    v -= thr;
                }
                idx[k++] = j;
            }
            if (v < lb) {
                v = lb;
            }
            syn[j] = iNew;
            mem[j] = v;
            ref[j] = r;
            pot[j] = u;
            spiked[j] = (byte) (fire ? 1 : 0);
        }
        s.spikeCount = k;
    }

    /**
     * Recomputes the per-neuron stages from the input traces after the weights changed: {@code I_j
     * = sum_i W_ji Q_i} and, for {@link Reset#NONE} without a lower bound, {@code V_j = sum_i W_ji
     * P_i}. Cost {@code O(nIn x n)}. Without it, a stream keeps integrating with the old weights'
     * contribution until that decays (a few time constants).
     *
     * @throws IllegalStateException if the state keeps no input traces
     */
    public void resynchronize(LifLayerState s) {
        if (s.inQ == null) {
            throw new IllegalStateException("resynchronize needs a state with input traces");
        }
        boolean linearV =
                params.reset() == Reset.NONE && params.lowerBound() == Float.NEGATIVE_INFINITY;
        Arrays.fill(s.syn, 0f);
        if (linearV) {
            Arrays.fill(s.mem, 0f);
        }
        for (int i = 0; i < nIn; i++) {
            float q = s.inQ[i];
            float pi = s.inP[i];
            if (q == 0f && pi == 0f) {
                continue;
            }
            int off = i * n;
            for (int j = 0; j < n; j++) {
                s.syn[j] += weights[off + j] * q;
            }
            if (linearV) {
                for (int j = 0; j < n; j++) {
                    s.mem[j] += weights[off + j] * pi;
                }
            }
        }
    }
}
