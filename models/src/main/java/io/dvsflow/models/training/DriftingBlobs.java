package io.dvsflow.models.training;

import io.dvsflow.models.random.Rng;

/**
 * The exogenous signal of the predictive-coding experiment of paper 004 (section 6.1, after Chalk,
 * Marre and Tkačik 2018): {@value #INPUTS} spiking inputs carrying two independent "drifting
 * Gaussian blobs". For each blob:
 *
 * <pre>
 * v_t     = a v_{t-1} - b eps_t,        eps_t ~ N(0, 1)         (a = 0.9, b = 0.14)
 * theta_t = theta_{t-1} + v_t                                   (AR(2) in theta, units: inputs)
 * p_t     = floor(theta_t + sigma xi_t) mod 20,  xi_t ~ N(0, 1) (sigma = 0.45; wrapped Gaussian)
 * </pre>
 *
 * with {@code theta_0} uniform in [0, 20) and {@code v_0 = 0}; at step {@code t} input {@code p_t}
 * of each blob spikes (one input when both blobs share it). The reference at lag {@code delta} is
 * the two-hot vector of both blobs' positions at {@code t + delta} ({@code delta > 0}: predict the
 * future, {@code delta < 0}: recall the past). Every draw comes from one seeded {@link Rng}: the
 * same seed gives the same sequences.
 *
 * <p>Samples for the trainer ({@link #sample}) cover {@code steps} bins of one sequence and target
 * the reference at the last bin plus the lag, so the model decodes online from its last {@code
 * tau_d} readout vectors, as the paper's softmax regressor does at every step. Input index of input
 * {@code i}: {@code 20 + i} (the ON plane of a 2 x 1 x 20 DVS input, {@link
 * VdibModel.InputSettings#dvs}); the target is a 20 x 1 image.
 */
public final class DriftingBlobs {

    /** Number of exogenous inputs (and reference positions). */
    public static final int INPUTS = 20;

    /** AR coefficient a. */
    public static final double A = 0.9;

    /** Noise gain b. */
    public static final double B = 0.14;

    /** Spread of a blob around its centre, inputs. */
    public static final double SIGMA = 0.45;

    /** Number of blobs. */
    public static final int BLOBS = 2;

    private final Rng rng;

    /** A generator seeded by {@code seed}. */
    public DriftingBlobs(long seed) {
        this.rng = new Rng(seed);
    }

    /** Position of input {@code x}, wrapped into [0, 20). */
    static int wrap(double x) {
        int p = (int) Math.floor(x) % INPUTS;
        return p < 0 ? p + INPUTS : p;
    }

    /**
     * The next sequence: {@code positions[t][k]} is blob {@code k}'s input at step {@code t}.
     *
     * @param length steps
     */
    public int[][] sequence(int length) {
        int[][] pos = new int[length][BLOBS];
        for (int k = 0; k < BLOBS; k++) {
            double theta = rng.nextDouble() * INPUTS;
            double v = 0;
            for (int t = 0; t < length; t++) {
                v = A * v - B * rng.nextGaussian();
                theta += v;
                pos[t][k] = wrap(theta + SIGMA * rng.nextGaussian());
            }
        }
        return pos;
    }

    /**
     * A training or test sample: bins {@code 0 .. steps - 1} of {@code positions} as input, the
     * reference of step {@code steps - 1 + lag} as target.
     *
     * @throws IllegalArgumentException if the sequence does not cover the target step
     */
    public static VdibSample sample(int[][] positions, int steps, int lag) {
        int target = steps - 1 + lag;
        if (steps < 1 || steps > positions.length || target < 0 || target >= positions.length) {
            throw new IllegalArgumentException(
                    "a sequence of "
                            + positions.length
                            + " steps does not cover "
                            + steps
                            + " input steps and lag "
                            + lag);
        }
        int[] offsets = new int[steps + 1];
        int[] indices = new int[steps * BLOBS];
        int n = 0;
        for (int t = 0; t < steps; t++) {
            offsets[t] = n;
            int a = positions[t][0];
            int b = positions[t][1];
            indices[n++] = INPUTS + Math.min(a, b);
            if (a != b) {
                indices[n++] = INPUTS + Math.max(a, b);
            }
        }
        offsets[steps] = n;
        return VdibSample.ofBins(
                offsets, java.util.Arrays.copyOf(indices, n), reference(positions[target]), -1);
    }

    /** The two-hot reference of one step's positions. */
    public static float[] reference(int[] positions) {
        float[] r = new float[INPUTS];
        for (int p : positions) {
            r[p] = 1f;
        }
        return r;
    }

    /**
     * Accuracy of one decoded reference: the fraction of the target's positions (1 or 2) found
     * among the decoder's {@code |target|} largest outputs (top-2 for two distinct positions).
     * Chance level: 2 / 20 = 10 %.
     */
    public static double accuracy(float[] decoded, float[] target) {
        int k = 0;
        for (float v : target) {
            if (v > 0.5f) {
                k++;
            }
        }
        if (k == 0) {
            return 0;
        }
        int hit = 0;
        boolean[] taken = new boolean[decoded.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < decoded.length; i++) {
                if (!taken[i] && (best < 0 || decoded[i] > decoded[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            if (target[best] > 0.5f) {
                hit++;
            }
        }
        return (double) hit / k;
    }
}
