package io.dvsflow.models.decoder;

import io.dvsflow.models.decoder.nn.Activations;
import io.dvsflow.models.decoder.nn.Conv2dLayer;
import io.dvsflow.models.decoder.nn.DenseLayer;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The convolutional decoder of paper 004: two convolution layers with ReLU and one dense layer to
 * the image, {@code r_hat = sigmoid(dense(relu(conv2(relu(conv1(x))))))}.
 *
 * <p>The input is read as a {@code channels x height x width} image: a flattened window ({@link
 * DecoderInputMode#WINDOW}) as {@code 1 x tau_d x N_Y} (time down, neuron across, {@link
 * #forWindow}); a rate vector as {@code 1 x side x side} when {@code N_Y} is a square, else {@code
 * 1 x 1 x N_Y} ({@link #forRate}). Both convolutions use {@code k x k} kernels with stride {@code
 * s} and padding {@code k / 2}. Parameters {@code conv1.*}, {@code conv2.*}, {@code output.*}; He-
 * uniform for the convolutions, Xavier-uniform for the dense layer, biases zero, all from {@code
 * new SplittableRandom(seed)} in that order. Defaults: {@link #DEFAULT_C1} and {@link #DEFAULT_C2}
 * channels, kernel {@link #DEFAULT_KERNEL}, stride {@link #DEFAULT_STRIDE}.
 */
public final class CnnDecoder extends AbstractImageDecoder {
    /** Default channels of the first convolution. */
    public static final int DEFAULT_C1 = 8;

    /** Default channels of the second convolution. */
    public static final int DEFAULT_C2 = 16;

    /** Default kernel side. */
    public static final int DEFAULT_KERNEL = 5;

    /** Default stride of both convolutions. */
    public static final int DEFAULT_STRIDE = 2;

    private final int inC;
    private final int inH;
    private final int inW;
    private final int kernel;
    private final int stride;
    private final long seed;
    private final Conv2dLayer conv1;
    private final Conv2dLayer conv2;
    private final DenseLayer output;
    private float[] a1 = new float[0];
    private float[] a2 = new float[0];
    private float[] d1 = new float[0];
    private float[] d2 = new float[0];

    /** A CNN decoder with the defaults for a flattened {@code tauD x nY} window. */
    public static CnnDecoder forWindow(int nY, int tauD, int outW, int outH, long seed) {
        return new CnnDecoder(
                1,
                tauD,
                nY,
                DEFAULT_C1,
                DEFAULT_C2,
                DEFAULT_KERNEL,
                DEFAULT_STRIDE,
                outW,
                outH,
                seed);
    }

    /**
     * How a rate vector of {@code nY} values is read: {@code {height, width}} = {@code {side,
     * side}} when {@code nY = side^2}, else {@code {1, nY}}.
     */
    public static int[] rateInputShape(int nY) {
        int side = (int) Math.round(Math.sqrt(nY));
        return side * side == nY ? new int[] {side, side} : new int[] {1, nY};
    }

    /** A CNN decoder with the defaults for a rate vector of {@code nY} values. */
    public static CnnDecoder forRate(int nY, int outW, int outH, long seed) {
        int[] hw = rateInputShape(nY);
        return new CnnDecoder(
                1,
                hw[0],
                hw[1],
                DEFAULT_C1,
                DEFAULT_C2,
                DEFAULT_KERNEL,
                DEFAULT_STRIDE,
                outW,
                outH,
                seed);
    }

    /** A CNN decoder reading its input as {@code inC x inH x inW}. */
    public CnnDecoder(
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
                layers(inC, inH, inW, c1, c2, kernel, stride, outW * outH));
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

    private CnnDecoder(
            int inC,
            int inH,
            int inW,
            int kernel,
            int stride,
            int outW,
            int outH,
            long seed,
            Layers l) {
        super(inC * inH * inW, outW, outH, params(l));
        this.inC = inC;
        this.inH = inH;
        this.inW = inW;
        this.kernel = kernel;
        this.stride = stride;
        this.seed = seed;
        this.conv1 = l.conv1;
        this.conv2 = l.conv2;
        this.output = l.output;
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
        return hyperparameters(
                inC,
                inH,
                inW,
                conv1.outChannels(),
                conv2.outChannels(),
                kernel,
                stride,
                outW,
                outH,
                seed);
    }

    /**
     * The architecture options of a CNN decoder (what {@link DecoderSnapshots} reads back), shared
     * by both backends.
     */
    public static Map<String, String> hyperparameters(
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
        return Map.of(
                "inputChannels", Integer.toString(inC),
                "inputHeight", Integer.toString(inH),
                "inputWidth", Integer.toString(inW),
                "c1", Integer.toString(c1),
                "c2", Integer.toString(c2),
                "kernel", Integer.toString(kernel),
                "stride", Integer.toString(stride),
                "outputWidth", Integer.toString(outW),
                "outputHeight", Integer.toString(outH),
                "seed", Long.toString(seed));
    }

    @Override
    void forwardLogits(float[] input, int batch, float[] z) {
        int n1 = batch * conv1.outSize();
        int n2 = batch * conv2.outSize();
        if (a1.length < n1) {
            a1 = new float[n1];
            d1 = new float[n1];
        }
        if (a2.length < n2) {
            a2 = new float[n2];
            d2 = new float[n2];
        }
        conv1.forward(input, batch, a1);
        Activations.relu(a1, n1);
        conv2.forward(a1, batch, a2);
        Activations.relu(a2, n2);
        output.forward(a2, batch, z);
    }

    @Override
    void backwardLogits(float[] input, float[] dz, int batch, float[] dx) {
        output.backward(a2, dz, batch, d2);
        Activations.reluBackward(a2, d2, batch * conv2.outSize());
        conv2.backward(a1, d2, batch, d1);
        Activations.reluBackward(a1, d1, batch * conv1.outSize());
        conv1.backward(input, d1, batch, dx);
    }

    @Override
    public CnnDecoder replica() {
        return new CnnDecoder(
                inC,
                inH,
                inW,
                kernel,
                stride,
                outW,
                outH,
                seed,
                new Layers(conv1.replica(), conv2.replica(), output.replica()));
    }
}
