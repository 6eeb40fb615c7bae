package io.dvsflow.connectors.formats;

import java.util.Objects;

/**
 * How to write a recording.
 *
 * @param width sensor width in pixels written into the header
 * @param height sensor height in pixels written into the header
 * @param device camera or chip name written into the header (e.g. {@code DVS128})
 * @param compression AEDAT 4.0 packet compression; ignored by other formats
 * @param eventsPerPacket events per file packet for packetized formats (AEDAT 3.1, 4.0)
 */
public record WriterOptions(
        int width, int height, String device, Compression compression, int eventsPerPacket) {

    /** AEDAT 4.0 packet compression. */
    public enum Compression {
        NONE,
        LZ4,
        ZSTD
    }

    public WriterOptions {
        if (width <= 0 || height <= 0 || width > 32767 || height > 32767) {
            throw new IllegalArgumentException(
                    "sensor size must be in [1, 32767], was " + width + "x" + height);
        }
        Objects.requireNonNull(compression, "compression");
        device = device == null ? "" : device;
        if (eventsPerPacket < 1 || eventsPerPacket > (1 << 20)) {
            throw new IllegalArgumentException(
                    "eventsPerPacket must be in [1, 1048576], was " + eventsPerPacket);
        }
    }

    /** Options for a sensor of the given size, no compression, 4096 events per packet. */
    public static WriterOptions of(int width, int height) {
        return new WriterOptions(width, height, "", Compression.NONE, 4096);
    }

    public WriterOptions withDevice(String d) {
        return new WriterOptions(width, height, d, compression, eventsPerPacket);
    }

    public WriterOptions withCompression(Compression c) {
        return new WriterOptions(width, height, device, c, eventsPerPacket);
    }

    public WriterOptions withEventsPerPacket(int n) {
        return new WriterOptions(width, height, device, compression, n);
    }
}
