package io.dvsflow.connectors.formats;

import java.util.Objects;

/**
 * How to read a recording: options that a file cannot say about itself.
 *
 * <p>Defaults (chosen so that a file read and written back by dvsflow round-trips, and documented
 * in connectors/README.md):
 *
 * <ul>
 *   <li>{@code format}: {@code null}, detect by content;
 *   <li>{@code aedat2Layout}: {@link Aedat2Layout#AUTO};
 *   <li>{@code rawOneIsOn}: {@code true}: in AEDAT 1.0/2.0 a raw polarity bit of 1 is ON (the
 *       iniVation documentation; jAER's DVS128 extractor uses the opposite convention, select it
 *       with {@code false});
 *   <li>{@code flipX}, {@code flipY}: {@code false}: coordinates as stored ({@code x' = width - 1 -
 *       x} when set);
 *   <li>{@code packetCapacity}: {@link io.dvsflow.schemas.EventPacket#DEFAULT_CAPACITY} events per
 *       packet;
 *   <li>{@code streamId}: {@code null}, the file name.
 * </ul>
 *
 * <pre>{@code
 * ReaderOptions options = ReaderOptions.defaults().withLayout(Aedat2Layout.DAVIS).withFlipY(true);
 * }</pre>
 *
 * @param format the format to assume instead of detecting it, or {@code null}
 * @param aedat2Layout address layout for AEDAT 1.0 / 2.0
 * @param rawOneIsOn AEDAT 1.0 / 2.0 polarity convention
 * @param flipX mirror x ({@code width - 1 - x})
 * @param flipY mirror y ({@code height - 1 - y})
 * @param packetCapacity maximum events per packet
 * @param streamId stream id put on packets, or {@code null} for the file name
 */
public record ReaderOptions(
        EventFormat format,
        Aedat2Layout aedat2Layout,
        boolean rawOneIsOn,
        boolean flipX,
        boolean flipY,
        int packetCapacity,
        String streamId)
        implements java.io.Serializable {

    /** Largest packet capacity accepted, to bound allocation. */
    public static final int MAX_PACKET_CAPACITY = 1 << 22;

    public ReaderOptions {
        Objects.requireNonNull(aedat2Layout, "aedat2Layout");
        if (packetCapacity < 1 || packetCapacity > MAX_PACKET_CAPACITY) {
            throw new IllegalArgumentException(
                    "packetCapacity must be in [1, "
                            + MAX_PACKET_CAPACITY
                            + "], was "
                            + packetCapacity);
        }
    }

    /** The documented defaults. */
    public static ReaderOptions defaults() {
        return new ReaderOptions(
                null,
                Aedat2Layout.AUTO,
                true,
                false,
                false,
                io.dvsflow.schemas.EventPacket.DEFAULT_CAPACITY,
                null);
    }

    public ReaderOptions withFormat(EventFormat f) {
        return new ReaderOptions(
                f, aedat2Layout, rawOneIsOn, flipX, flipY, packetCapacity, streamId);
    }

    public ReaderOptions withLayout(Aedat2Layout l) {
        return new ReaderOptions(format, l, rawOneIsOn, flipX, flipY, packetCapacity, streamId);
    }

    public ReaderOptions withRawOneIsOn(boolean v) {
        return new ReaderOptions(format, aedat2Layout, v, flipX, flipY, packetCapacity, streamId);
    }

    public ReaderOptions withFlipX(boolean v) {
        return new ReaderOptions(
                format, aedat2Layout, rawOneIsOn, v, flipY, packetCapacity, streamId);
    }

    public ReaderOptions withFlipY(boolean v) {
        return new ReaderOptions(
                format, aedat2Layout, rawOneIsOn, flipX, v, packetCapacity, streamId);
    }

    public ReaderOptions withPacketCapacity(int c) {
        return new ReaderOptions(format, aedat2Layout, rawOneIsOn, flipX, flipY, c, streamId);
    }

    public ReaderOptions withStreamId(String id) {
        return new ReaderOptions(
                format, aedat2Layout, rawOneIsOn, flipX, flipY, packetCapacity, id);
    }
}
