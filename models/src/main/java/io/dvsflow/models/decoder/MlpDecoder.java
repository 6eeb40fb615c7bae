package io.dvsflow.models.decoder;

import io.dvsflow.models.decoder.nn.Activations;
import io.dvsflow.models.decoder.nn.DenseLayer;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The MLP decoder of paper 004 with a fixed hidden width: {@code h = relu(x W1 + b1)}, {@code r_hat
 * = sigmoid(h W2 + b2)}. Parameters {@code hidden.weight [in, H]}, {@code hidden.bias [H]}, {@code
 * output.weight [H, pixels]}, {@code output.bias [pixels]}. Initialisation from {@code new
 * SplittableRandom(seed)}: He-uniform for the hidden layer (ReLU follows), then Xavier-uniform for
 * the output layer (sigmoid follows); biases zero. The reference code's width {@code N_Y tau_d / 2}
 * is not used (it needs 1.3 billion weights at {@code tau_d = 200}); {@link #DEFAULT_HIDDEN} = 512.
 */
public final class MlpDecoder extends AbstractImageDecoder {
    /** Default hidden width. */
    public static final int DEFAULT_HIDDEN = 512;

    private final DenseLayer hidden;
    private final DenseLayer output;
    private final long seed;
    private float[] h = new float[0];
    private float[] dh = new float[0];

    /** A decoder with {@link #DEFAULT_HIDDEN} hidden units. */
    public MlpDecoder(int inputSize, int outW, int outH, long seed) {
        this(inputSize, DEFAULT_HIDDEN, outW, outH, seed);
    }

    /** A decoder with {@code hiddenWidth} hidden ReLU units. */
    public MlpDecoder(int inputSize, int hiddenWidth, int outW, int outH, long seed) {
        this(
                new DenseLayer("hidden", inputSize, hiddenWidth),
                new DenseLayer("output", hiddenWidth, outW * outH),
                outW,
                outH,
                seed);
        SplittableRandom random = new SplittableRandom(seed);
        hidden.weight().heUniform(inputSize, random);
        output.weight().xavierUniform(hiddenWidth, outW * outH, random);
    }

    private MlpDecoder(DenseLayer hidden, DenseLayer output, int outW, int outH, long seed) {
        super(hidden.in(), outW, outH, concat(hidden, output));
        this.hidden = hidden;
        this.output = output;
        this.seed = seed;
    }

    static List<io.dvsflow.models.decoder.nn.Parameter> concat(DenseLayer a, DenseLayer b) {
        List<io.dvsflow.models.decoder.nn.Parameter> out = new ArrayList<>(a.parameters());
        out.addAll(b.parameters());
        return out;
    }

    /** Hidden width. */
    public int hiddenWidth() {
        return hidden.out();
    }

    @Override
    public ModelKind kind() {
        return ModelKind.MLP_DECODER;
    }

    @Override
    public List<Integer> layerSizes() {
        return List.of(inputSize, hidden.out(), outputSize());
    }

    @Override
    public Map<String, String> hyperparameters() {
        return hyperparameters(inputSize, hidden.out(), outW, outH, seed);
    }

    /**
     * The architecture options of an MLP decoder (what {@link DecoderSnapshots} reads back), shared
     * by both backends.
     */
    public static Map<String, String> hyperparameters(
            int inputSize, int hiddenWidth, int outW, int outH, long seed) {
        return Map.of(
                "inputSize", Integer.toString(inputSize),
                "hidden", Integer.toString(hiddenWidth),
                "outputWidth", Integer.toString(outW),
                "outputHeight", Integer.toString(outH),
                "seed", Long.toString(seed));
    }

    @Override
    void forwardLogits(float[] input, int batch, float[] z) {
        int n = batch * hidden.out();
        if (h.length < n) {
            h = new float[n];
            dh = new float[n];
        }
        hidden.forward(input, batch, h);
        Activations.relu(h, n);
        output.forward(h, batch, z);
    }

    @Override
    void backwardLogits(float[] input, float[] dz, int batch, float[] dx) {
        output.backward(h, dz, batch, dh);
        Activations.reluBackward(h, dh, batch * hidden.out());
        hidden.backward(input, dh, batch, dx);
    }

    @Override
    public MlpDecoder replica() {
        return new MlpDecoder(hidden.replica(), output.replica(), outW, outH, seed);
    }
}
