package io.dvsflow.jobs.naturalize;

import io.dvsflow.connectors.datasets.MnistDvsEmulation;
import io.dvsflow.connectors.datasets.MnistDvsSidecar;
import io.dvsflow.operators.types.ImageFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reference images for online learning from emulated MNIST-DVS recordings: each recording's sidecar
 * ({@link MnistDvsSidecar}) holds the exact source digit, which becomes the target of its stream.
 *
 * <p>The 28 x 28 digit (bytes / 255) is resampled bilinearly (pixel centres aligned) to the
 * decoder's output size; one reference frame (kind {@code target}) is placed in window {@code j}
 * for {@code j = every - 1, 2 every - 1, ...} while {@code j dt < durationUs}, so a reference comes
 * after each full readout window when {@code every = tau_d}. Frames are returned sorted by window
 * start (then stream), as the job's bounded reference source emits them.
 */
public final class MnistDvsReferences {

    /** Most reference frames produced per stream (guards memory for long durations). */
    public static final int MAX_PER_STREAM = 100_000;

    private MnistDvsReferences() {}

    /** A recording and the stream id its events carry. */
    public record Recording(Path file, String streamId) {}

    /**
     * Finds the sidecar of {@code recording}: beside it, else {@code <stem>.emulation.csv} anywhere
     * under {@code searchRoot} (may be null).
     *
     * @throws IOException if there is none
     */
    public static Path sidecarOf(Path recording, Path searchRoot) throws IOException {
        Path beside = MnistDvsEmulation.sidecarPath(recording);
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        if (searchRoot != null) {
            String name = beside.getFileName().toString();
            try (Stream<Path> s = Files.walk(searchRoot)) {
                var hit = s.filter(p -> p.getFileName().toString().equals(name)).findFirst();
                if (hit.isPresent()) {
                    return hit.get();
                }
            }
        }
        throw new IOException(
                recording + ": no MNIST-DVS emulation sidecar " + beside.getFileName() + " found");
    }

    /** The source digit of a sidecar as a {@code width x height} target in [0, 1]. */
    public static float[] target(MnistDvsSidecar sidecar, int width, int height) {
        byte[] d = sidecar.target();
        int side = (int) Math.round(Math.sqrt(d.length));
        float[] src = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            src[i] = (d[i] & 0xFF) / 255f;
        }
        return resize(src, side, side, width, height);
    }

    /** Reference frames of all recordings (see the class comment). */
    public static List<ImageFrame> frames(
            List<Recording> recordings,
            Path searchRoot,
            int width,
            int height,
            long dtUs,
            long durationUs,
            int every)
            throws IOException {
        if (every < 1 || dtUs < 1) {
            throw new IllegalArgumentException("need every >= 1 and dtUs >= 1");
        }
        List<ImageFrame> out = new ArrayList<>();
        for (Recording r : recordings) {
            float[] px =
                    target(MnistDvsSidecar.read(sidecarOf(r.file(), searchRoot)), width, height);
            int n = 0;
            for (long j = every - 1; j * dtUs < durationUs && n < MAX_PER_STREAM; j += every, n++) {
                long start = j * dtUs;
                out.add(
                        new ImageFrame(
                                r.streamId(),
                                start,
                                start + dtUs,
                                width,
                                height,
                                1,
                                px,
                                "target",
                                0));
            }
        }
        out.sort(
                Comparator.comparingLong(ImageFrame::windowStartUs)
                        .thenComparing(ImageFrame::streamId));
        return out;
    }

    /**
     * Bilinear resampling with pixel centres aligned: output {@code (x, y)} samples the source at
     * {@code ((x + 0.5) sw / dw - 0.5, (y + 0.5) sh / dh - 0.5)}, clamped to the image.
     */
    public static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / dh - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            double ay = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / dw - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                double ax = fx - x0;
                double top = src[y0 * sw + x0] * (1 - ax) + src[y0 * sw + x1] * ax;
                double bottom = src[y1 * sw + x0] * (1 - ax) + src[y1 * sw + x1] * ax;
                out[y * dw + x] = (float) (top * (1 - ay) + bottom * ay);
            }
        }
        return out;
    }
}
