package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.decoder.CnnDecoder;
import io.dvsflow.models.decoder.nn.Conv2dLayer;
import io.dvsflow.models.decoder.nn.DenseLayer;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link CnnDecoder} on ND4J: {@code r_hat = sigmoid(dense(relu(conv2(relu(conv1(x))))))} with the
 * convolutions as im2col + gemm ({@link Im2colConv2d}; NCHW activations, {@code [out, in, k, k]}
 * weights) and gemm for the dense layer. Each convolution is the cross-correlation
 *
 * <pre>
 * y[b, o, r, c] = bias[o] + sum_{i, u, v} W[o, i, u, v] * x[b, i, r*s + u - p, c*s + v - p]
 * </pre>
 *
 * with stride {@code s}, explicit zero padding {@code p = k / 2} and output side {@code (n + 2p -
 * k) / s + 1}, as in {@link Conv2dLayer}; the second convolution's output is flattened row-major
 * ({@code [channels, height, width]}) into the dense layer. The geometry and the parameters come
 * from the same {@link Conv2dLayer} and {@link DenseLayer} objects the Java decoder uses (only as
 * parameter holders), so names, shapes and the initialisation order (He-uniform conv1, conv2, then
 * Xavier-uniform for the dense layer from one {@code new SplittableRandom(seed)}) are identical.
 */
public final class Nd4jCnnDecoder extends AbstractNd4jDecoder {
    private final int inC;
    private final int inH;
    private final int inW;
    private final int kernel;
    private final int stride;
    private final long seed;
    private final Conv2dLayer conv1;
    private final Conv2dLayer conv2;
    private final DenseLayer output;
    private final Im2colConv2d op1;
    private final Im2colConv2d op2;
    private INDArray x4;
    private INDArray a1;
    private INDArray a2;
    private INDArray a2flat;
    private INDArray d1;
    private INDArray d2;
    private INDArray d2flat;
    private INDArray dx;

    /** A CNN decoder with the Java decoder's defaults for a flattened {@code tauD x nY} window. */
    public static Nd4jCnnDecoder forWindow(int nY, int tauD, int outW, int outH, long seed) {
        return new Nd4jCnnDecoder(
                1,
                tauD,
                nY,
                CnnDecoder.DEFAULT_C1,
                CnnDecoder.DEFAULT_C2,
                CnnDecoder.DEFAULT_KERNEL,
                CnnDecoder.DEFAULT_STRIDE,
                outW,
                outH,
                seed);
    }

    /** A CNN decoder with the Java decoder's defaults for a rate vector of {@code nY} values. */
    public static Nd4jCnnDecoder forRate(int nY, int outW, int outH, long seed) {
        int[] hw = CnnDecoder.rateInputShape(nY);
        return new Nd4jCnnDecoder(
                1,
                hw[0],
                hw[1],
                CnnDecoder.DEFAULT_C1,
                CnnDecoder.DEFAULT_C2,
                CnnDecoder.DEFAULT_KERNEL,
                CnnDecoder.DEFAULT_STRIDE,
                outW,
                outH,
                seed);
    }

    /** A CNN decoder reading its input as {@code inC x inH x inW}. */
    public Nd4jCnnDecoder(
            int inC,
            int inH,
            int inW,
            int c1,
            int c2,
            int kernel,
            int stride,
            int outW,
            int outH,
            long seed) {
        this(
                inC,
                inH,
                inW,
                kernel,
                stride,
                outW,
                outH,
                seed,
                layers(inC, inH, inW, c1, c2, kernel, stride, outW * outH),
                null);
        SplittableRandom random = new SplittableRandom(seed);
        conv1.weight().heUniform(conv1.fanIn(), random);
        conv2.weight().heUniform(conv2.fanIn(), random);
        output.weight().xavierUniform(output.in(), output.out(), random);
    }

    private record Layers(Conv2dLayer conv1, Conv2dLayer conv2, DenseLayer output) {}

    private static Layers layers(
            int inC, int inH, int inW, int c1, int c2, int k, int s, int pixels) {
        Conv2dLayer conv1 = new Conv2dLayer("conv1", inC, inH, inW, c1, k, s, k / 2);
        Conv2dLayer conv2 =
                new Conv2dLayer("conv2", c1, conv1.outHeight(), conv1.outWidth(), c2, k, s, k / 2);
        return new Layers(conv1, conv2, new DenseLayer("output", conv2.outSize(), pixels));
    }

    private Nd4jCnnDecoder(
            int inC,
            int inH,
            int inW,
            int kernel,
            int stride,
            int outW,
            int outH,
            long seed,
            Layers l,
            ParameterMirror mirror) {
        super(inC * inH * inW, outW, outH, params(l), mirror);
        this.inC = inC;
        this.inH = inH;
        this.inW = inW;
        this.kernel = kernel;
        this.stride = stride;
        this.seed = seed;
        this.conv1 = l.conv1;
        this.conv2 = l.conv2;
        this.output = l.output;
        this.op1 = new Im2colConv2d(l.conv1, inC, inH, inW, kernel, stride, kernel / 2);
        this.op2 =
                new Im2colConv2d(
                        l.conv2,
                        l.conv1.outChannels(),
                        l.conv1.outHeight(),
                        l.conv1.outWidth(),
                        kernel,
                        stride,
                        kernel / 2);
    }

    private static List<Parameter> params(Layers l) {
        List<Parameter> p = new ArrayList<>(l.conv1.parameters());
        p.addAll(l.conv2.parameters());
        p.addAll(l.output.parameters());
        return p;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.CNN_DECODER;
    }

    @Override
    public List<Integer> layerSizes() {
        return List.of(inputSize, conv1.outSize(), conv2.outSize(), outputSize());
    }

    @Override
    public Map<String, String> hyperparameters() {
        return withBackend(
                CnnDecoder.hyperparameters(
                        inC,
                        inH,
                        inW,
                        conv1.outChannels(),
                        conv2.outChannels(),
                        kernel,
                        stride,
                        outW,
                        outH,
                        seed));
    }

    @Override
    void allocate(int batch) {
        long[] s1 = {batch, conv1.outChannels(), conv1.outHeight(), conv1.outWidth()};
        long[] s2 = {batch, conv2.outChannels(), conv2.outHeight(), conv2.outWidth()};
        a1 = Nd4j.create(DataType.FLOAT, s1, 'c');
        d1 = Nd4j.create(DataType.FLOAT, s1, 'c');
        a2 = Nd4j.create(DataType.FLOAT, s2, 'c');
        d2 = Nd4j.create(DataType.FLOAT, s2, 'c');
        a2flat = a2.reshape('c', batch, conv2.outSize());
        d2flat = d2.reshape('c', batch, conv2.outSize());
        dx = Nd4j.create(DataType.FLOAT, new long[] {batch, inC, inH, inW}, 'c');
        x4 = null;
        op1.allocate(batch);
        op2.allocate(batch);
    }

    @Override
    void forwardLogits(INDArray[] w, INDArray x, INDArray z) {
        if (x4 == null) {
            x4 = x.reshape('c', x.size(0), inC, inH, inW);
        }
        op1.forward(x4, w[0], w[1], a1);
        Transforms.relu(a1, false);
        op2.forward(a1, w[2], w[3], a2);
        Transforms.relu(a2, false);
        denseForward(a2flat, w[4], w[5], z);
    }

    @Override
    INDArray backwardLogits(
            INDArray[] w, INDArray x, INDArray dz, INDArray[] grads, boolean needDx) {
        denseBackward(a2flat, w[4], dz, grads[4], grads[5], d2flat);
        reluBackward(a2, d2);
        op2.backward(w[2], d2, grads[2], grads[3], d1);
        reluBackward(a1, d1);
        op1.backward(w[0], d1, grads[0], grads[1], needDx ? dx : null);
        return needDx ? dx.reshape('c', x.size(0), inputSize) : null;
    }

    @Override
    public Nd4jCnnDecoder replica() {
        return new Nd4jCnnDecoder(
                inC,
                inH,
                inW,
                kernel,
                stride,
                outW,
                outH,
                seed,
                new Layers(conv1.replica(), conv2.replica(), output.replica()),
                mirror());
    }
}
