package io.dvsflow.connectors.formats.aedat4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.formats.WriterOptions.Compression;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writer -> reader round trips for every compression, and the writer's byte layout. */
class Aedat4WriterTest {

    private static final int WIDTH = 346;
    private static final int HEIGHT = 260;
    private static final long T0 = 1_700_000_000_000_000L;

    /** Seeded events in the sensor, non-decreasing time, some equal timestamps. */
    private static EventPacket events(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EventPacket p = new EventPacket("mem", WIDTH, HEIGHT, n);
        long t = T0;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(3);
            p.add(t, r.nextInt(WIDTH), r.nextInt(HEIGHT), r.nextInt(2));
        }
        return p;
    }

    private static byte[] write(WriterOptions options, EventPacket... packets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EventWriter w = EventFormats.writer(bytes, EventFormat.AEDAT4, options)) {
            for (EventPacket p : packets) {
                w.write(p);
            }
        }
        return bytes.toByteArray();
    }

    private static EventPacket read(byte[] bytes, int capacity) throws IOException {
        try (Aedat4Reader reader =
                Aedat4ReaderTest.open(
                        bytes, ReaderOptions.defaults().withPacketCapacity(capacity))) {
            return Aedat4ReaderTest.readAll(reader);
        }
    }

    private static WriterOptions options(Compression c, int perPacket) {
        return WriterOptions.of(WIDTH, HEIGHT)
                .withDevice("DAVIS346 <test> & \"co\"")
                .withCompression(c)
                .withEventsPerPacket(perPacket);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsManyPacketsExactly(Compression c) throws IOException {
        EventPacket in = events(2_500, 1);
        EventPacket first =
                EventPacket.wrap(
                        "mem",
                        WIDTH,
                        HEIGHT,
                        in.timestamps(),
                        in.xs(),
                        in.ys(),
                        in.polarities(),
                        1_000);
        EventPacket rest = new EventPacket("mem", WIDTH, HEIGHT, 1_500);
        for (int i = 1_000; i < 2_500; i++) {
            rest.add(in.t(i), in.x(i), in.y(i), in.p(i));
        }
        byte[] bytes = write(options(c, 300), first, rest);
        try (Aedat4Reader reader = Aedat4ReaderTest.open(bytes, ReaderOptions.defaults())) {
            assertThat(reader.info().width()).isEqualTo(WIDTH);
            assertThat(reader.info().height()).isEqualTo(HEIGHT);
            assertThat(reader.info().device()).isEqualTo("DAVIS346 <test> & \"co\"");
            assertThat(reader.info().metadata())
                    .containsEntry("compression", c.name())
                    .containsEntry("dataTablePosition", "-1")
                    .containsEntry("streams", "0:EVTS 346x260");
            assertThat(Aedat4ReaderTest.readAll(reader)).isEqualTo(in);
            assertThat(reader.statistics().skippedTotal()).isZero();
            assertThat(reader.position()).isEqualTo(bytes.length);
        }
        // 2500 events in packets of 300: 9 file packets (8 full, one of 100)
        assertThat(packetSizes(bytes).length).isEqualTo(9);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void filePacketLargerThanTheReadCapacityIsSplit(Compression c) throws IOException {
        // 20000 events: a 320 KiB flatbuffer, five 64 KiB LZ4 blocks
        EventPacket in = events(20_000, 2);
        byte[] bytes = write(options(c, 20_000), in);
        assertThat(packetSizes(bytes).length).isEqualTo(1);
        try (Aedat4Reader reader =
                Aedat4ReaderTest.open(bytes, ReaderOptions.defaults().withPacketCapacity(4096))) {
            EventPacket p = reader.newPacket();
            EventPacket all = new EventPacket("mem", WIDTH, HEIGHT, 16);
            int reads = 0;
            while (reader.read(p)) {
                assertThat(p.size()).isLessThanOrEqualTo(4096);
                all.addAll(p);
                reads++;
            }
            assertThat(reads).isEqualTo(5); // ceil(20000 / 4096)
            assertThat(all).isEqualTo(in);
        }
    }

    @Test
    void writerPacketLayoutMatchesTheSchema() throws IOException {
        // two events, uncompressed: check the bytes against the schema by hand
        EventPacket in =
                EventPacket.builder("mem", WIDTH, HEIGHT).on(T0, 5, 6).off(T0 + 1, 7, 8).build();
        byte[] bytes = write(options(Compression.NONE, 10), in);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 14, StandardCharsets.US_ASCII))
                .isEqualTo("#!AER-DAT4.0\r\n");
        int headerLength = b.getInt(14);
        int h = 18; // IOHeader
        assertThat(new String(bytes, h + 4, 4, StandardCharsets.US_ASCII)).isEqualTo("IOHE");
        int table = h + b.getInt(h);
        int vtable = table - b.getInt(table);
        // field 0 compression (int32), field 1 dataTablePosition (int64)
        assertThat(b.getInt(table + b.getShort(vtable + 4))).isZero();
        int position = table + b.getShort(vtable + 6);
        assertThat(b.getLong(position)).isEqualTo(-1L);
        // int64 aligned counting from the length field at byte 14, as flatc lays out DV's files
        assertThat((position - 14) % 8).isZero();
        assertThat((18 + headerLength - 14) % 8).isZero();
        int p = h + headerLength; // packet header
        assertThat(b.getInt(p)).isZero(); // stream 0
        assertThat(b.getInt(p + 4)).isEqualTo(32 + 2 * 16);
        int f = p + 8; // size-prefixed flatbuffer
        assertThat(b.getInt(f)).isEqualTo(28 + 2 * 16);
        assertThat(new String(bytes, f + 8, 4, StandardCharsets.US_ASCII)).isEqualTo("EVTS");
        int t = f + 4 + b.getInt(f + 4);
        int vt = t - b.getInt(t);
        int field = t + b.getShort(vt + 4);
        int vector = field + b.getInt(field);
        assertThat(b.getInt(vector)).isEqualTo(2);
        int e1 = vector + 4 + 16; // second struct
        assertThat((e1 - f) % 8).isZero(); // int64 aligned within the buffer
        assertThat(b.getLong(e1)).isEqualTo(T0 + 1);
        assertThat(b.getShort(e1 + 8)).isEqualTo((short) 7);
        assertThat(b.getShort(e1 + 10)).isEqualTo((short) 8);
        assertThat(bytes[e1 + 12]).isZero();
        assertThat(bytes[e1 - 16 + 12]).isEqualTo((byte) 1);
        assertThat(bytes.length).isEqualTo(e1 + 16);
    }

    @Test
    void lz4PacketsAreStandardFramesAndZstdPacketsStandardFrames() throws IOException {
        EventPacket in = events(5_000, 3);
        for (Compression c : new Compression[] {Compression.LZ4, Compression.ZSTD}) {
            byte[] bytes = write(options(c, 5_000), in);
            int[] packet = packetSizes(bytes)[0];
            byte[] raw;
            if (c == Compression.LZ4) {
                try (var s =
                        new LZ4FrameInputStream(
                                new ByteArrayInputStream(bytes, packet[0], packet[1]))) {
                    raw = s.readAllBytes();
                }
            } else {
                raw =
                        Zstd.decompress(
                                Arrays.copyOfRange(bytes, packet[0], packet[0] + packet[1]),
                                32 + 16 * 5_000);
            }
            ByteBuffer r = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(raw).hasSize(32 + 16 * 5_000);
            assertThat(r.getInt(0)).isEqualTo(raw.length - 4);
            assertThat(new String(raw, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("EVTS");
            // last event, read at the end of the decompressed buffer
            assertThat(r.getLong(raw.length - 16)).isEqualTo(in.t(4_999));
            assertThat(r.getShort(raw.length - 8)).isEqualTo((short) in.x(4_999));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void sameInputGivesSameBytes(Compression c) throws IOException {
        EventPacket in = events(3_000, 4);
        assertThat(write(options(c, 1_000), in)).isEqualTo(write(options(c, 1_000), in.copy()));
    }

    @Test
    void emptyRecordingHasOnlyTheHeader() throws IOException {
        byte[] bytes = write(WriterOptions.of(128, 128));
        try (Aedat4Reader reader = Aedat4ReaderTest.open(bytes, ReaderOptions.defaults())) {
            assertThat(reader.info().width()).isEqualTo(128);
            assertThat(reader.read(reader.newPacket())).isFalse();
        }
    }

    @Test
    void rejectsEventsOutsideTheSensorOrBackInTime() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Aedat4Writer w = new Aedat4Writer(sink, WriterOptions.of(10, 10))) {
            assertThatThrownBy(() -> w.write(EventPacket.builder("a", 10, 10).on(1, 10, 0).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the 10x10 sensor");
            w.write(EventPacket.builder("a", 10, 10).on(5, 1, 1).build());
            assertThatThrownBy(() -> w.write(EventPacket.builder("a", 10, 10).on(4, 1, 1).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("precedes");
            assertThat(w.format()).isEqualTo(EventFormat.AEDAT4);
        }
    }

    @Test
    void truncatedCompressedFileFailsAtTheCutPacket() throws IOException {
        EventPacket in = events(900, 5);
        byte[] bytes = write(options(Compression.LZ4, 300), in);
        int[][] packets = packetSizes(bytes);
        int cut = packets[2][0] + packets[2][1] / 2; // inside the third packet's data
        long third = packets[2][0] - 8;
        try (Aedat4Reader reader =
                Aedat4ReaderTest.open(Arrays.copyOf(bytes, cut), ReaderOptions.defaults())) {
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(600);
            assertThatThrownBy(() -> reader.read(p))
                    .isInstanceOf(EventFormatException.class)
                    .extracting(e -> ((EventFormatException) e).offset())
                    .isEqualTo(third);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"LZ4", "ZSTD"})
    void corruptCompressedDataFailsWithThePacketOffset(Compression c) throws IOException {
        byte[] good = write(options(c, 16), events(32, 6));
        int[][] packets = packetSizes(good);
        long second = packets[1][0] - 8;
        // the frame magic
        byte[] magic = good.clone();
        magic[packets[1][0]] ^= 0x55;
        assertThat(errorOffset(magic)).isEqualTo(second);
        // every byte of the second packet's data, inverted in turn: a format error or events, and
        // an error always names the second packet
        for (int i = packets[1][0]; i < packets[1][0] + packets[1][1]; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) 0xFF;
            try (Aedat4Reader reader = Aedat4ReaderTest.open(bad, ReaderOptions.defaults())) {
                Aedat4ReaderTest.readAll(reader);
            } catch (EventFormatException e) {
                assertThat(e.offset()).isEqualTo(second);
            }
        }
    }

    private static long errorOffset(byte[] bytes) throws IOException {
        try (Aedat4Reader reader = Aedat4ReaderTest.open(bytes, ReaderOptions.defaults())) {
            Aedat4ReaderTest.readAll(reader);
        } catch (EventFormatException e) {
            return e.offset();
        }
        throw new AssertionError("no EventFormatException");
    }

    /** {data offset, size} of each packet, walking the packet headers. */
    private static int[][] packetSizes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int p = 18 + b.getInt(14);
        java.util.List<int[]> out = new java.util.ArrayList<>();
        while (p < bytes.length) {
            int size = b.getInt(p + 4);
            out.add(new int[] {p + 8, size});
            p += 8 + size;
        }
        return out.toArray(new int[0][]);
    }
}
