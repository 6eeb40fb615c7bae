package io.dvsflow.connectors.emulator;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;

/**
 * Receives the packets a producer (the {@link DvsEmulator}) fills. The packet is reused after the
 * call returns: a sink that keeps events must {@link EventPacket#copy()} them or write them out (an
 * {@code EventWriter::write} is a valid sink).
 */
@FunctionalInterface
public interface PacketSink {

    /** Takes the valid events of {@code packet}; may throw to stop the producer. */
    void accept(EventPacket packet) throws IOException;
}
