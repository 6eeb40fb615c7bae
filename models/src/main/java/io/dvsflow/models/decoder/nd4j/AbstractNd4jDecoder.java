package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.NamedTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Shared part of the ND4J decoders: input and output transfer between the {@code float[]} batches
 * of {@link ImageDecoder} and native arrays, the sigmoid output, the BCE loss {@code L = (1/B)
 * sum_bp [max(z, 0) - z t + log(1 + exp(-|z|))]} with its logit gradient {@code dz = (sigmoid(z) -
 * t) / B}, and parameter bookkeeping. The {@code float[]} parameter arrays are the master copy; a
 * {@link ParameterMirror} shared with the replicas holds their native copies.
 */
abstract class AbstractNd4jDecoder implements ImageDecoder {
    protected final int inputSize;
    protected final int outW;
    protected final int outH;
    private final List<Parameter> params;
    private final ParameterMirror mirror;
    private final INDArray[] paramGrads;
    private int batch;
    private INDArray x;
    private INDArray z;
    private INDArray p;
    private INDArray t;
    private INDArray dz;
    private boolean haveForward;
    private float[] scratch = new float[0];

    AbstractNd4jDecoder(
            int inputSize, int outW, int outH, List<Parameter> params, ParameterMirror mirror) {
        if (inputSize < 1 || outW < 1 || outH < 1) {
            throw new IllegalArgumentException(
                    "sizes must be positive: input " + inputSize + ", output " + outW + "x" + outH);
        }
        this.inputSize = inputSize;
        this.outW = outW;
        this.outH = outH;
        this.params = List.copyOf(params);
        this.mirror = mirror != null ? mirror : new ParameterMirror(values(params));
        this.paramGrads = new INDArray[params.size()];
        for (int i = 0; i < paramGrads.length; i++) {
            paramGrads[i] = Nd4j.create(DataType.FLOAT, shape(params.get(i).value()), 'c');
        }
    }

    private static List<NamedTensor> values(List<Parameter> params) {
        List<NamedTensor> out = new ArrayList<>(params.size());
        for (Parameter q : params) {
            out.add(q.value());
        }
        return out;
    }

    static long[] shape(NamedTensor t) {
        int[] s = t.shape();
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }

    /** The mirror to hand to a replica. */
    final ParameterMirror mirror() {
        return mirror;
    }

    /** Allocates the subclass's activation buffers for {@code batch} examples. */
    abstract void allocate(int batch);

    /** Writes the logits {@code z [batch, pixels]} for input {@code x [batch, inputSize]}. */
    abstract void forwardLogits(INDArray[] w, INDArray x, INDArray z);

    /**
     * Back-propagates {@code dz}: overwrites {@code grads[i]} (shapes of the parameters) with
     * {@code dL/dθ_i} and returns {@code dL/dx [batch, inputSize]}, or null when {@code needDx} is
     * false and the subclass can skip it.
     */
    abstract INDArray backwardLogits(
            INDArray[] w, INDArray x, INDArray dz, INDArray[] grads, boolean needDx);

    @Override
    public final DecoderBackend backend() {
        return DecoderBackend.ND4J;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputWidth() {
        return outW;
    }

    @Override
    public int outputHeight() {
        return outH;
    }

    @Override
    public void forward(float[] input, int batch, float[] output) {
        if (batch < 1 || input.length < batch * inputSize || output.length < batch * outputSize()) {
            throw new IllegalArgumentException(
                    "batch "
                            + batch
                            + " needs "
                            + batch * inputSize
                            + " inputs and "
                            + batch * outputSize()
                            + " outputs");
        }
        INDArray[] w = mirror.current();
        if (batch != this.batch) {
            x = Nd4j.create(DataType.FLOAT, new long[] {batch, inputSize}, 'c');
            z = Nd4j.create(DataType.FLOAT, new long[] {batch, outputSize()}, 'c');
            p = Nd4j.create(DataType.FLOAT, new long[] {batch, outputSize()}, 'c');
            t = Nd4j.create(DataType.FLOAT, new long[] {batch, outputSize()}, 'c');
            dz = Nd4j.create(DataType.FLOAT, new long[] {batch, outputSize()}, 'c');
            allocate(batch);
            this.batch = batch;
        }
        x.data().asNioFloat().put(input, 0, batch * inputSize);
        forwardLogits(w, x, z);
        p.assign(z);
        Transforms.sigmoid(p, false);
        p.data().asNioFloat().get(output, 0, batch * outputSize());
        haveForward = true;
    }

    @Override
    public double backward(float[] target, float[] inputGradient) {
        if (!haveForward) {
            throw new IllegalStateException("backward before forward");
        }
        int n = batch * outputSize();
        t.data().asNioFloat().put(target, 0, n);
        // BCE on logits: max(z, 0) - z t + log1p(exp(-|z|)), exact and overflow-free
        INDArray soft = Transforms.abs(z, true).negi();
        Transforms.exp(soft, false);
        Transforms.log1p(soft, false);
        soft.addi(Transforms.relu(z, true)).subi(z.mul(t));
        double loss = soft.sumNumber().doubleValue() / batch;
        dz.assign(p).subi(t).muli(1f / batch);
        INDArray dx = backwardLogits(mirror.current(), x, dz, paramGrads, inputGradient != null);
        for (int i = 0; i < paramGrads.length; i++) {
            addInto(paramGrads[i], params.get(i).g());
        }
        if (inputGradient != null) {
            dx.data().asNioFloat().get(inputGradient, 0, batch * inputSize);
        }
        return loss;
    }

    /** {@code dst += src}: one bulk copy out of native memory, then a loop the JIT vectorises. */
    private void addInto(INDArray src, float[] dst) {
        if (scratch.length < dst.length) {
            scratch = new float[dst.length];
        }
        FloatBuffer b = src.data().asNioFloat();
        b.get(scratch, 0, dst.length);
        float[] s = scratch;
        for (int i = 0; i < dst.length; i++) {
            dst[i] += s[i];
        }
    }

    @Override
    public void zeroGradients() {
        for (Parameter q : params) {
            q.zeroGrad();
        }
    }

    @Override
    public List<NamedTensor> parameters() {
        return values(params);
    }

    @Override
    public List<NamedTensor> gradients() {
        List<NamedTensor> out = new ArrayList<>(params.size());
        for (Parameter q : params) {
            out.add(q.grad());
        }
        return out;
    }

    @Override
    public void parametersChanged() {
        mirror.changed();
    }

    /** Mirror copies so far (shared with the replicas), to observe the refresh policy. */
    long mirrorCopies() {
        return mirror.copies();
    }

    @Override
    public void setParameters(Collection<NamedTensor> values) {
        Parameter.assignByName(params, values);
        parametersChanged();
    }

    /** {@code hp} plus {@value DecoderBackend#KEY} = {@code nd4j}. */
    static Map<String, String> withBackend(Map<String, String> hp) {
        Map<String, String> out = new HashMap<>(hp);
        out.put(DecoderBackend.KEY, DecoderBackend.ND4J.key());
        return Map.copyOf(out);
    }

    /** {@code y = x W + b} for a row-major batch {@code x [B, in]}, {@code W [in, out]}. */
    static void denseForward(INDArray x, INDArray w, INDArray b, INDArray y) {
        Nd4j.gemm(x, w, y, false, false, 1.0, 0.0);
        y.addiRowVector(b);
    }

    /**
     * {@code gW = x^T dy}, {@code gb = sum_b dy}; {@code dx = dy W^T} when {@code dx} is not null.
     */
    static void denseBackward(
            INDArray x, INDArray w, INDArray dy, INDArray gw, INDArray gb, INDArray dx) {
        Nd4j.gemm(x, dy, gw, true, false, 1.0, 0.0);
        gb.assign(dy.sum(0));
        if (dx != null) {
            Nd4j.gemm(dy, w, dx, false, true, 1.0, 0.0);
        }
    }

    /** {@code d = 0} wherever the ReLU output {@code y} is not positive (in place). */
    static void reluBackward(INDArray y, INDArray d) {
        d.muli(y.gt(0).castTo(DataType.FLOAT));
    }
}
