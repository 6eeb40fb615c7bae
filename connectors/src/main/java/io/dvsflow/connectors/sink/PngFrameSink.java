package io.dvsflow.connectors.sink;

import io.dvsflow.schemas.avro.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes each frame as a PNG file {@code DIR/<stream>/<kind>_<windowStartUs>.png} (the stream id
 * made file-name safe, the window start zero-padded to 13 digits so names sort by time).
 *
 * <p>Names are a function of the frame, and each file is written to a temporary name then moved
 * into place, so a job that replays frames after a restore rewrites identical files: the folder
 * ends up the same as after an undisturbed run.
 */
public final class PngFrameSink implements Sink<Frame> {

    private static final long serialVersionUID = 1L;

    private final String dir;
    private final int scale;

    /**
     * @param dir output folder (created)
     * @param scale enlargement per pixel (1 or more)
     */
    public PngFrameSink(Path dir, int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("scale must be in [1, 64], was " + scale);
        }
        this.dir = dir.toAbsolutePath().toString();
        this.scale = scale;
    }

    /** The file a frame is written to under {@code dir}. */
    public static Path fileFor(Path dir, Frame frame) {
        return dir.resolve(safe(frame.getStreamId()))
                .resolve(
                        String.format(
                                "%s_%013d.png", safe(frame.getKind()), frame.getWindowStartUs()));
    }

    /**
     * A file-name-safe form of a stream id: characters other than {@code [A-Za-z0-9._-]} become
     * {@code _}.
     */
    public static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    @Override
    public SinkWriter<Frame> createWriter(WriterInitContext context) throws IOException {
        Counter written = context.metricGroup().counter("framesWritten");
        Path root = Path.of(dir);
        Files.createDirectories(root);
        return new SinkWriter<>() {
            @Override
            public void write(Frame frame, Context ctx) throws IOException {
                Path target = fileFor(root, frame);
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.write(tmp, FramePngEncoder.png(frame, scale));
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                written.inc();
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
