package io.dvsflow.connectors.formats;

import io.dvsflow.schemas.EventPacket;
import java.io.Closeable;
import java.io.IOException;

/**
 * Writes events to a recording of one format. Packets must come in non-decreasing time order where
 * the format requires it; {@link #close()} finishes the file (trailers, tables) and closes the
 * stream.
 */
public interface EventWriter extends Closeable {

    /** Appends the valid events of {@code packet}. */
    void write(EventPacket packet) throws IOException;

    /** The format written. */
    EventFormat format();
}
