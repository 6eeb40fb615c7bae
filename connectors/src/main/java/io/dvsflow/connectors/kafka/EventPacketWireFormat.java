package io.dvsflow.connectors.kafka;

import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.EventPacketCodec;
import io.dvsflow.schemas.avro.AvroEventPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * {@link EventPacket} on the wire: the Avro {@code AvroEventPacket} record in Avro's single-object
 * encoding ({@code C3 01}, the 8-byte schema fingerprint, then the binary record), so a reader can
 * tell a packet from anything else on a topic.
 */
public final class EventPacketWireFormat {

    /** Largest message accepted, in bytes (bounds what a hostile record can make us allocate). */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private static final BinaryMessageEncoder<AvroEventPacket> ENCODER =
            AvroEventPacket.getEncoder();
    private static final BinaryMessageDecoder<AvroEventPacket> DECODER =
            AvroEventPacket.getDecoder();

    private EventPacketWireFormat() {}

    /** Encodes a packet's valid events. */
    public static byte[] encode(EventPacket packet) {
        try {
            ByteBuffer b = ENCODER.encode(EventPacketCodec.toAvro(packet));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + packet, e);
        }
    }

    /**
     * Decodes a message.
     *
     * @throws MalformedRecordException with the reason when the bytes are not a valid packet
     */
    public static EventPacket decode(byte[] message) throws MalformedRecordException {
        if (message == null) {
            throw new MalformedRecordException("record has no value (null)");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new MalformedRecordException(
                    "record of " + message.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        if (message.length < 10 || (message[0] & 0xFF) != 0xC3 || message[1] != 0x01) {
            throw new MalformedRecordException(
                    "not an Avro single-object encoded EventPacket (missing C3 01 header)");
        }
        AvroEventPacket avro;
        try {
            avro = DECODER.decode(message);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("undecodable Avro EventPacket: " + e.getMessage());
        }
        try {
            return EventPacketCodec.fromAvro(avro);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("inconsistent EventPacket: " + e.getMessage());
        }
    }
}
