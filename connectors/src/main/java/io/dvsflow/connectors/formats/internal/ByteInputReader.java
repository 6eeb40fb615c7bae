package io.dvsflow.connectors.formats.internal;

import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReadStatistics;
import io.dvsflow.connectors.formats.ReaderOptions;
import java.io.IOException;

/**
 * What every reader over a {@link ByteInput} shares: the input, the statistics, the stream id
 * ({@code options.streamId()}, else the source name) and the packet capacity, with the {@link
 * EventReader} accessors and {@link #close()}. Subclasses parse their header in their constructor
 * and decode in {@link #read}.
 */
public abstract class ByteInputReader implements EventReader {

    /** The input window. */
    protected final ByteInput in;

    /** Decoded and skipped counts. */
    protected final ReadStatistics stats = new ReadStatistics();

    private final String streamId;
    private final int packetCapacity;

    protected ByteInputReader(ByteInput in, ReaderOptions options) {
        this.in = in;
        this.streamId = options.streamId() != null ? options.streamId() : in.name();
        this.packetCapacity = options.packetCapacity();
    }

    @Override
    public final ReadStatistics statistics() {
        return stats;
    }

    @Override
    public final long position() {
        return in.offset();
    }

    @Override
    public final String streamId() {
        return streamId;
    }

    @Override
    public final int packetCapacity() {
        return packetCapacity;
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
