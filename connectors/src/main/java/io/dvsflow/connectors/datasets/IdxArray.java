package io.dvsflow.connectors.datasets;

import java.util.Objects;

/**
 * An unsigned-byte array read from an idx file: its dimensions (outermost first, as in the file)
 * and its elements in row-major order.
 *
 * @param dimensions sizes, outermost first (e.g. {@code [60000, 28, 28]})
 * @param data elements, unsigned bytes, product of the dimensions long
 */
public record IdxArray(int[] dimensions, byte[] data) {

    /** Checks that {@code data} has the product of the dimensions. */
    public IdxArray {
        Objects.requireNonNull(dimensions, "dimensions");
        Objects.requireNonNull(data, "data");
        long n = 1;
        for (int d : dimensions) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    data.length
                            + " elements for dimensions "
                            + java.util.Arrays.toString(dimensions));
        }
    }

    /** Element {@code i} as 0..255. */
    public int get(int i) {
        return data[i] & 0xFF;
    }
}
