package io.dvsflow.operators.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EventPacketSerializerTest {

    private static final EventPacket PACKET =
            EventPacket.builder("cam-ü", 346, 260)
                    .on(1L, 0, 0)
                    .off(Long.MAX_VALUE, 345, 259)
                    .on(-5L, 300, 7)
                    .build();

    private static byte[] bytes(TypeSerializer<EventPacket> s, EventPacket p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(p, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void roundTripsPacketsOfAnySize() throws IOException {
        EventPacketSerializer s = new EventPacketSerializer();
        EventPacket big = new EventPacket("big", 128, 128, 10);
        for (int i = 0; i < 5_000; i++) {
            big.add(1_000L * i, i % 128, (i / 128) % 128, i & 1);
        }
        for (EventPacket p : new EventPacket[] {PACKET, big, new EventPacket("empty", 0, 0, 4)}) {
            EventPacket back = s.deserialize(new DataInputDeserializer(bytes(s, p)));
            assertThat(back).isEqualTo(p);
            assertThat(back.capacity()).isEqualTo(p.size());
        }
    }

    @Test
    void layoutIsHeaderThenLittleEndianColumns() throws IOException {
        EventPacket one = EventPacket.builder("a", 2, 3).on(0x0102030405060708L, 0x0A0B, 1).build();
        byte[] b = bytes(new EventPacketSerializer(), one);
        // StringValue "a": length+1 = 2 as one byte, then 'a'; width 2, height 3, size 1 big-endian
        byte[] header = {2, 'a', 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1};
        // body: t little-endian, x = 0x0A0B little-endian, y = 1, p = 1
        byte[] body = {8, 7, 6, 5, 4, 3, 2, 1, 0x0B, 0x0A, 1, 0, 1};
        byte[] expected = new byte[header.length + body.length];
        System.arraycopy(header, 0, expected, 0, header.length);
        System.arraycopy(body, 0, expected, header.length, body.length);
        assertThat(b).containsExactly(expected);
    }

    @Test
    void copiesAreDeepAndStreamCopyIsExact() throws IOException {
        EventPacketSerializer s = new EventPacketSerializer();
        EventPacket copy = s.copy(PACKET);
        assertThat(copy).isEqualTo(PACKET);
        copy.timestamps()[0] = 99;
        assertThat(PACKET.t(0)).isEqualTo(1L);

        byte[] original = bytes(s, PACKET);
        DataOutputSerializer out = new DataOutputSerializer(16);
        s.copy(new DataInputDeserializer(original), out);
        assertThat(out.getCopyOfBuffer()).containsExactly(original);
    }

    @Test
    void corruptSizeIsRejectedWithoutAllocating() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        out.write(new byte[] {2, 'a'});
        out.writeInt(1);
        out.writeInt(1);
        out.writeInt(Integer.MAX_VALUE); // hostile size
        assertThatThrownBy(
                        () ->
                                new EventPacketSerializer()
                                        .deserialize(
                                                new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("size " + Integer.MAX_VALUE);
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializer<EventPacket> s =
                EventPacketTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
        TypeSerializerSnapshot<EventPacket> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(s);
        assertThat(
                        s.snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(s.duplicate()).isNotSameAs(s).isEqualTo(s);
    }
}
