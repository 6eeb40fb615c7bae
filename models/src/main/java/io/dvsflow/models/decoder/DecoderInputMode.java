package io.dvsflow.models.decoder;

/**
 * How the last {@code tau_d} readout vectors {@code y_{t - tau_d + 1..t}} (each {@code N_Y} spikes)
 * become the decoder input.
 */
public enum DecoderInputMode {
    /**
     * The window flattened time-major, oldest first: {@code input[s N_Y + i] = y_i,(t - tau_d + 1 +
     * s)}, {@code N_Y tau_d} values (paper 004's VDIB decoding).
     */
    WINDOW,
    /**
     * Rate decoding, the baseline of paper 004 Table 1: {@code input[i] = sum_s y_i,s}, {@code N_Y}
     * values. Its gradient w.r.t. every window entry {@code y_i,s} is {@code dL/dinput[i]}.
     */
    RATE;

    /** Input size for {@code nY} readout neurons and a window of {@code tauD} steps. */
    public int inputSize(int nY, int tauD) {
        return this == WINDOW ? nY * tauD : nY;
    }

    /**
     * Encodes a window given time-major oldest first ({@code window[s * nY + i]}) into {@code out}
     * at {@code offset}.
     */
    public void encode(float[] window, int nY, int tauD, float[] out, int offset) {
        if (this == WINDOW) {
            System.arraycopy(window, 0, out, offset, nY * tauD);
        } else {
            java.util.Arrays.fill(out, offset, offset + nY, 0f);
            for (int s = 0; s < tauD; s++) {
                for (int i = 0; i < nY; i++) {
                    out[offset + i] += window[s * nY + i];
                }
            }
        }
    }

    /**
     * Maps a gradient w.r.t. the encoded input to the gradient w.r.t. each window entry ({@code
     * windowGrad[s * nY + i]}).
     */
    public void windowGradient(float[] inputGrad, int nY, int tauD, float[] windowGrad) {
        if (this == WINDOW) {
            System.arraycopy(inputGrad, 0, windowGrad, 0, nY * tauD);
        } else {
            for (int s = 0; s < tauD; s++) {
                System.arraycopy(inputGrad, 0, windowGrad, s * nY, nY);
            }
        }
    }
}
