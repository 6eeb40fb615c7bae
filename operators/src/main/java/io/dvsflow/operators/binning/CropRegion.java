package io.dvsflow.operators.binning;

import java.io.Serializable;

/**
 * A rectangle of sensor pixels: columns {@code [x, x + width)}, rows {@code [y, y + height)}.
 *
 * <p>Example: MNIST-DVS digits sit in the 26 x 26 square at columns and rows 48..73, {@code new
 * CropRegion(48, 48, 26, 26)}.
 *
 * @param x first column (>= 0)
 * @param y first row (>= 0)
 * @param width number of columns (>= 1)
 * @param height number of rows (>= 1)
 */
public record CropRegion(int x, int y, int width, int height) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that the rectangle is non-empty and starts inside the first quadrant. */
    public CropRegion {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException(
                    "crop origin must be >= 0, was (" + x + ", " + y + ")");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "crop size must be >= 1, was " + width + "x" + height);
        }
    }

    /** The whole sensor. */
    public static CropRegion full(int sensorWidth, int sensorHeight) {
        return new CropRegion(0, 0, sensorWidth, sensorHeight);
    }
}
