package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LogisticDecoder} on ND4J: {@code r_hat = sigmoid(x W + b)} with one gemm forward and two
 * backward ({@code dW = x^T dz}, {@code dx = dz W^T}). Parameters {@code linear.weight [in,
 * pixels]}, {@code linear.bias [pixels]}, Xavier-uniform from {@code new SplittableRandom(seed)},
 * exactly as the Java decoder, so both give the same initial weights for a seed and share
 * snapshots.
 */
public final class Nd4jLogisticDecoder extends AbstractNd4jDecoder {
    private final Parameter weight;
    private final Parameter bias;
    private final long seed;
    private INDArray dx;

    /** A decoder from {@code inputSize} values to an {@code outW x outH} image. */
    public Nd4jLogisticDecoder(int inputSize, int outW, int outH, long seed) {
        this(
                new Parameter("linear.weight", inputSize, outW * outH),
                new Parameter("linear.bias", outW * outH),
                inputSize,
                outW,
                outH,
                seed,
                null);
        weight.xavierUniform(inputSize, outW * outH, new SplittableRandom(seed));
    }

    private Nd4jLogisticDecoder(
            Parameter weight,
            Parameter bias,
            int inputSize,
            int outW,
            int outH,
            long seed,
            ParameterMirror mirror) {
        super(inputSize, outW, outH, List.of(weight, bias), mirror);
        this.weight = weight;
        this.bias = bias;
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
        return withBackend(LogisticDecoder.hyperparameters(inputSize, outW, outH, seed));
    }

    @Override
    void allocate(int batch) {
        dx = Nd4j.create(DataType.FLOAT, new long[] {batch, inputSize}, 'c');
    }

    @Override
    void forwardLogits(INDArray[] w, INDArray x, INDArray z) {
        denseForward(x, w[0], w[1], z);
    }

    @Override
    INDArray backwardLogits(
            INDArray[] w, INDArray x, INDArray dz, INDArray[] grads, boolean needDx) {
        denseBackward(x, w[0], dz, grads[0], grads[1], needDx ? dx : null);
        return needDx ? dx : null;
    }

    @Override
    public Nd4jLogisticDecoder replica() {
        return new Nd4jLogisticDecoder(
                weight.replica(), bias.replica(), inputSize, outW, outH, seed, mirror());
    }
}
