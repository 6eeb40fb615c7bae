package io.dvsflow.models.learning;

import java.util.Arrays;

/**
 * Accumulators filled step by step by {@link VdibLearner#accumulate}: for every trainable tensor of
 * the encoder the log-likelihood gradient {@code g = sum_t d/dtheta log p(y_t | u_t)} (readout:
 * exact, paper 004 eq. 19; hidden: e-prop estimate, eq. 20-22), plus the KL sample sum {@code
 * l_enc} and the number of steps. After {@link VdibLearner#finishSample} the tensors hold the
 * REINFORCE gradient estimate {@code (loss - baseline) * g} instead.
 *
 * <p>Tensor order and layouts follow {@link VdibLearner#parameters}: for each hidden layer its
 * weights (input-major) then biases; then the readout weights {@code [(j K + k) nOut + i]},
 * feedback weights and biases. One accumulator per stream (or per sample of a minibatch); {@link
 * #add} merges data-parallel workers.
 */
public final class EncoderGradients {

    final float[][] tensors;
    double klSum;
    long steps;

    EncoderGradients(int[] sizes) {
        tensors = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            tensors[k] = new float[sizes[k]];
        }
    }

    /** The accumulated tensors (live). */
    public float[][] tensors() {
        return tensors;
    }

    /** The KL sample sum {@code l_enc} accumulated since the last clear, nats. */
    public double klLoss() {
        return klSum;
    }

    /** Steps accumulated since the last clear. */
    public long steps() {
        return steps;
    }

    /** Zeroes everything. */
    public void clear() {
        for (float[] t : tensors) {
            Arrays.fill(t, 0f);
        }
        klSum = 0;
        steps = 0;
    }

    /** Adds {@code o} (same shapes) into this accumulator. */
    public void add(EncoderGradients o) {
        if (o.tensors.length != tensors.length) {
            throw new IllegalArgumentException("shape mismatch");
        }
        for (int k = 0; k < tensors.length; k++) {
            float[] a = tensors[k];
            float[] b = o.tensors[k];
            if (a.length != b.length) {
                throw new IllegalArgumentException("shape mismatch in tensor " + k);
            }
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
        klSum += o.klSum;
        steps += o.steps;
    }

    /** Multiplies every tensor by {@code f} (e.g. 1 / batch size). */
    public void scale(float f) {
        for (float[] t : tensors) {
            for (int i = 0; i < t.length; i++) {
                t[i] *= f;
            }
        }
    }
}
