package io.dvsflow.models.training;

import java.util.Objects;

/**
 * One training or evaluation example of a {@link VdibModel}: the input (a static image to be coded
 * into spikes, or pre-binned DVS input indices) and the reference image the decoder should produce.
 *
 * <p>Binned input: the active input indices of bin {@code t} are {@code indices[offsets[t] ..
 * offsets[t + 1])} (distinct, as {@link VdibModel} defines the input index), {@code offsets} has
 * {@code T + 1} entries.
 *
 * @param image pixel values in [0, 1] (rate / TTFS coding), or null for binned input
 * @param offsets bin offsets into {@code indices} ({@code T + 1} values), or null for an image
 * @param indices active input indices of all bins, or null for an image
 * @param target the reference image, pixel values in [0, 1], row-major, the decoder's output size
 * @param label the digit class (0..9), or -1 when unknown
 */
public record VdibSample(float[] image, int[] offsets, int[] indices, float[] target, int label) {

    /** Checks that exactly one input form is present. */
    public VdibSample {
        Objects.requireNonNull(target, "target");
        if ((image == null) == (offsets == null) || (offsets == null) != (indices == null)) {
            throw new IllegalArgumentException("give either an image or binned indices");
        }
        if (offsets != null
                && (offsets.length < 2 || offsets[offsets.length - 1] > indices.length)) {
            throw new IllegalArgumentException("offsets do not match the indices");
        }
    }

    /** A static image sample. */
    public static VdibSample ofImage(float[] image, float[] target, int label) {
        return new VdibSample(image, null, null, target, label);
    }

    /** A binned (DVS) sample. */
    public static VdibSample ofBins(int[] offsets, int[] indices, float[] target, int label) {
        return new VdibSample(null, offsets, indices, target, label);
    }

    /** Number of bins of a binned sample (0 for an image). */
    public int bins() {
        return offsets == null ? 0 : offsets.length - 1;
    }
}
