package io.dvsflow.models.learning;

import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.LifLayerState;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.neuron.SrmReadoutState;
import java.util.Arrays;

/**
 * What the {@link GradientEstimator#PATHWISE} estimator needs of the last {@code tau_d} encoder
 * steps, so that a streaming encoder can apply the decoder's gradient when the reference image
 * arrives, after the steps were taken ({@link VdibLearner#accumulateDecoderPathwise}).
 *
 * <p>A ring of {@code tau_d} slots; {@link #record} copies, per step: the readout's firing
 * probabilities {@code p_i,t}, its kernel traces {@code (a_k * z_j)_t} (zero outside the readout's
 * window) and feedback traces, and per hidden layer the membrane potentials {@code u_j,t} (for the
 * surrogate derivative) and the input traces {@code P_i,t} (e-prop's eligibility factor). That is
 * all the per-step quantities {@link VdibLearner#accumulatePathwise} reads, so the replayed
 * gradient equals the one an offline run computes while stepping. Slot size {@code 2 N_Y +
 * N_in,readout K + sum_l (N_l + N_in,l)} floats; recording costs one copy of that per step, no
 * allocation.
 *
 * <p>The state travels as one float array ({@link #toFloats}, {@link #fromFloats}): {@code [count,
 * next, slot 0, ..., slot tau_d - 1]}.
 */
public final class PathwiseHistory {

    private final int slots;
    private final int nY;
    private final int roInputs;
    private final int kernels;
    private final int[] layerSizes;
    private final int[] layerInputs;
    private final int slotSize;
    private final float[] data;
    private int count;
    private int next;

    /** An empty history of {@code tauD} steps for {@code encoder}. */
    public PathwiseHistory(SnnEncoder encoder, int tauD) {
        if (tauD < 1) {
            throw new IllegalArgumentException("tauD must be positive, got " + tauD);
        }
        this.slots = tauD;
        this.nY = encoder.outputs();
        this.roInputs = encoder.readout().inputs();
        this.kernels = encoder.readout().kernels();
        int layers = encoder.hiddenLayers();
        layerSizes = new int[layers];
        layerInputs = new int[layers];
        long size = 2L * nY + (long) roInputs * kernels;
        for (int l = 0; l < layers; l++) {
            layerSizes[l] = encoder.hidden(l).size();
            layerInputs[l] = encoder.hidden(l).inputs();
            size += layerSizes[l] + layerInputs[l];
        }
        if (size * tauD > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("history of " + size + " x " + tauD + " floats");
        }
        slotSize = (int) size;
        data = new float[slotSize * tauD];
    }

    /** Ring capacity {@code tau_d}. */
    public int capacity() {
        return slots;
    }

    /** Steps recorded, at most {@link #capacity()}. */
    public int count() {
        return count;
    }

    /** Forgets every step. */
    public void clear() {
        count = 0;
        next = 0;
    }

    /** Records the step {@code s} has just taken (after {@link SnnEncoder#step}). */
    public void record(EncoderState s) {
        int base = next * slotSize;
        SrmReadoutState rs = s.readout();
        System.arraycopy(rs.probabilities(), 0, data, base, nY);
        System.arraycopy(rs.feedbackTraces(), 0, data, base + nY, nY);
        int tr = base + 2 * nY;
        Arrays.fill(data, tr, tr + roInputs * kernels, 0f);
        float[] traces = rs.traces();
        int[] win = rs.window();
        for (int c = 0; c < rs.windowCount(); c++) {
            int j = win[c];
            System.arraycopy(traces, j * kernels, data, tr + j * kernels, kernels);
        }
        int off = tr + roInputs * kernels;
        for (int l = 0; l < layerSizes.length; l++) {
            LifLayerState hs = s.hidden(l);
            System.arraycopy(hs.potentials(), 0, data, off, layerSizes[l]);
            off += layerSizes[l];
            System.arraycopy(hs.inputTraces(), 0, data, off, layerInputs[l]);
            off += layerInputs[l];
        }
        next = (next + 1) % slots;
        count = Math.min(count + 1, slots);
    }

    /**
     * The slot holding the {@code j}-th oldest recorded step ({@code j = 0 .. count - 1}); its
     * window position is {@code tau_d - count + j}.
     */
    int slotOf(int j) {
        return Math.floorMod(next - count + j, slots);
    }

    int offset(int slot) {
        return slot * slotSize;
    }

    float[] data() {
        return data;
    }

    int nY() {
        return nY;
    }

    int kernels() {
        return kernels;
    }

    int readoutInputs() {
        return roInputs;
    }

    int layerSize(int l) {
        return layerSizes[l];
    }

    int layerInputs(int l) {
        return layerInputs[l];
    }

    /** The state as {@code [count, next, slots...]} (for checkpoints). */
    public float[] toFloats(float[] reuse) {
        float[] out =
                reuse != null && reuse.length == data.length + 2
                        ? reuse
                        : new float[data.length + 2];
        out[0] = count;
        out[1] = next;
        System.arraycopy(data, 0, out, 2, data.length);
        return out;
    }

    /**
     * Restores {@link #toFloats} output; an array of another size (another model) or with
     * out-of-range counters leaves the history empty.
     *
     * @return whether the state was restored
     */
    public boolean fromFloats(float[] in) {
        clear();
        if (in == null || in.length != data.length + 2) {
            return false;
        }
        int c = (int) in[0];
        int n = (int) in[1];
        if (c < 0 || c > slots || n < 0 || n >= slots || c != in[0] || n != in[1]) {
            return false;
        }
        System.arraycopy(in, 2, data, 0, data.length);
        count = c;
        next = n;
        return true;
    }
}
