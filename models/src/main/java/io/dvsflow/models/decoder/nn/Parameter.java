package io.dvsflow.models.decoder.nn;

import io.dvsflow.models.snapshot.NamedTensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A trainable tensor: its values and the gradient accumulated by backward passes, both exposed as
 * live {@link NamedTensor} views. Replicas for data-parallel training share {@link #value()} and
 * own their gradient.
 */
public final class Parameter {
    private final NamedTensor value;
    private final NamedTensor grad;

    /** A zero parameter of the given shape. */
    public Parameter(String name, int... shape) {
        this(NamedTensor.zeros(name, shape));
    }

    private Parameter(NamedTensor value) {
        this.value = value;
        this.grad = new NamedTensor(value.name(), value.shape(), new float[value.size()]);
    }

    /** A parameter sharing this one's values, with its own zero gradient. */
    public Parameter replica() {
        return new Parameter(value);
    }

    /** Live view of the values. */
    public NamedTensor value() {
        return value;
    }

    /** Live view of the gradient. */
    public NamedTensor grad() {
        return grad;
    }

    /** The value array (live). */
    public float[] v() {
        return value.data();
    }

    /** The gradient array (live). */
    public float[] g() {
        return grad.data();
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        Arrays.fill(grad.data(), 0f);
    }

    /**
     * Xavier/Glorot uniform initialisation: {@code w ~ U(-a, a)}, {@code a = sqrt(6 / (fanIn +
     * fanOut))}, for layers followed by a sigmoid or nothing.
     */
    public void xavierUniform(int fanIn, int fanOut, SplittableRandom random) {
        uniform(Math.sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /**
     * He/Kaiming uniform initialisation: {@code w ~ U(-a, a)}, {@code a = sqrt(6 / fanIn)}, for
     * layers followed by a ReLU.
     */
    public void heUniform(int fanIn, SplittableRandom random) {
        uniform(Math.sqrt(6.0 / fanIn), random);
    }

    private void uniform(double a, SplittableRandom random) {
        float[] w = value.data();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((2 * random.nextDouble() - 1) * a);
        }
    }

    /**
     * Copies {@code values} into the parameters of the same names, after checking that every
     * parameter has a value of its shape (nothing is copied otherwise).
     *
     * @throws IllegalArgumentException naming the tensor for a missing name or a shape mismatch
     */
    public static void assignByName(
            java.util.List<Parameter> params, java.util.Collection<NamedTensor> values) {
        java.util.Map<String, NamedTensor> byName = new java.util.HashMap<>();
        for (NamedTensor t : values) {
            byName.put(t.name(), t);
        }
        for (Parameter p : params) {
            NamedTensor t = byName.get(p.value.name());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor '" + p.value.name() + "'");
            }
            if (!t.sameShape(p.value)) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + t.name()
                                + "' has shape "
                                + Arrays.toString(t.shape())
                                + " but the decoder expects "
                                + Arrays.toString(p.value.shape()));
            }
        }
        for (Parameter p : params) {
            float[] src = byName.get(p.value.name()).data();
            System.arraycopy(src, 0, p.v(), 0, src.length);
        }
    }
}
