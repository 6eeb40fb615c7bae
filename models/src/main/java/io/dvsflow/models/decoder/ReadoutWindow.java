package io.dvsflow.models.decoder;

import java.util.Arrays;

/**
 * The last {@code tau_d} readout spike vectors of one stream, in a ring buffer: {@link #push} one
 * vector per time step, {@link #encode} the window as decoder input. Steps not yet seen (fewer than
 * {@code tau_d} pushes since {@link #clear()}) count as silent (zeros). No allocation after
 * construction.
 */
public final class ReadoutWindow {
    private final int nY;
    private final int tauD;
    private final float[] ring;
    private final float[] ordered;
    private int next;

    /** A silent window of {@code tauD} steps of {@code nY} neurons. */
    public ReadoutWindow(int nY, int tauD) {
        if (nY < 1 || tauD < 1) {
            throw new IllegalArgumentException(
                    "nY and tauD must be positive, were " + nY + ", " + tauD);
        }
        this.nY = nY;
        this.tauD = tauD;
        this.ring = new float[nY * tauD];
        this.ordered = new float[nY * tauD];
    }

    /** Readout neurons per step. */
    public int nY() {
        return nY;
    }

    /** Window length in steps. */
    public int tauD() {
        return tauD;
    }

    /** Appends the readout vector of the newest step ({@code nY} values), dropping the oldest. */
    public void push(float[] y) {
        System.arraycopy(y, 0, ring, next * nY, nY);
        next = (next + 1) % tauD;
    }

    /** Forgets all steps. */
    public void clear() {
        Arrays.fill(ring, 0f);
        next = 0;
    }

    /** Writes the decoder input for {@code mode} into {@code out} at {@code offset}. */
    public void encode(DecoderInputMode mode, float[] out, int offset) {
        int split = next * nY;
        System.arraycopy(ring, split, ordered, 0, ring.length - split);
        System.arraycopy(ring, 0, ordered, ring.length - split, split);
        mode.encode(ordered, nY, tauD, out, offset);
    }
}
