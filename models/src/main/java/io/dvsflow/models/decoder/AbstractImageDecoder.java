package io.dvsflow.models.decoder;

import io.dvsflow.models.decoder.nn.Activations;
import io.dvsflow.models.decoder.nn.Parameter;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Shared part of the decoders: the sigmoid output, the BCE loss and its logit gradient {@code dz =
 * (sigmoid(z) - t) / B}, and parameter bookkeeping. Subclasses compute logits and back-propagate
 * logit gradients.
 */
abstract class AbstractImageDecoder implements ImageDecoder {
    protected final int inputSize;
    protected final int outW;
    protected final int outH;
    private final List<Parameter> params;
    private float[] logits = new float[0];
    private float[] dLogits = new float[0];
    private float[] lastInput;
    private int lastBatch;

    AbstractImageDecoder(int inputSize, int outW, int outH, List<Parameter> params) {
        if (inputSize < 1 || outW < 1 || outH < 1) {
            throw new IllegalArgumentException(
                    "sizes must be positive: input " + inputSize + ", output " + outW + "x" + outH);
        }
        this.inputSize = inputSize;
        this.outW = outW;
        this.outH = outH;
        this.params = List.copyOf(params);
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

    /** Computes {@code batch x outputSize()} logits; keeps what backward needs. */
    abstract void forwardLogits(float[] input, int batch, float[] z);

    /** Back-propagates logit gradients {@code dz}; writes {@code dx} when not null. */
    abstract void backwardLogits(float[] input, float[] dz, int batch, float[] dx);

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
        int n = batch * outputSize();
        if (logits.length < n) {
            logits = new float[n];
            dLogits = new float[n];
        }
        forwardLogits(input, batch, logits);
        for (int i = 0; i < n; i++) {
            output[i] = Activations.sigmoid(logits[i]);
        }
        lastInput = input;
        lastBatch = batch;
    }

    @Override
    public double backward(float[] target, float[] inputGradient) {
        if (lastInput == null) {
            throw new IllegalStateException("backward before forward");
        }
        int n = lastBatch * outputSize();
        double loss = 0;
        float scale = 1f / lastBatch;
        for (int i = 0; i < n; i++) {
            float z = logits[i];
            float t = target[i];
            loss += Activations.bceWithLogit(z, t);
            dLogits[i] = (Activations.sigmoid(z) - t) * scale;
        }
        backwardLogits(lastInput, dLogits, lastBatch, inputGradient);
        return loss / lastBatch;
    }

    @Override
    public void zeroGradients() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    @Override
    public List<NamedTensor> parameters() {
        List<NamedTensor> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            out.add(p.value());
        }
        return out;
    }

    @Override
    public List<NamedTensor> gradients() {
        List<NamedTensor> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            out.add(p.grad());
        }
        return out;
    }

    @Override
    public void setParameters(Collection<NamedTensor> values) {
        Parameter.assignByName(params, values);
    }
}
