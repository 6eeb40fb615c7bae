package io.dvsflow.models.neuron;

import io.dvsflow.models.random.Rng;
import java.util.Arrays;

/**
 * The mutable per-stream state of one {@link SrmReadout}: the last {@code tauE} steps of input
 * spikes and of the readout's own spikes (as ring buffers of index lists) and the random generator
 * whose state decides the Bernoulli draws. With the weights, these determine every future output: a
 * state restored from {@link #toBytes()} reproduces the same spikes.
 *
 * <p>Also holds the derived values of the last step, valid until the next step (live views): the
 * filtered input traces {@code (a_k * z_j)_t} for the inputs active in the window, the feedback
 * traces {@code (b * y_i)_{t-1}}, the potentials {@code u}, the probabilities {@code p} and the
 * spikes {@code y}. These are recomputed each step from the rings and are not serialized.
 */
public final class SrmReadoutState {

    private static final int MAGIC = 0x4446_5253; // dvsflow SRM readout state
    private static final byte VERSION = 1;

    final int nIn;
    final int nOut;
    final int k;
    final int tauE;
    final int[] inRing;
    final int[] inCount;
    final int[] yRing;
    final int[] yCount;
    int head;
    final Rng rng;
    long steps;

    final float[] traces;
    final int[] mark;
    int stamp;
    final int[] window;
    int windowCount;
    final float[] fbTrace;
    final float[] u;
    final float[] p;
    final byte[] y;
    final int[] spikeIdx;
    int spikeCount;

    /** A zero state (empty history) with the generator seeded by {@code seed}. */
    public SrmReadoutState(int nIn, int nOut, int k, int tauE, long seed) {
        if (nIn <= 0 || nOut <= 0 || k <= 0 || tauE <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.nIn = nIn;
        this.nOut = nOut;
        this.k = k;
        this.tauE = tauE;
        inRing = new int[tauE * nIn];
        inCount = new int[tauE];
        yRing = new int[tauE * nOut];
        yCount = new int[tauE];
        rng = new Rng(seed);
        traces = new float[nIn * k];
        mark = new int[nIn];
        window = new int[nIn];
        fbTrace = new float[nOut];
        u = new float[nOut];
        p = new float[nOut];
        y = new byte[nOut];
        spikeIdx = new int[nOut];
    }

    /** The random generator (its state is part of this state). */
    public Rng rng() {
        return rng;
    }

    /** Steps since creation or reset. */
    public long steps() {
        return steps;
    }

    /** Readout potentials {@code u_i,t} (live view). */
    public float[] potentials() {
        return u;
    }

    /** Firing probabilities {@code p_i,t = sigmoid(u_i,t)} (live view). */
    public float[] probabilities() {
        return p;
    }

    /** 0/1 readout spikes {@code y_i,t} (live view). */
    public byte[] spikes() {
        return y;
    }

    /** Indices of the readout neurons that spiked at the last step, ascending. */
    public int[] spikeIndices() {
        return spikeIdx;
    }

    /** Number of readout spikes at the last step. */
    public int spikeCount() {
        return spikeCount;
    }

    /**
     * Inputs with at least one spike in the last {@code tauE} steps (first {@link #windowCount()});
     * only their traces can be non-zero.
     */
    public int[] window() {
        return window;
    }

    /** Number of entries of {@link #window()}. */
    public int windowCount() {
        return windowCount;
    }

    /** Input traces {@code (a_k * z_j)_t} at {@code [j * K + k]} (live view). */
    public float[] traces() {
        return traces;
    }

    /** Feedback traces {@code (b * y_i)_{t-1}} (live view). */
    public float[] feedbackTraces() {
        return fbTrace;
    }

    /** Empty history, generator set to {@code seed}. */
    public void reset(long seed) {
        Arrays.fill(inCount, 0);
        Arrays.fill(yCount, 0);
        head = 0;
        rng.setState(seed);
        steps = 0;
        Arrays.fill(traces, 0f);
        Arrays.fill(fbTrace, 0f);
        Arrays.fill(u, 0f);
        Arrays.fill(p, 0f);
        Arrays.fill(y, (byte) 0);
        windowCount = 0;
        spikeCount = 0;
    }

    /** A deep copy (including the generator state). */
    public SrmReadoutState copy() {
        SrmReadoutState c = new SrmReadoutState(nIn, nOut, k, tauE, rng.state());
        System.arraycopy(inRing, 0, c.inRing, 0, inRing.length);
        System.arraycopy(inCount, 0, c.inCount, 0, tauE);
        System.arraycopy(yRing, 0, c.yRing, 0, yRing.length);
        System.arraycopy(yCount, 0, c.yCount, 0, tauE);
        c.head = head;
        c.steps = steps;
        System.arraycopy(traces, 0, c.traces, 0, traces.length);
        System.arraycopy(mark, 0, c.mark, 0, nIn);
        c.stamp = stamp;
        System.arraycopy(window, 0, c.window, 0, nIn);
        c.windowCount = windowCount;
        System.arraycopy(fbTrace, 0, c.fbTrace, 0, nOut);
        System.arraycopy(u, 0, c.u, 0, nOut);
        System.arraycopy(p, 0, c.p, 0, nOut);
        System.arraycopy(y, 0, c.y, 0, nOut);
        System.arraycopy(spikeIdx, 0, c.spikeIdx, 0, nOut);
        c.spikeCount = spikeCount;
        return c;
    }

    /** Compact encoding: header, shape, head, step count, generator state, the two rings. */
    public byte[] toBytes() {
        int ins = 0;
        int ys = 0;
        for (int l = 0; l < tauE; l++) {
            ins += inCount[l];
            ys += yCount[l];
        }
        StateCodec.Writer w = new StateCodec.Writer(48 + 8 * tauE + 4 * (ins + ys));
        w.header(MAGIC, VERSION).putInt(nIn).putInt(nOut).putInt(k).putInt(tauE);
        w.putInt(head).putLong(steps).putLong(rng.state());
        int[] tmp = new int[Math.max(nIn, nOut)];
        for (int l = 0; l < tauE; l++) {
            System.arraycopy(inRing, l * nIn, tmp, 0, inCount[l]);
            w.putInts(tmp, inCount[l]);
            System.arraycopy(yRing, l * nOut, tmp, 0, yCount[l]);
            w.putInts(tmp, yCount[l]);
        }
        return w.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()} output for a readout of the given shape.
     *
     * @throws IllegalArgumentException on shape mismatch, truncation, trailing bytes or indices out
     *     of range
     */
    public static SrmReadoutState fromBytes(byte[] data, int nIn, int nOut, int k, int tauE) {
        StateCodec.Reader r = new StateCodec.Reader(data, "SRM readout");
        r.header(MAGIC, VERSION);
        r.getInt("nIn", nIn, nIn);
        r.getInt("nOut", nOut, nOut);
        r.getInt("K", k, k);
        r.getInt("tauE", tauE, tauE);
        int head = r.getInt("head", 0, tauE - 1);
        long steps = r.getLong();
        long rngState = r.getLong();
        SrmReadoutState s = new SrmReadoutState(nIn, nOut, k, tauE, rngState);
        s.head = head;
        s.steps = steps;
        int[] tmp = new int[Math.max(nIn, nOut)];
        for (int l = 0; l < tauE; l++) {
            int c = r.getIndices("input ring", tmp, nIn);
            if (c > nIn) {
                throw r.corrupt("input ring count " + c);
            }
            System.arraycopy(tmp, 0, s.inRing, l * nIn, c);
            s.inCount[l] = c;
            c = r.getIndices("output ring", tmp, nOut);
            if (c > nOut) {
                throw r.corrupt("output ring count " + c);
            }
            System.arraycopy(tmp, 0, s.yRing, l * nOut, c);
            s.yCount[l] = c;
        }
        r.end();
        return s;
    }
}
