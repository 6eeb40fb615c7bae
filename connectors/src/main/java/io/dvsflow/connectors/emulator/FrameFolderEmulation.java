package io.dvsflow.connectors.emulator;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Emulates a DVS watching a folder of PNG frames: the frames, sorted by file name, are shown one
 * after the other at {@code fps} and fed to a {@link DvsEmulator}, one frame in memory at a time.
 *
 * <ul>
 *   <li>Frame {@code k} (0-based in name order) has time {@code round(k 10^6 / fps)} µs.
 *   <li>Grey level: the pixel's luminance {@code Y = 0.299 R + 0.587 G + 0.114 B} (0..255; a grey
 *       image's stored value as it is, 16-bit grey scaled to 0..255), then linear intensity {@code
 *       I = (Y / 255)^2.2} (display gamma, as v2e for 8-bit video). Alpha is ignored.
 *   <li>Every frame must have the first frame's size; the sensor is that size.
 *   <li>Only names ending in {@code .png} (any case) are used; other files are ignored.
 *   <li>Bounds: at most {@link #MAX_FRAMES} frames, {@link DvsEmulator#MAX_PIXELS} pixels.
 * </ul>
 */
public final class FrameFolderEmulation {

    /** Most frames read from one folder. */
    public static final int MAX_FRAMES = 10_000_000;

    /** Display gamma from 8-bit luminance to linear intensity. */
    public static final double GAMMA = 2.2;

    private final EmulatorParameters params;
    private final long seed;

    /**
     * @param params pixel model
     * @param seed seed of the emulator
     */
    public FrameFolderEmulation(EmulatorParameters params, long seed) {
        this.params = params;
        this.seed = seed;
    }

    /** The PNG files of {@code dir}, sorted by name. */
    public static List<Path> frames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> frames =
                    s.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .toLowerCase(Locale.ROOT)
                                                    .endsWith(".png"))
                            .sorted((a, b) -> a.getFileName().compareTo(b.getFileName()))
                            .limit(MAX_FRAMES + 1L)
                            .toList();
            if (frames.size() > MAX_FRAMES) {
                throw new IOException(dir + ": more than " + MAX_FRAMES + " frames");
            }
            return frames;
        }
    }

    /** Size {@code [width, height]} of a PNG frame. */
    public static int[] size(Path frame) throws IOException {
        BufferedImage image = read(frame);
        return new int[] {image.getWidth(), image.getHeight()};
    }

    /** Progress callback: called after each frame with the number of frames done. */
    @FunctionalInterface
    public interface Progress {
        /** Frame {@code done} of {@code total} has been processed. */
        void frameDone(int done, int total);
    }

    /**
     * Emulates the frames of {@code dir} into {@code sink}.
     *
     * @param fps frames per second (positive)
     * @return the emulator, for its counters
     * @throws IOException when the folder holds no PNG, a frame cannot be read or differs in size
     */
    public DvsEmulator run(
            Path dir, double fps, String streamId, PacketSink sink, Progress progress)
            throws IOException {
        if (!(fps > 0) || fps > 1e6) {
            throw new IllegalArgumentException("fps must be in (0, 1e6], was " + fps);
        }
        List<Path> frames = frames(dir);
        if (frames.isEmpty()) {
            throw new IOException(dir + ": no .png frames");
        }
        DvsEmulator emulator = null;
        float[] intensity = null;
        int width = 0;
        int height = 0;
        for (int k = 0; k < frames.size(); k++) {
            BufferedImage image = read(frames.get(k));
            if (emulator == null) {
                width = image.getWidth();
                height = image.getHeight();
                emulator = new DvsEmulator(width, height, params, seed, streamId, 4096);
                intensity = new float[width * height];
            } else if (image.getWidth() != width || image.getHeight() != height) {
                throw new IOException(
                        frames.get(k)
                                + ": "
                                + image.getWidth()
                                + "x"
                                + image.getHeight()
                                + " differs from the first frame's "
                                + width
                                + "x"
                                + height);
            }
            toIntensity(image, intensity);
            emulator.process(intensity, Math.round(k * 1e6 / fps), sink);
            if (progress != null) {
                progress.frameDone(k + 1, frames.size());
            }
        }
        emulator.flush(sink);
        return emulator;
    }

    /** Fills {@code out} with the linear intensities of {@code image} (see the class docs). */
    static void toIntensity(BufferedImage image, float[] out) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        java.awt.image.Raster raster = image.getRaster();
        if (raster.getNumBands() <= 2) {
            // grey (+ alpha): the stored value is the grey level; getRGB would convert it through
            // a linear-grey colour space and change it
            int bits = image.getColorModel().getComponentSize(0);
            double max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) StrictMath.pow(row[x] / max, GAMMA);
                }
            }
            return;
        }
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                double lum =
                        0.299 * ((rgb >> 16) & 0xFF)
                                + 0.587 * ((rgb >> 8) & 0xFF)
                                + 0.114 * (rgb & 0xFF);
                out[y * w + x] = (float) StrictMath.pow(lum / 255.0, GAMMA);
            }
        }
    }

    private static BufferedImage read(Path frame) throws IOException {
        BufferedImage image = ImageIO.read(frame.toFile());
        if (image == null) {
            throw new IOException(frame + ": not a readable PNG image");
        }
        if ((long) image.getWidth() * image.getHeight() > DvsEmulator.MAX_PIXELS) {
            throw new IOException(frame + ": frame larger than " + DvsEmulator.MAX_PIXELS);
        }
        return image;
    }
}
