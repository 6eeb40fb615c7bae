package io.dvsflow.models.neuron;

import io.dvsflow.models.random.Rng;

/**
 * The spiking encoder of the VDIB hybrid auto-encoder (paper 004): deterministic LIF hidden layers
 * ({@link LifLayer}) followed by the stochastic SRM readout ({@link SrmReadout}). One {@link #step}
 * maps the active inputs of one time bin to the readout spikes of that bin; hidden layer {@code l}
 * receives layer {@code l-1}'s spikes (the inputs for {@code l = 0}) and the readout the last
 * hidden layer's spikes.
 *
 * <p>The encoder holds parameters only; per-stream state is an {@link EncoderState}. Learning
 * ({@code io.dvsflow.models.learning.VdibLearner}) reads the state after each step and updates the
 * parameter arrays in place.
 */
public final class SnnEncoder {

    private final LifLayer[] hidden;
    private final SrmReadout readout;
    private final boolean inputTraces;

    /**
     * @param hidden hidden layers, at least one, each layer's input count equal to the previous
     *     layer's size
     * @param readout readout with as many inputs as the last hidden layer has neurons
     * @param inputTraces whether states keep per-input traces (needed for e-prop learning)
     */
    public SnnEncoder(LifLayer[] hidden, SrmReadout readout, boolean inputTraces) {
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("need at least one hidden layer");
        }
        for (int l = 1; l < hidden.length; l++) {
            if (hidden[l].inputs() != hidden[l - 1].size()) {
                throw new IllegalArgumentException(
                        "hidden layer "
                                + l
                                + " has "
                                + hidden[l].inputs()
                                + " inputs, expected "
                                + hidden[l - 1].size());
            }
        }
        if (readout.inputs() != hidden[hidden.length - 1].size()) {
            throw new IllegalArgumentException(
                    "readout has "
                            + readout.inputs()
                            + " inputs, expected "
                            + hidden[hidden.length - 1].size());
        }
        this.hidden = hidden.clone();
        this.readout = readout;
        this.inputTraces = inputTraces;
    }

    /**
     * A randomly initialised encoder: hidden weights and biases uniform in {@code +-1/sqrt(fan_in)}
     * (PyTorch {@code nn.Linear} default), readout weights uniform in {@code +-1/sqrt(nHidden K)},
     * feedback weights {@code -1} (self-inhibition after a spike), readout biases 0; raised-cosine
     * kernels {@link RaisedCosineBasis#pillow08} ({@code K} feed-forward, one feedback, same {@code
     * mu}).
     *
     * @param nIn input size (e.g. 2 x 26 x 26 = 1352)
     * @param hiddenSizes neurons per hidden layer (e.g. {800})
     * @param nOut readout neurons (e.g. 256)
     * @param params hidden neuron model
     * @param k feed-forward kernels (reference 8)
     * @param tauE kernel memory in steps (reference 10)
     * @param mu kernel log-time compression (reference 0.5)
     * @param inputTraces keep per-input traces (true for training)
     * @param seed initialisation seed
     */
    public static SnnEncoder random(
            int nIn,
            int[] hiddenSizes,
            int nOut,
            LifParameters params,
            int k,
            int tauE,
            float mu,
            boolean inputTraces,
            long seed) {
        Rng rng = new Rng(seed);
        LifLayer[] layers = new LifLayer[hiddenSizes.length];
        int fanIn = nIn;
        for (int l = 0; l < layers.length; l++) {
            int n = hiddenSizes[l];
            float a = (float) (1.0 / Math.sqrt(fanIn));
            layers[l] =
                    new LifLayer(params, fanIn, n, uniform(rng, fanIn * n, a), uniform(rng, n, a));
            fanIn = n;
        }
        float a = (float) (1.0 / Math.sqrt((double) fanIn * k));
        float[] fbw = new float[nOut];
        java.util.Arrays.fill(fbw, -1f);
        SrmReadout ro =
                new SrmReadout(
                        fanIn,
                        nOut,
                        k,
                        tauE,
                        RaisedCosineBasis.pillow08(k, tauE, mu),
                        RaisedCosineBasis.pillow08(1, tauE, mu),
                        uniform(rng, fanIn * k * nOut, a),
                        fbw,
                        new float[nOut]);
        return new SnnEncoder(layers, ro, inputTraces);
    }

    private static float[] uniform(Rng rng, int n, float a) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (2f * rng.nextFloat() - 1f) * a;
        }
        return w;
    }

    /**
     * A copy for inference: the same hidden layers (shared) and a {@link SrmReadout#frozenCopy()}
     * of the readout, which steps with precomputed per-lag weights. Learning rules refuse it.
     */
    public SnnEncoder forInference() {
        return readout.frozen() ? this : new SnnEncoder(hidden, readout.frozenCopy(), inputTraces);
    }

    /** Number of hidden layers. */
    public int hiddenLayers() {
        return hidden.length;
    }

    /** Hidden layer {@code l}. */
    public LifLayer hidden(int l) {
        return hidden[l];
    }

    /** The readout. */
    public SrmReadout readout() {
        return readout;
    }

    /** Input size. */
    public int inputs() {
        return hidden[0].inputs();
    }

    /** Readout size. */
    public int outputs() {
        return readout.size();
    }

    /** Whether states keep per-input traces. */
    public boolean inputTraces() {
        return inputTraces;
    }

    /** A zero state; {@code seed} seeds the readout's generator. */
    public EncoderState newState(long seed) {
        LifLayerState[] h = new LifLayerState[hidden.length];
        for (int l = 0; l < h.length; l++) {
            h[l] = hidden[l].newState(inputTraces);
        }
        return new EncoderState(h, readout.newState(seed));
    }

    /**
     * One time step: inputs {@code active[0..count)} spike. Returns the number of readout spikes;
     * their indices are {@code s.readoutSpikes()[0..count)}.
     */
    public int step(EncoderState s, int[] active, int count) {
        int[] in = active;
        int c = count;
        for (int l = 0; l < hidden.length; l++) {
            LifLayerState hs = s.hidden(l);
            hidden[l].step(hs, in, c);
            in = hs.spikeIdx;
            c = hs.spikeCount;
        }
        return readout.step(s.readout(), in, c);
    }

    /**
     * Recomputes the hidden states' stages after a weight update (see {@link
     * LifLayer#resynchronize}).
     */
    public void resynchronize(EncoderState s) {
        for (int l = 0; l < hidden.length; l++) {
            hidden[l].resynchronize(s.hidden(l));
        }
    }
}
