package io.dvsflow.models.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float tensor in row-major order: the unit in which models expose, optimise and store
 * their parameters.
 *
 * <p>The record holds its {@code data} array by reference: a decoder's {@link
 * io.dvsflow.models.decoder.ImageDecoder#parameters()} returns live views whose arrays are the
 * parameters themselves, so an optimiser updating {@code data()} in place updates the model. Use
 * {@link #copy()} for an independent copy.
 *
 * @param name unique name within a model, e.g. {@code hidden.weight}
 * @param shape dimensions, outermost first (each at least 1)
 * @param data {@code product(shape)} values, row-major
 */
public record NamedTensor(String name, int[] shape, float[] data) {

    /**
     * Checks the name, that every dimension is positive and that data has product(shape) values.
     */
    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = elementCount(name, shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "' has shape "
                            + Arrays.toString(shape)
                            + " ("
                            + n
                            + " elements) but "
                            + data.length
                            + " values");
        }
    }

    /** A zero tensor of the given shape. */
    public static NamedTensor zeros(String name, int... shape) {
        return new NamedTensor(name, shape.clone(), new float[(int) elementCount(name, shape)]);
    }

    /**
     * Product of the dimensions, checking each is at least 1 and the product fits in an int.
     *
     * @throws IllegalArgumentException naming the tensor when a dimension is not positive or the
     *     product overflows
     */
    public static long elementCount(String name, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + name
                                + "' has a non-positive dimension: "
                                + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "' is too large: " + Arrays.toString(shape));
            }
        }
        return n;
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** A deep copy (new shape and data arrays). */
    public NamedTensor copy() {
        return new NamedTensor(name, shape.clone(), data.clone());
    }

    /** True when {@code other} has the same shape. */
    public boolean sameShape(NamedTensor other) {
        return Arrays.equals(shape, other.shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
