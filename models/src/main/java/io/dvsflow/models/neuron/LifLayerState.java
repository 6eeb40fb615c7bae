package io.dvsflow.models.neuron;

import java.util.Arrays;

/**
 * The mutable per-stream state of one {@link LifLayer}: for each of the {@code n} neurons the
 * synaptic stage {@code I}, the membrane after reset {@code V'}, the refractory trace {@code R},
 * the last potential {@code U} and the last spikes {@code S} (as a 0/1 byte array and as the list
 * of spiking indices, which is the next layer's active-input list); optionally, for learning, the
 * per-input presynaptic traces {@code Q_i} (synaptic stage) and {@code P_i} (membrane stage) of the
 * same two-stage filter (see {@link LifParameters}). Scratch space for the step lives here too, so
 * a layer can be shared by many states without allocation.
 *
 * <p>Arrays returned by the accessors are live views, valid until the next step; do not modify.
 * {@link #toBytes()} / {@link #fromBytes} give a compact encoding for checkpoints (about {@code 16
 * n + 8 nIn} bytes with input traces).
 */
public final class LifLayerState {

    private static final int MAGIC = 0x4446_4c53; // "SLFD" little-endian: dvsflow LIF state
    private static final byte VERSION = 1;

    final int nIn;
    final int n;
    final float[] syn;
    final float[] mem;
    final float[] ref;
    final float[] pot;
    final byte[] spiked;
    final int[] spikeIdx;
    int spikeCount;
    final float[] inQ;
    final float[] inP;
    long steps;
    final float[] drive;

    /**
     * A zero state (all traces 0, no spikes).
     *
     * @param nIn number of inputs of the layer
     * @param n number of neurons
     * @param inputTraces true to keep the per-input traces needed by e-prop (costs {@code O(nIn)}
     *     per step)
     */
    public LifLayerState(int nIn, int n, boolean inputTraces) {
        if (nIn <= 0 || n <= 0) {
            throw new IllegalArgumentException("sizes must be positive: nIn=" + nIn + " n=" + n);
        }
        this.nIn = nIn;
        this.n = n;
        syn = new float[n];
        mem = new float[n];
        ref = new float[n];
        pot = new float[n];
        spiked = new byte[n];
        spikeIdx = new int[n];
        inQ = inputTraces ? new float[nIn] : null;
        inP = inputTraces ? new float[nIn] : null;
        drive = new float[n];
    }

    /** Number of inputs. */
    public int inputs() {
        return nIn;
    }

    /** Number of neurons. */
    public int size() {
        return n;
    }

    /** Whether per-input traces are kept. */
    public boolean hasInputTraces() {
        return inQ != null;
    }

    /** Steps taken since creation or {@link #reset()}. */
    public long steps() {
        return steps;
    }

    /** Potentials {@code U_t} of the last step (live view). */
    public float[] potentials() {
        return pot;
    }

    /** Membranes {@code V'_t} after reset (live view). */
    public float[] membranes() {
        return mem;
    }

    /** Synaptic stage {@code I_t} (live view). */
    public float[] synaptic() {
        return syn;
    }

    /** Refractory traces {@code R_t} (live view). */
    public float[] refractory() {
        return ref;
    }

    /** 0/1 spikes of the last step (live view). */
    public byte[] spikes() {
        return spiked;
    }

    /**
     * Indices of the neurons that spiked at the last step, ascending; first {@link #spikeCount()}.
     */
    public int[] spikeIndices() {
        return spikeIdx;
    }

    /** Number of neurons that spiked at the last step. */
    public int spikeCount() {
        return spikeCount;
    }

    /** Presynaptic traces {@code P_i,t} (live view), or null without input traces. */
    public float[] inputTraces() {
        return inP;
    }

    /** Synaptic-stage input traces {@code Q_i,t} (live view), or null without input traces. */
    public float[] inputSynapticTraces() {
        return inQ;
    }

    /** Back to the zero state. */
    public void reset() {
        Arrays.fill(syn, 0f);
        Arrays.fill(mem, 0f);
        Arrays.fill(ref, 0f);
        Arrays.fill(pot, 0f);
        Arrays.fill(spiked, (byte) 0);
        spikeCount = 0;
        if (inQ != null) {
            Arrays.fill(inQ, 0f);
            Arrays.fill(inP, 0f);
        }
        steps = 0;
    }

    /** A deep copy. */
    public LifLayerState copy() {
        LifLayerState c = new LifLayerState(nIn, n, inQ != null);
        c.copyFrom(this);
        return c;
    }

    /** Overwrites this state with {@code o} (same sizes and trace option). */
    public void copyFrom(LifLayerState o) {
        if (o.nIn != nIn || o.n != n || (o.inQ == null) != (inQ == null)) {
            throw new IllegalArgumentException("state shapes differ");
        }
        System.arraycopy(o.syn, 0, syn, 0, n);
        System.arraycopy(o.mem, 0, mem, 0, n);
        System.arraycopy(o.ref, 0, ref, 0, n);
        System.arraycopy(o.pot, 0, pot, 0, n);
        System.arraycopy(o.spiked, 0, spiked, 0, n);
        System.arraycopy(o.spikeIdx, 0, spikeIdx, 0, n);
        spikeCount = o.spikeCount;
        if (inQ != null) {
            System.arraycopy(o.inQ, 0, inQ, 0, nIn);
            System.arraycopy(o.inP, 0, inP, 0, nIn);
        }
        steps = o.steps;
    }

    /** Compact encoding: header, sizes, step count, I, V', R, U, spike indices, input traces. */
    public byte[] toBytes() {
        StateCodec.Writer w = new StateCodec.Writer(32 + 16 * n + (inQ != null ? 8 * nIn : 0));
        w.header(MAGIC, VERSION).putInt(nIn).putInt(n).putByte((byte) (inQ != null ? 1 : 0));
        w.putLong(steps).putFloats(syn).putFloats(mem).putFloats(ref).putFloats(pot);
        w.putInts(spikeIdx, spikeCount);
        if (inQ != null) {
            w.putFloats(inQ).putFloats(inP);
        }
        return w.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()} output, checking it against the expected shape.
     *
     * @throws IllegalArgumentException on any mismatch, truncation or trailing bytes
     */
    public static LifLayerState fromBytes(byte[] data, int nIn, int n, boolean inputTraces) {
        StateCodec.Reader r = new StateCodec.Reader(data, "LIF layer");
        r.header(MAGIC, VERSION);
        r.getInt("nIn", nIn, nIn);
        r.getInt("n", n, n);
        byte flag = r.getByte();
        if (flag != (inputTraces ? 1 : 0)) {
            throw r.corrupt("input-trace flag " + flag + ", expected " + (inputTraces ? 1 : 0));
        }
        LifLayerState s = new LifLayerState(nIn, n, inputTraces);
        s.steps = r.getLong();
        r.getFloats("I", s.syn);
        r.getFloats("V", s.mem);
        r.getFloats("R", s.ref);
        r.getFloats("U", s.pot);
        s.spikeCount = r.getIndices("spikes", s.spikeIdx, n);
        int prev = -1;
        for (int k = 0; k < s.spikeCount; k++) {
            int j = s.spikeIdx[k];
            if (j <= prev) {
                throw r.corrupt("spike indices not strictly ascending");
            }
            prev = j;
            s.spiked[j] = 1;
        }
        if (inputTraces) {
            r.getFloats("Q", s.inQ);
            r.getFloats("P", s.inP);
        }
        r.end();
        return s;
    }
}
