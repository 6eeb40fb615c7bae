package io.dvsflow.connectors.formats.aedat4;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;

/** STUB: to be implemented. */
public final class Aedat4Writer implements EventWriter {

    public Aedat4Writer(OutputStream out, WriterOptions options) throws IOException {
        throw new UnsupportedOperationException("Aedat4Writer is not implemented yet");
    }

    @Override
    public void write(EventPacket packet) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public EventFormat format() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() throws IOException {}
}
