package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.schemas.EventPacket;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow render FILE --window 50ms --out DIR}: accumulated event images as PNG.
 *
 * <p>Windows are half-open and aligned: window {@code k} holds the events with {@code k * w <= t <
 * (k + 1) * w} (t and w in µs). Pixel colour: ON events in green, OFF events in red, each channel
 * {@code 255 * min(1, count / saturation)} over a black background.
 */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
            "Write accumulated event images as PNG files (ON green, OFF red), one per time"
                    + " window, so a person can look at a recording.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow render recording.aedat --window 50ms --out frames/"
        })
final class RenderCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "50ms",
            converter = DurationConverter.class,
            description = "Window length, e.g. 20ms, 1s (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for frame_NNNNNN.png (created).")
    Path outDir;

    @Option(
            names = "--saturation",
            paramLabel = "N",
            defaultValue = "3",
            description = "Events per pixel that give full colour (default: ${DEFAULT-VALUE}).")
    int saturation;

    @Option(
            names = "--scale",
            paramLabel = "K",
            defaultValue = "0",
            description = "Enlarge each pixel K times (default: 0, enough to be at least 256 px).")
    int scale;

    @Option(
            names = "--max-frames",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Stop after N frames (default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws IOException {
        CliFiles.requireReadable(file);
        if (saturation < 1 || maxFrames < 1 || scale < 0) {
            throw new IllegalArgumentException(
                    "--saturation and --max-frames must be at least 1 and --scale at least 0");
        }
        ReaderOptions options = readerOptions.toOptions();
        RecordingSummary summary = RecordingSummary.scan(file, options);
        if (summary.events() == 0) {
            spec.commandLine().getOut().println("no events in " + file + "; nothing rendered");
            return 0;
        }
        int width = summary.effectiveWidth();
        int height = summary.effectiveHeight();
        int k = scale > 0 ? scale : Math.max(1, (int) Math.ceil(256.0 / Math.max(width, height)));
        Files.createDirectories(outDir);
        long windowUs = Math.max(1, window.toNanos() / 1000);
        int[] on = new int[width * height];
        int[] off = new int[width * height];
        long current = Math.floorDiv(summary.tFirstUs(), windowUs);
        int frames = 0;
        try (EventReader reader = EventFormats.open(file, options);
                ProgressBar bar = ProgressBar.create("render", Files.size(file), "B", false)) {
            EventPacket packet = reader.newPacket();
            outer:
            while (reader.read(packet)) {
                bar.set(reader.position());
                long[] t = packet.timestamps();
                short[] xs = packet.xs();
                short[] ys = packet.ys();
                byte[] ps = packet.polarities();
                for (int i = 0; i < packet.size(); i++) {
                    long w = Math.floorDiv(t[i], windowUs);
                    while (w > current) {
                        write(frames++, on, off, width, height, k);
                        if (frames >= maxFrames) {
                            break outer;
                        }
                        Arrays.fill(on, 0);
                        Arrays.fill(off, 0);
                        current++;
                    }
                    int x = xs[i];
                    int y = ys[i];
                    if (x < 0 || y < 0 || x >= width || y >= height) {
                        continue;
                    }
                    if (ps[i] != 0) {
                        on[y * width + x]++;
                    } else {
                        off[y * width + x]++;
                    }
                }
            }
            if (frames < maxFrames) {
                write(frames++, on, off, width, height, k);
            }
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %d frames (%d x %d, %s windows) to %s%n",
                        frames, width * k, height * k, window, outDir);
        return 0;
    }

    private void write(int index, int[] on, int[] off, int width, int height, int k)
            throws IOException {
        BufferedImage image = new BufferedImage(width * k, height * k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int g = 255 * Math.min(saturation, on[y * width + x]) / saturation;
                int r = 255 * Math.min(saturation, off[y * width + x]) / saturation;
                int rgb = (r << 16) | (g << 8);
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        image.setRGB(x * k + dx, y * k + dy, rgb);
                    }
                }
            }
        }
        ImageIO.write(
                image, "png", outDir.resolve(String.format("frame_%06d.png", index)).toFile());
    }
}
