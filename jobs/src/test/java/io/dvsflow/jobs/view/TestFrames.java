package io.dvsflow.jobs.view;

import io.dvsflow.connectors.sink.FramePngEncoder;
import io.dvsflow.connectors.sink.PngFrameSink;
import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small frames with visible structure, and PNG files of them laid out as PngFrameSink does. */
final class TestFrames {

    static final int W = 32;
    static final int H = 24;

    private TestFrames() {}

    /**
     * A 1-channel FLOAT32 frame: a diagonal gradient {@code v = (x + y + phase) mod 16}, so it is
     * never constant and changes with {@code phase}.
     */
    static Frame gradient(String stream, String kind, long windowStartUs, int phase) {
        ByteBuffer b = ByteBuffer.allocate(W * H * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                b.putFloat((x + y + phase) % 16);
            }
        }
        b.flip();
        return Frame.newBuilder()
                .setStreamId(stream)
                .setKind(kind)
                .setWindowStartUs(windowStartUs)
                .setWindowEndUs(windowStartUs + 50_000)
                .setWidth(W)
                .setHeight(H)
                .setChannels(1)
                .setPixelType(PixelType.FLOAT32)
                .setPixels(b)
                .setModelVersion(kind.equals("vdib") ? 7L : null)
                .setEventCount(123)
                .build();
    }

    /** Writes the frame's PNG (scale 4) where PngFrameSink would, via a temporary file. */
    static Path write(Path dir, Frame frame) throws IOException {
        Path target = PngFrameSink.fileFor(dir, frame);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, FramePngEncoder.png(frame, 4));
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
