package io.dvsflow.jobs.naturalize;

import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.connectors.formats.ApsFrameSource;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.models.training.BilinearResize;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference images for online VDIB learning from the DAVIS APS frames recorded inside the input
 * recordings (AEDAT 3.1 {@code FRAME} events): each frame becomes a {@code target} image of its own
 * stream, for the window that holds the middle of its exposure.
 *
 * <p>Geometry: the model's input region of the sensor (crop {@code (cropX, cropY)}, {@code
 * inputWidth x inputHeight} pixels, the same pixels the encoder sees events from) is cut out of the
 * frame (sensor pixels outside the frame count as 0) and resized bilinearly to the decoder's output
 * size. Intensity: the frame's normalised luminance in [0, 1]. Window: {@code [k dt, (k + 1) dt)}
 * with {@code k = floorDiv(t_mid, dt)}, {@code dt} the model's bin width. One reference per frame;
 * a second frame in the same window replaces the first. Memory: each frame is reduced to the
 * decoder's size as it is read.
 */
public final class ApsReferences {

    private static final Logger LOG = LoggerFactory.getLogger(ApsReferences.class);

    private ApsReferences() {}

    /** A recording and its stream id. */
    public record Recording(Path file, String streamId) {}

    /**
     * The references of {@code recordings} for a model with the given geometry.
     *
     * @param cropX left column of the model's input region on the sensor
     * @param cropY top row of the model's input region
     * @param inputWidth width of the input region, pixels
     * @param inputHeight height of the input region
     * @param outWidth decoder output width
     * @param outHeight decoder output height
     * @param dtUs the model's bin width, µs
     * @throws IOException when a recording cannot be read (its file and byte offset named)
     */
    public static List<ImageFrame> frames(
            List<Recording> recordings,
            ReaderOptions options,
            int cropX,
            int cropY,
            int inputWidth,
            int inputHeight,
            int outWidth,
            int outHeight,
            long dtUs)
            throws IOException {
        List<ImageFrame> out = new ArrayList<>();
        for (Recording rec : recordings) {
            int before = out.size();
            try (EventReader r = EventFormats.open(rec.file(), options)) {
                if (!(r instanceof ApsFrameSource frames)) {
                    LOG.warn(
                            "{}: APS frames are read from AEDAT 2.0 (DAVIS), 3.1 and 4.0"
                                    + " recordings; no references",
                            rec.file());
                    continue;
                }
                frames.setFrameListener(
                        f ->
                                out.add(
                                        target(
                                                f,
                                                rec.streamId(),
                                                cropX,
                                                cropY,
                                                inputWidth,
                                                inputHeight,
                                                outWidth,
                                                outHeight,
                                                dtUs)));
                EventPacket p = r.newPacket();
                while (r.read(p)) {
                    // events are not needed here: reading walks the file to its frames
                }
            }
            LOG.info("{}: {} APS reference frames", rec.file(), out.size() - before);
        }
        return out;
    }

    /** One frame as a target image of the model's output size. */
    static ImageFrame target(
            ApsFrame f,
            String streamId,
            int cropX,
            int cropY,
            int inputWidth,
            int inputHeight,
            int outWidth,
            int outHeight,
            long dtUs) {
        float[] region = new float[inputWidth * inputHeight];
        for (int y = 0; y < inputHeight; y++) {
            int fy = cropY + y - f.positionY();
            if (fy < 0 || fy >= f.height()) {
                continue;
            }
            for (int x = 0; x < inputWidth; x++) {
                int fx = cropX + x - f.positionX();
                if (fx >= 0 && fx < f.width()) {
                    region[y * inputWidth + x] = f.pixels()[fy * f.width() + fx];
                }
            }
        }
        float[] px =
                inputWidth == outWidth && inputHeight == outHeight
                        ? region
                        : BilinearResize.resize(
                                region, inputWidth, inputHeight, outWidth, outHeight);
        long start = Math.floorDiv(f.exposureMidUs(), dtUs) * dtUs;
        return new ImageFrame(
                streamId, start, start + dtUs, outWidth, outHeight, 1, px, "target", 0);
    }
}
