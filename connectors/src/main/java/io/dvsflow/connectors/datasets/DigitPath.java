package io.dvsflow.connectors.datasets;

/**
 * Where an emulated MNIST-DVS digit was on the sensor: one sample per display frame. Coordinates
 * are sensor pixels with pixel {@code (x, y)} covering {@code [x, x+1) x [y, y+1)}, origin at the
 * upper left; the digit's square of side {@code sizePx} is centred on {@code (centerX, centerY)}.
 *
 * @param sizePx side of the displayed digit (sensor pixels)
 * @param tUs start time of each display frame (µs)
 * @param centerX digit centre, x (sensor pixels), per display frame
 * @param centerY digit centre, y (sensor pixels), per display frame
 */
public record DigitPath(double sizePx, long[] tUs, double[] centerX, double[] centerY) {

    /** Checks that the three columns have one entry per frame. */
    public DigitPath {
        if (tUs.length != centerX.length || tUs.length != centerY.length) {
            throw new IllegalArgumentException("path columns differ in length");
        }
    }

    /** Number of display frames. */
    public int frames() {
        return tUs.length;
    }
}
