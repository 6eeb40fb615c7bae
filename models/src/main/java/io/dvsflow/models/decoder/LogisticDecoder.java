package io.dvsflow.models.decoder;

import io.dvsflow.models.decoder.nn.DenseLayer;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The logistic decoder of paper 004: one linear layer and a sigmoid, {@code r_hat = sigmoid(x W +
 * b)}. Parameters {@code linear.weight [in, pixels]}, {@code linear.bias [pixels]}; weights
 * Xavier-uniform from {@code new SplittableRandom(seed)}, biases zero.
 */
public final class LogisticDecoder extends AbstractImageDecoder {
    private final DenseLayer linear;
    private final long seed;

    /** A decoder from {@code inputSize} values to an {@code outW x outH} image. */
    public LogisticDecoder(int inputSize, int outW, int outH, long seed) {
        this(new DenseLayer("linear", inputSize, outW * outH), outW, outH, seed);
        linear.weight().xavierUniform(inputSize, outW * outH, new SplittableRandom(seed));
    }

    private LogisticDecoder(DenseLayer linear, int outW, int outH, long seed) {
        super(linear.in(), outW, outH, linear.parameters());
        this.linear = linear;
        this.seed = seed;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.LOGISTIC_DECODER;
    }

    @Override
    public List<Integer> layerSizes() {
        return List.of(inputSize, outputSize());
    }

    @Override
    public Map<String, String> hyperparameters() {
        return hyperparameters(inputSize, outW, outH, seed);
    }

    /**
     * The architecture options of a logistic decoder (what {@link DecoderSnapshots} reads back),
     * shared by both backends.
     */
    public static Map<String, String> hyperparameters(
            int inputSize, int outW, int outH, long seed) {
        return Map.of(
                "inputSize", Integer.toString(inputSize),
                "outputWidth", Integer.toString(outW),
                "outputHeight", Integer.toString(outH),
                "seed", Long.toString(seed));
    }

    @Override
    void forwardLogits(float[] input, int batch, float[] z) {
        linear.forward(input, batch, z);
    }

    @Override
    void backwardLogits(float[] input, float[] dz, int batch, float[] dx) {
        linear.backward(input, dz, batch, dx);
    }

    @Override
    public LogisticDecoder replica() {
        return new LogisticDecoder(linear.replica(), outW, outH, seed);
    }
}
