package io.dvsflow.connectors.formats;

import io.dvsflow.schemas.EventPacket;
import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the events of one recording in packets of bounded size.
 *
 * <p>A reader parses the header when it is created ({@link #info()}), then decodes the body on
 * demand. Memory stays bounded by the input buffer and the packet the caller passes: no reader
 * holds a whole file.
 *
 * <pre>{@code
 * try (EventReader reader = EventFormats.open(path, ReaderOptions.defaults())) {
 *     EventPacket packet = reader.newPacket();
 *     while (reader.read(packet)) {
 *         process(packet);
 *     }
 * }
 * }</pre>
 */
public interface EventReader extends Closeable {

    /** What the header says: format, version, sensor size, device. */
    RecordingInfo info();

    /**
     * Clears {@code out} and fills it with the next events, at most {@code out.capacity()} (the
     * packet never grows), in file order. Sets the packet's stream id and sensor geometry.
     *
     * @return {@code true} when at least one event was placed, {@code false} at the end of the
     *     input (then {@code out} is empty)
     * @throws EventFormatException when the input breaks the format, naming the source and offset
     */
    boolean read(EventPacket out) throws IOException;

    /** Counts of decoded events and skipped items so far. */
    ReadStatistics statistics();

    /** Byte offset from the start of the input up to which events have been decoded. */
    long position();

    /** The stream id this reader puts on its packets. */
    String streamId();

    /** A packet sized by the reader's options, with its stream id and geometry. */
    default EventPacket newPacket() {
        RecordingInfo info = info();
        return new EventPacket(streamId(), info.width(), info.height(), packetCapacity());
    }

    /** Events per packet from the reader's options. */
    int packetCapacity();
}
