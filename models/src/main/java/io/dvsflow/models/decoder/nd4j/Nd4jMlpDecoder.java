package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.decoder.MlpDecoder;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link MlpDecoder} on ND4J: {@code h = relu(x W1 + b1)}, {@code r_hat = sigmoid(h W2 + b2)}, each
 * layer one gemm forward and two backward ({@code dW = a^T d}, {@code da = d W^T}), the ReLU
 * backward {@code dh = dh * [h > 0]}. Parameters {@code hidden.weight [in, H]}, {@code hidden.bias
 * [H]}, {@code output.weight [H, pixels]}, {@code output.bias [pixels]}; He-uniform then
 * Xavier-uniform from one {@code new SplittableRandom(seed)}, biases zero, exactly as the Java
 * decoder.
 */
public final class Nd4jMlpDecoder extends AbstractNd4jDecoder {
    private final int hiddenWidth;
    private final long seed;
    private final List<Parameter> params;
    private INDArray h;
    private INDArray dh;
    private INDArray dx;

    /** A decoder with {@link MlpDecoder#DEFAULT_HIDDEN} hidden units. */
    public Nd4jMlpDecoder(int inputSize, int outW, int outH, long seed) {
        this(inputSize, MlpDecoder.DEFAULT_HIDDEN, outW, outH, seed);
    }

    /** A decoder with {@code hiddenWidth} hidden ReLU units. */
    public Nd4jMlpDecoder(int inputSize, int hiddenWidth, int outW, int outH, long seed) {
        this(
                List.of(
                        new Parameter("hidden.weight", inputSize, hiddenWidth),
                        new Parameter("hidden.bias", hiddenWidth),
                        new Parameter("output.weight", hiddenWidth, outW * outH),
                        new Parameter("output.bias", outW * outH)),
                inputSize,
                hiddenWidth,
                outW,
                outH,
                seed,
                null);
        SplittableRandom random = new SplittableRandom(seed);
        params.get(0).heUniform(inputSize, random);
        params.get(2).xavierUniform(hiddenWidth, outW * outH, random);
    }

    private Nd4jMlpDecoder(
            List<Parameter> params,
            int inputSize,
            int hiddenWidth,
            int outW,
            int outH,
            long seed,
            ParameterMirror mirror) {
        super(inputSize, outW, outH, params, mirror);
        this.params = params;
        this.hiddenWidth = hiddenWidth;
        this.seed = seed;
    }

    /** Hidden width. */
    public int hiddenWidth() {
        return hiddenWidth;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.MLP_DECODER;
    }

    @Override
    public List<Integer> layerSizes() {
        return List.of(inputSize, hiddenWidth, outputSize());
    }

    @Override
    public Map<String, String> hyperparameters() {
        return withBackend(MlpDecoder.hyperparameters(inputSize, hiddenWidth, outW, outH, seed));
    }

    @Override
    void allocate(int batch) {
        h = Nd4j.create(DataType.FLOAT, new long[] {batch, hiddenWidth}, 'c');
        dh = Nd4j.create(DataType.FLOAT, new long[] {batch, hiddenWidth}, 'c');
        dx = Nd4j.create(DataType.FLOAT, new long[] {batch, inputSize}, 'c');
    }

    @Override
    void forwardLogits(INDArray[] w, INDArray x, INDArray z) {
        denseForward(x, w[0], w[1], h);
        Transforms.relu(h, false);
        denseForward(h, w[2], w[3], z);
    }

    @Override
    INDArray backwardLogits(
            INDArray[] w, INDArray x, INDArray dz, INDArray[] grads, boolean needDx) {
        denseBackward(h, w[2], dz, grads[2], grads[3], dh);
        reluBackward(h, dh);
        denseBackward(x, w[0], dh, grads[0], grads[1], needDx ? dx : null);
        return needDx ? dx : null;
    }

    @Override
    public Nd4jMlpDecoder replica() {
        List<Parameter> r = params.stream().map(Parameter::replica).toList();
        return new Nd4jMlpDecoder(r, inputSize, hiddenWidth, outW, outH, seed, mirror());
    }
}
