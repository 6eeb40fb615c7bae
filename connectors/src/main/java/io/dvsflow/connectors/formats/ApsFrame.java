package io.dvsflow.connectors.formats;

import java.util.Objects;

/**
 * An intensity (APS) frame of a DAVIS camera, as recorded beside its events, e.g. an AEDAT 3.1
 * {@code FRAME} event (libcaer's {@code caer_frame_event}).
 *
 * <p>{@code pixels} holds {@code width x height} luminance values in [0, 1], row-major with row 0
 * at the top (the 16-bit normalised samples divided by 65535; the mean over colour channels when a
 * frame has several). {@code positionX, positionY} place the frame (a region of interest) on the
 * sensor, in sensor pixels.
 *
 * @param streamId the recording's stream id
 * @param startFrameUs start of the frame's readout, µs (the recording's time base)
 * @param endFrameUs end of the readout, µs
 * @param startExposureUs start of the exposure, µs
 * @param endExposureUs end of the exposure, µs
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param positionX left column on the sensor
 * @param positionY top row on the sensor
 * @param pixels luminance in [0, 1], {@code width * height} values
 */
public record ApsFrame(
        String streamId,
        long startFrameUs,
        long endFrameUs,
        long startExposureUs,
        long endExposureUs,
        int width,
        int height,
        int positionX,
        int positionY,
        float[] pixels) {

    /** Checks the shape. */
    public ApsFrame {
        Objects.requireNonNull(pixels, "pixels");
        if (width < 0 || height < 0 || (long) width * height != pixels.length) {
            throw new IllegalArgumentException(
                    "frame " + width + "x" + height + " with " + pixels.length + " pixels");
        }
    }

    /** The middle of the exposure, µs: the time the frame shows. */
    public long exposureMidUs() {
        return startExposureUs + (endExposureUs - startExposureUs) / 2;
    }
}
