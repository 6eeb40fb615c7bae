package io.dvsflow.connectors.formats.aedat2;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;

/** STUB: to be implemented. */
public final class Aedat2Writer implements EventWriter {

    public Aedat2Writer(OutputStream out, WriterOptions options) throws IOException {
        throw new UnsupportedOperationException("Aedat2Writer is not implemented yet");
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
