package io.dvsflow.jobs.naturalize;

import java.util.Locale;

/** How the naturalize job turns a window of events into an image. */
public enum NaturalizeMethod {
    /** High-pass filter of Scheerlinck et al. (ACCV 2018): {@code L <- exp(-alpha dt) L + c p}. */
    HIGHPASS,
    /** Direct integration: {@code L <- L + c p}. */
    INTEGRATE,
    /** Polarity counts per window (2 x H x W). */
    COUNTS,
    /** Binary event frame per window (2 x H x W, 1 where a pixel fired). */
    BINARY,
    /** Signed sum ON - OFF per window (1 x H x W). */
    SIGNED,
    /** Voxel grid (B x H x W, bilinear in time). */
    VOXEL,
    /**
     * The learned VDIB naturalizer (spiking encoder + ANN decoder, paper 004): needs a model
     * ({@link NaturalizeSettings#vdib()}).
     */
    VDIB;

    /** Parses a name as written on the command line (case-insensitive). */
    public static NaturalizeMethod parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown method '"
                            + s
                            + "'; expected highpass, integrate, counts, binary, signed, voxel or vdib");
        }
    }
}
