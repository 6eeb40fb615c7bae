package io.dvsflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.avro.AvroEventPacket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class EventPacketCodecTest {

    private static final long T0 = 1_000_000L;

    @Test
    void encodesDeltasCoordinatesAndPolarityAsTheSchemaDocumentSays() {
        EventPacket packet =
                EventPacket.builder("cam0", 128, 128)
                        .on(T0, 1, 2)
                        .off(T0 + 3, 300, 4)
                        .on(T0 + 1, 5, 6) // a step back of 2 us
                        .build();

        AvroEventPacket avro = EventPacketCodec.toAvro(packet);

        assertThat(avro.getCount()).isEqualTo(3);
        assertThat(avro.getTBaseUs()).isEqualTo(T0);
        // deltas +3 and -2, zig-zag: 3 -> 6, -2 -> 3; each fits one LEB128 byte
        assertThat(bytes(avro.getTDeltas())).containsExactly(6, 3);
        // x=300 is 0x012C little-endian: 0x2C, 0x01
        assertThat(bytes(avro.getXy())).containsExactly(1, 0, 2, 0, 0x2C, 0x01, 4, 0, 5, 0, 6, 0);
        // polarity bits 1,0,1 -> 0b101
        assertThat(bytes(avro.getPolarity())).containsExactly(0b101);
    }

    @Test
    void roundTripsThroughAvroBinaryEncoding() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        EventPacket packet = new EventPacket("stream-7", 1280, 720, 10);
        long t = 5_000_000_000L; // beyond 32 bits
        for (int i = 0; i < 5000; i++) {
            t += random.nextInt(-3, 2000);
            packet.add(t, random.nextInt(1280), random.nextInt(720), random.nextInt(2));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AvroEventPacket.class)
                .write(EventPacketCodec.toAvro(packet), encoder);
        encoder.flush();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
        AvroEventPacket back = new SpecificDatumReader<>(AvroEventPacket.class).read(null, decoder);

        assertThat(EventPacketCodec.fromAvro(back)).isEqualTo(packet);
        // compact: well under the 13 bytes per event of the plain columns
        assertThat(out.size()).isLessThan(8 * packet.size());
    }

    @Test
    void emptyPacketRoundTrips() {
        EventPacket empty = new EventPacket("e", 0, 0, 0);
        assertThat(EventPacketCodec.fromAvro(EventPacketCodec.toAvro(empty))).isEqualTo(empty);
    }

    @Test
    void rejectsInconsistentRecordsWithoutHugeAllocations() {
        AvroEventPacket good =
                EventPacketCodec.toAvro(EventPacket.builder("s", 4, 4).on(1, 1, 1).build());
        AvroEventPacket huge = AvroEventPacket.newBuilder(good).setCount(Integer.MAX_VALUE).build();
        assertThatThrownBy(() -> EventPacketCodec.fromAvro(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        AvroEventPacket shortXy =
                AvroEventPacket.newBuilder(good).setXy(ByteBuffer.wrap(new byte[3])).build();
        assertThatThrownBy(() -> EventPacketCodec.fromAvro(shortXy))
                .hasMessageContaining("xy holds 3 bytes, expected 4");
        AvroEventPacket truncatedDeltas =
                AvroEventPacket.newBuilder(good)
                        .setCount(2)
                        .setXy(ByteBuffer.wrap(new byte[8]))
                        .setTDeltas(ByteBuffer.wrap(new byte[] {(byte) 0x80}))
                        .build();
        assertThatThrownBy(() -> EventPacketCodec.fromAvro(truncatedDeltas))
                .hasMessageContaining("truncated");
    }

    private static int[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        int[] out = new int[d.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get() & 0xFF;
        }
        return out;
    }
}
