package io.dvsflow.models.encoding;

import java.util.Arrays;

/**
 * Time-to-first-spike coding of a static image over {@code T} steps: each pixel spikes at most
 * once, brighter pixels earlier. With pixel values {@code x_i} in [0, 1] (values outside are
 * clamped), the brightness is inverted as in paper 002 ({@code x'_i = 1 - x_i}) and
 *
 * <pre>
 * t_i = round(x'_i * (T - 1)) = round((1 - x_i) * (T - 1))      if x_i > 0
 * no spike                                                      if x_i <= 0 (x'_i = 1)
 * </pre>
 *
 * {@code round} is {@link Math#round(float)} (half up). So a white pixel (1) spikes at step 0, a
 * faint one near step {@code T - 1}, and the black MNIST background never spikes (paper 002: "white
 * pixels, equal to 1 after brightness inversion, do not cause spikes").
 *
 * <p>{@link #load} sorts the pixels by spike time once per image (counting sort, no allocation
 * after construction); {@link #step} then copies the slice of step {@code t} in {@code O(spikes)}.
 */
public final class TtfsEncoder {

    private final int steps;
    private final int pixels;
    private final int[] order;
    private final int[] start;
    private final int[] cursor;

    /**
     * @param pixels image size
     * @param steps the window {@code T}, at least 1
     */
    public TtfsEncoder(int pixels, int steps) {
        if (pixels <= 0 || steps <= 0) {
            throw new IllegalArgumentException("pixels and steps must be positive");
        }
        this.pixels = pixels;
        this.steps = steps;
        order = new int[pixels];
        start = new int[steps + 1];
        cursor = new int[steps];
    }

    /** The window {@code T}. */
    public int steps() {
        return steps;
    }

    /** The spike step of a pixel value, or -1 for none (the rule in the class Javadoc). */
    public int spikeTime(float x) {
        if (!(x > 0f)) {
            return -1;
        }
        float c = Math.min(1f, x);
        return Math.round((1f - c) * (steps - 1));
    }

    /** Prepares the spike schedule of {@code image} (length {@code pixels}). */
    public void load(float[] image) {
        if (image.length != pixels) {
            throw new IllegalArgumentException(
                    "image has " + image.length + " pixels, expected " + pixels);
        }
        Arrays.fill(start, 0);
        for (float x : image) {
            int t = spikeTime(x);
            if (t >= 0) {
                start[t + 1]++;
            }
        }
        for (int t = 0; t < steps; t++) {
            start[t + 1] += start[t];
        }
        System.arraycopy(start, 0, cursor, 0, steps);
        for (int i = 0; i < pixels; i++) {
            int t = spikeTime(image[i]);
            if (t >= 0) {
                order[cursor[t]++] = i;
            }
        }
    }

    /**
     * Writes the pixels spiking at step {@code t} (ascending) into {@code out}.
     *
     * @return their count (0 for {@code t} outside [0, T))
     */
    public int step(int t, int[] out) {
        if (t < 0 || t >= steps) {
            return 0;
        }
        int n = start[t + 1] - start[t];
        System.arraycopy(order, start[t], out, 0, n);
        return n;
    }
}
