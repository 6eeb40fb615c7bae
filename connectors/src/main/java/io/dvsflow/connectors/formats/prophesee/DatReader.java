package io.dvsflow.connectors.formats.prophesee;

import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReadStatistics;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingInfo;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;

/** STUB: to be implemented. */
public final class DatReader implements EventReader {

    public DatReader(InputStream in, String sourceName, ReaderOptions options) throws IOException {
        throw new UnsupportedOperationException("DatReader is not implemented yet");
    }

    @Override
    public RecordingInfo info() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean read(EventPacket out) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public ReadStatistics statistics() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String streamId() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int packetCapacity() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() throws IOException {}
}
