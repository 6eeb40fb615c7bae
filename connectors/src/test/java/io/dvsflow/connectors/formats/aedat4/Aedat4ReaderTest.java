package io.dvsflow.connectors.formats.aedat4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decodes a minimal AEDAT 4.0 file laid out byte by byte below (uncompressed, one EVTS stream 0 of
 * 8x4 pixels, one TRIG stream 1), and checks every kind of broken input.
 */
class Aedat4ReaderTest {

    private static final long T0 = 1_600_000_000_000_000L; // Unix time in µs

    /** The stream description: stream 0 EVTS 8x4 from "Test", stream 1 TRIG. */
    private static final String XML =
            "<dv version=\"2.0\"><node name=\"outInfo\">"
                    + "<node name=\"0\"><attr key=\"typeIdentifier\" type=\"string\">EVTS</attr>"
                    + "<node name=\"info\"><attr key=\"sizeX\" type=\"int\">8</attr>"
                    + "<attr key=\"sizeY\" type=\"int\">4</attr>"
                    + "<attr key=\"source\" type=\"string\">Test</attr></node></node>"
                    + "<node name=\"1\"><attr key=\"typeIdentifier\" type=\"string\">TRIG</attr>"
                    + "</node></node></dv>";

    /** Where the first packet starts: 14 (magic) + 4 (length) + IOHeader. */
    private static final int FIRST_PACKET = 18 + ioHeader(-1).length;

    /**
     * IOHeader flatbuffer (no size prefix: the file stores its length before it). This layout puts
     * the vtable <em>after</em> the table (negative soffset), unlike {@link Aedat4Writer}.
     *
     * <pre>
     *  0 uint32 root offset 12           -> table at 12
     *  4 "IOHE"
     *  8 4 bytes padding
     * 12 table: int32 soffset -20        -> vtable at 12 - (-20) = 32
     * 16   int32 compression 0 (None)    field 0 at table + 4
     * 20   uint32 string offset 24       -> string at 20 + 24 = 44; field 2 at table + 8
     * 24   int64 dataTablePosition       field 1 at table + 12
     * 32 vtable: uint16 10 (bytes), uint16 20 (table bytes), uint16 4, 12, 8 (fields 0, 1, 2)
     * 42 2 bytes padding
     * 44 uint32 L, L bytes of XML, 0 terminator
     * </pre>
     */
    private static byte[] ioHeader(long dataTablePosition) {
        return ioHeader(dataTablePosition, XML);
    }

    private static byte[] ioHeader(long dataTablePosition, String description) {
        byte[] xml = description.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(44 + 4 + xml.length + 1);
        b.putInt(0, 12);
        b.put(4, "IOHE".getBytes(StandardCharsets.US_ASCII));
        b.putInt(12, -20);
        b.putInt(16, 0);
        b.putInt(20, 24);
        b.putLong(24, dataTablePosition);
        b.putShort(32, (short) 10).putShort(34, (short) 20);
        b.putShort(36, (short) 4).putShort(38, (short) 12).putShort(40, (short) 8);
        b.putInt(44, xml.length);
        b.put(48, xml);
        return b.array();
    }

    /**
     * Uncompressed EVTS packet with a PacketHeader, the events given as {t, x, y, on} rows.
     *
     * <pre>
     *  0 int32 stream id 0, int32 size = 40 + 16 n   (PacketHeader, not part of the flatbuffer)
     * then the size-prefixed flatbuffer (offsets from its first byte):
     *  0 uint32 size prefix 36 + 16 n
     *  4 uint32 root offset 16           -> table at 4 + 16 = 20
     *  8 "EVTS"
     * 12 vtable: uint16 6, uint16 8, uint16 4 (field 0 at table + 4); 2 bytes padding
     * 20 table: int32 soffset 8         -> vtable at 20 - 8 = 12
     * 24   uint32 vector offset 12       -> vector at 24 + 12 = 36
     * 28 8 bytes padding
     * 36 uint32 n
     * 40 n x { int64 t; int16 x; int16 y; uint8 on; 3 padding }
     * </pre>
     */
    private static byte[] eventPacket(long[]... events) {
        int n = events.length;
        ByteBuffer b = le(8 + 40 + 16 * n);
        b.putInt(0, 0).putInt(4, 40 + 16 * n);
        int f = 8;
        b.putInt(f, 36 + 16 * n);
        b.putInt(f + 4, 16);
        b.put(f + 8, "EVTS".getBytes(StandardCharsets.US_ASCII));
        b.putShort(f + 12, (short) 6).putShort(f + 14, (short) 8).putShort(f + 16, (short) 4);
        b.putInt(f + 20, 8);
        b.putInt(f + 24, 12);
        b.putInt(f + 36, n);
        for (int i = 0; i < n; i++) {
            int o = f + 40 + 16 * i;
            b.putLong(o, events[i][0]);
            b.putShort(o + 8, (short) events[i][1]);
            b.putShort(o + 10, (short) events[i][2]);
            b.put(o + 12, (byte) events[i][3]);
        }
        return b.array();
    }

    /**
     * Uncompressed TRIG packet of stream 1 holding {@code n} trigger offsets (the reader counts
     * them without following them, so they are left 0).
     *
     * <pre>
     *  0 int32 stream id 1, int32 size = 32 + 4 n
     *  0 uint32 size prefix 28 + 4 n; 4 root offset 16; 8 "TRIG"; 12 vtable 6, 8, 4; padding
     * 20 table: soffset 8; 24 vector offset 4 -> vector at 28: uint32 n, n x uint32
     * </pre>
     */
    private static byte[] triggerPacket(int n) {
        ByteBuffer b = le(8 + 32 + 4 * n);
        b.putInt(0, 1).putInt(4, 32 + 4 * n);
        int f = 8;
        b.putInt(f, 28 + 4 * n);
        b.putInt(f + 4, 16);
        b.put(f + 8, "TRIG".getBytes(StandardCharsets.US_ASCII));
        b.putShort(f + 12, (short) 6).putShort(f + 14, (short) 8).putShort(f + 16, (short) 4);
        b.putInt(f + 20, 8);
        b.putInt(f + 24, 4);
        b.putInt(f + 28, n);
        return b.array();
    }

    private static final byte[] PACKET_A = eventPacket(row(T0 + 1, 3, 2, 1), row(T0 + 5, 7, 0, 0));
    private static final byte[] PACKET_B = triggerPacket(3);
    // x = 8 is outside the 8-pixel width: skipped as out_of_bounds
    private static final byte[] PACKET_C = eventPacket(row(T0 + 7, 8, 1, 1), row(T0 + 9, 0, 3, 1));

    private static byte[] file(long dataTablePosition, byte[]... packets) {
        return fileWith(XML, dataTablePosition, packets);
    }

    private static byte[] fileWith(String xml, long dataTablePosition, byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = ioHeader(dataTablePosition, xml);
        out.writeBytes("#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4).putInt(0, header.length).array());
        out.writeBytes(header);
        for (byte[] p : packets) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] minimalFile() {
        return file(-1, PACKET_A, PACKET_B, PACKET_C);
    }

    @Test
    void decodesTheHandBuiltFile() throws IOException {
        byte[] bytes = minimalFile();
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            assertThat(reader.info().width()).isEqualTo(8);
            assertThat(reader.info().height()).isEqualTo(4);
            assertThat(reader.info().device()).isEqualTo("Test");
            assertThat(reader.info().metadata())
                    .containsEntry("compression", "NONE")
                    .containsEntry("streams", "0:EVTS 8x4, 1:TRIG");
            EventPacket all = readAll(reader);
            assertThat(all)
                    .isEqualTo(
                            EventPacket.builder("mem", 8, 4)
                                    .on(T0 + 1, 3, 2)
                                    .off(T0 + 5, 7, 0)
                                    .on(T0 + 9, 0, 3)
                                    .build());
            assertThat(reader.statistics().events()).isEqualTo(3);
            assertThat(reader.statistics().onEvents()).isEqualTo(2);
            assertThat(reader.statistics().skipped("external")).isEqualTo(3);
            assertThat(reader.statistics().skipped("out_of_bounds")).isEqualTo(1);
            assertThat(reader.position()).isEqualTo(bytes.length);
        }
    }

    @Test
    void deliversTheLowestIdEventStreamAndCountsTheRest() throws IOException {
        String xml =
                "<dv version=\"2.0\"><node name=\"outInfo\">"
                        + "<node name=\"5\"><attr key=\"typeIdentifier\">EVTS</attr>"
                        + "<node name=\"info\"><attr key=\"sizeX\">16</attr>"
                        + "<attr key=\"sizeY\">16</attr></node></node>"
                        + "<node name=\"2\"><attr key=\"typeIdentifier\">FRME</attr></node>"
                        + "<node name=\"0\"><attr key=\"typeIdentifier\">EVTS</attr>"
                        + "<node name=\"info\"><attr key=\"sizeX\">8</attr>"
                        + "<attr key=\"sizeY\">4</attr>"
                        + "<attr key=\"source\">Cam0</attr></node></node>"
                        + "</node></dv>";
        byte[] second = eventPacket(row(T0, 9, 9, 1), row(T0 + 1, 10, 10, 0), row(T0 + 2, 1, 1, 1));
        le(second).putInt(0, 5); // PacketHeader stream id 5
        byte[] frame = le(8 + 12).putInt(0, 2).putInt(4, 12).array(); // FRME: not decoded
        byte[] unknown = le(8 + 4).putInt(0, 9).putInt(4, 4).array(); // stream 9: not described
        byte[] bytes = fileWith(xml, -1, second, frame, PACKET_A, unknown);
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            assertThat(reader.info().width()).isEqualTo(8);
            assertThat(reader.info().device()).isEqualTo("Cam0");
            assertThat(reader.info().metadata())
                    .containsEntry("eventStream", "0")
                    .containsEntry("streams", "0:EVTS 8x4, 2:FRME, 5:EVTS 16x16");
            EventPacket all = readAll(reader);
            assertThat(all)
                    .isEqualTo(
                            EventPacket.builder("mem", 8, 4)
                                    .on(T0 + 1, 3, 2)
                                    .off(T0 + 5, 7, 0)
                                    .build());
            // 3 events of stream 5 + 1 packet of stream 9
            assertThat(reader.statistics().skipped("other")).isEqualTo(4);
            assertThat(reader.statistics().skipped("frame")).isEqualTo(1);
            assertThat(reader.position()).isEqualTo(bytes.length);
        }
    }

    @Test
    void flipsMirrorInsideTheSensor() throws IOException {
        try (Aedat4Reader reader =
                open(minimalFile(), ReaderOptions.defaults().withFlipX(true).withFlipY(true))) {
            EventPacket all = readAll(reader);
            // x' = 8 - 1 - x, y' = 4 - 1 - y
            assertThat(all)
                    .isEqualTo(
                            EventPacket.builder("mem", 8, 4)
                                    .on(T0 + 1, 4, 1)
                                    .off(T0 + 5, 0, 3)
                                    .on(T0 + 9, 7, 0)
                                    .build());
        }
    }

    @Test
    void fillsAtMostTheCapacityAndResumesInsideAFilePacket() throws IOException {
        try (Aedat4Reader reader = open(minimalFile(), ReaderOptions.defaults())) {
            EventPacket one = new EventPacket("x", 0, 0, 1);
            long[] t = new long[3];
            for (int i = 0; i < 3; i++) {
                assertThat(reader.read(one)).isTrue();
                assertThat(one.size()).isEqualTo(1);
                assertThat(one.streamId()).isEqualTo("mem");
                t[i] = one.t(0);
            }
            assertThat(t).containsExactly(T0 + 1, T0 + 5, T0 + 9);
            assertThat(reader.read(one)).isFalse();
            assertThat(one.isEmpty()).isTrue();
        }
    }

    @Test
    void timestampsGoingBackwardsAreClampedAndCounted() throws IOException {
        byte[] bytes =
                file(
                        -1,
                        eventPacket(
                                row(T0 + 10, 1, 1, 1),
                                row(T0 + 4, 2, 2, 0),
                                row(T0 + 12, 3, 3, 1)));
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            EventPacket all = readAll(reader);
            assertThat(Arrays.copyOf(all.timestamps(), all.size()))
                    .containsExactly(T0 + 10, T0 + 10, T0 + 12);
            assertThat(reader.statistics().skipped("time_backwards")).isEqualTo(1);
        }
    }

    @Test
    void stopsAtTheDataTablePosition() throws IOException {
        // the table is announced where packet C starts; the bytes there are not packets
        long table = FIRST_PACKET + PACKET_A.length + PACKET_B.length;
        byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0x7F);
        byte[] bytes = file(table, PACKET_A, PACKET_B, garbage);
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            assertThat(reader.info().metadata()).containsEntry("dataTablePosition", "" + table);
            assertThat(readAll(reader).size()).isEqualTo(2);
            assertThat(reader.position()).isEqualTo(table);
        }
    }

    @Test
    void inputEndingBeforeTheAnnouncedDataTableFailsAfterTheEvents() throws IOException {
        byte[] bytes = file(1 << 20, PACKET_A, PACKET_B);
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(2);
            assertThatThrownBy(() -> reader.read(p))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("data table")
                    .extracting(e -> ((EventFormatException) e).offset())
                    .isEqualTo((long) bytes.length);
        }
    }

    @Test
    void truncatedLastPacketFailsWithItsOffsetAfterTheCompletePackets() throws IOException {
        byte[] full = minimalFile();
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        long packetC = full.length - PACKET_C.length;
        try (Aedat4Reader reader = open(cut, ReaderOptions.defaults())) {
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(2);
            assertThatThrownBy(() -> reader.read(p))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("truncated")
                    .extracting(e -> ((EventFormatException) e).offset())
                    .isEqualTo(packetC);
            assertThat(reader.read(p)).isFalse();
        }
        // cut inside the 8-byte packet header
        byte[] cutHeader = Arrays.copyOf(full, (int) packetC + 3);
        try (Aedat4Reader reader = open(cutHeader, ReaderOptions.defaults())) {
            assertThat(readUntilError(reader).offset()).isEqualTo(packetC);
        }
    }

    @Test
    void truncatedPrefixFails() {
        byte[] bytes = Arrays.copyOf(minimalFile(), 10);
        assertThatThrownBy(() -> open(bytes, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("mem")
                .hasMessageContaining("truncated");
        byte[] header = Arrays.copyOf(minimalFile(), 40); // inside the IOHeader
        assertThatThrownBy(() -> open(header, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .extracting(e -> ((EventFormatException) e).offset())
                .isEqualTo(18L);
    }

    @Test
    void wrongMagicOrIdentifierFails() {
        byte[] magic = minimalFile();
        magic[11] = '1'; // #!AER-DAT4.1
        assertThatThrownBy(() -> open(magic, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("not an AEDAT 4.0 file")
                .extracting(e -> ((EventFormatException) e).offset())
                .isEqualTo(0L);
        byte[] ident = minimalFile();
        ident[18 + 7] = 'X'; // IOHE -> IOHX
        assertThatThrownBy(() -> open(ident, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("'IOHX'")
                .extracting(e -> ((EventFormatException) e).offset())
                .isEqualTo(18L);
        byte[] packetIdent = minimalFile();
        packetIdent[FIRST_PACKET + 8 + 8] = 'X'; // EVTS -> XVTS in packet A
        assertThat(errorOf(packetIdent).offset()).isEqualTo(FIRST_PACKET);
    }

    @Test
    void hostileHeaderLengthFailsBeforeAllocating() {
        byte[] bytes = minimalFile();
        le(bytes).putInt(14, 0x8000_0000); // 2 GiB IOHeader
        assertThatThrownBy(() -> open(bytes, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("2147483648")
                .extracting(e -> ((EventFormatException) e).offset())
                .isEqualTo(14L);
    }

    @Test
    void hostilePacketSizeFailsWithThePacketOffset() {
        for (int size : new int[] {0x7FFF_FFF0, 0x8000_0000, -1}) {
            byte[] bytes = minimalFile();
            le(bytes).putInt(FIRST_PACKET + 4, size);
            EventFormatException e = errorOf(bytes);
            assertThat(e.offset()).isEqualTo(FIRST_PACKET);
            assertThat(e.getMessage()).contains(Integer.toUnsignedString(size));
        }
        // under the bound but beyond the end of the input: truncated, not allocated
        byte[] bytes = minimalFile();
        le(bytes).putInt(FIRST_PACKET + 4, 200 << 20);
        assertThat(errorOf(bytes).getMessage()).contains("truncated");
    }

    @Test
    void corruptFlatbufferOffsetsFailWithThePacketOffset() {
        int f = FIRST_PACKET + 8; // first byte of packet A's flatbuffer
        int[][] corruptions = {
            {f, 0x7FFF_FFFF}, // size prefix larger than the packet
            {f + 4, 0x7FFF_FFF0}, // root offset past the end
            {f + 4, -4}, // root offset wrapping around (uint32 0xFFFFFFFC)
            {f + 20, 0x4000_0000}, // vtable soffset far before the buffer
            {f + 20, -100_000}, // vtable soffset past the end
            {f + 24, 0x7FFF_0000}, // vector offset past the end
            {f + 36, 0x1000_0000}, // vector length: 2^28 events of 16 bytes
            {f + 12, 0x7FFF_7FFF}, // vtable length 32767 (odd, past the end)
        };
        for (int[] c : corruptions) {
            byte[] bytes = minimalFile();
            le(bytes).putInt(c[0], c[1]);
            EventFormatException e = errorOf(bytes);
            assertThat(e.offset()).as("corrupting byte %d", c[0]).isEqualTo(FIRST_PACKET);
            assertThat(e.getMessage()).contains("corrupt");
        }
        // field 0 offset past the 8-byte table
        byte[] bytes = minimalFile();
        le(bytes).putShort(f + 16, (short) 200);
        assertThat(errorOf(bytes).getMessage()).contains("does not fit");
    }

    @Test
    void corruptHeaderFieldsFail() {
        byte[] compression = minimalFile();
        le(compression).putInt(18 + 16, 9); // compression enum 9
        assertThatThrownBy(() -> open(compression, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("compression 9");
        byte[] table = minimalFile();
        le(table).putLong(18 + 24, 5); // data table inside the header
        assertThatThrownBy(() -> open(table, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("data table");
        byte[] xml = minimalFile();
        xml[18 + 48] = '!'; // "<dv" -> "!dv"
        assertThatThrownBy(() -> open(xml, ReaderOptions.defaults()))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("XML");
    }

    @Test
    void externalEntitiesAreRefused() {
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE dv [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<dv><node name=\"outInfo\">&e;</node></dv>";
        assertThatThrownBy(() -> Aedat4Description.parse(xxe, "mem", 18))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("XML");
    }

    @Test
    void everySingleByteCorruptionGivesEventsOrAFormatError() throws IOException {
        byte[] good = minimalFile();
        int xml = 18 + 48; // the XML text is left to the XML parser's own tests
        for (int i = 0; i < good.length; i++) {
            if (i >= xml && i < FIRST_PACKET) {
                continue;
            }
            // every binary byte inverted; low and high bit flips too in the packets
            int[] flips = i < FIRST_PACKET ? new int[] {0xFF} : new int[] {0x01, 0x80, 0xFF};
            for (int flip : flips) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) flip;
                try (Aedat4Reader reader = open(bad, ReaderOptions.defaults())) {
                    EventPacket p = new EventPacket("x", 0, 0, 2);
                    while (reader.read(p)) {
                        assertThat(p.size()).isBetween(1, 2);
                    }
                } catch (EventFormatException expected) {
                    assertThat(expected.source()).isEqualTo("mem");
                }
            }
        }
    }

    private static EventFormatException errorOf(byte[] bytes) {
        try (Aedat4Reader reader = open(bytes, ReaderOptions.defaults())) {
            return readUntilError(reader);
        } catch (IOException e) {
            throw new AssertionError("header should parse", e);
        }
    }

    private static EventFormatException readUntilError(Aedat4Reader reader) {
        EventPacket p = reader.newPacket();
        try {
            while (reader.read(p)) {
                // drain
            }
        } catch (EventFormatException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no EventFormatException");
    }

    static Aedat4Reader open(byte[] bytes, ReaderOptions options) throws IOException {
        return new Aedat4Reader(new ByteArrayInputStream(bytes), "mem", options);
    }

    static EventPacket readAll(Aedat4Reader reader) throws IOException {
        EventPacket all = new EventPacket(reader.streamId(), 0, 0, 16);
        EventPacket p = reader.newPacket();
        while (reader.read(p)) {
            all.addAll(p);
        }
        all.setGeometry(reader.info().width(), reader.info().height());
        return all;
    }

    private static long[] row(long t, int x, int y, int on) {
        return new long[] {t, x, y, on};
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Streams 0 EVTS (8 x 4) and 2 FRME. */
    private static final String XML_WITH_FRAMES =
            "<dv version=\"2.0\"><node name=\"outInfo\">"
                    + "<node name=\"0\"><attr key=\"typeIdentifier\" type=\"string\">EVTS</attr>"
                    + "<node name=\"info\"><attr key=\"sizeX\" type=\"int\">8</attr>"
                    + "<attr key=\"sizeY\" type=\"int\">4</attr>"
                    + "<attr key=\"source\" type=\"string\">Test</attr></node></node>"
                    + "<node name=\"2\"><attr key=\"typeIdentifier\" type=\"string\">FRME</attr>"
                    + "</node></node></dv>";

    /**
     * Uncompressed FRME packet of stream 2 (DV's Frame table), by hand.
     *
     * <pre>
     *  0 int32 stream id 2, int32 size = total - 8            (PacketHeader)
     * then the size-prefixed flatbuffer (offsets from its first byte):
     *  0 uint32 size prefix; 4 uint32 root offset 36 -> table at 40; 8 "FRME"
     * 12 vtable: uint16 26 (4 + 2 x 11 fields), uint16 60 (table bytes), then the field offsets
     *    t +4, begin +12, end +20, exposure begin +28, exposure end +36, format +52, width +44,
     *    height +46, offset x +48, offset y +50, pixels +56; 2 bytes padding
     * 40 table: int32 soffset 28 -> vtable at 12; int64 x 5 at 44..83; int16 x 4 at 84..91;
     *    int8 format at 92; 3 padding; uint32 vector offset 4 at 96 -> vector at 100
     * 100 uint32 n, n pixel bytes
     * </pre>
     */
    private static byte[] framePacket(int format, int w, int h, int ox, int oy, byte[] pixels) {
        int total = 8 + 104 + pixels.length;
        ByteBuffer b = le(total);
        b.putInt(0, 2).putInt(4, total - 8);
        int f = 8;
        b.putInt(f, total - 8 - 4);
        b.putInt(f + 4, 36);
        b.put(f + 8, "FRME".getBytes(StandardCharsets.US_ASCII));
        int[] offsets = {4, 12, 20, 28, 36, 52, 44, 46, 48, 50, 56};
        b.putShort(f + 12, (short) 26).putShort(f + 14, (short) 60);
        for (int k = 0; k < offsets.length; k++) {
            b.putShort(f + 16 + 2 * k, (short) offsets[k]);
        }
        int t = f + 40;
        b.putInt(t, 28);
        b.putLong(t + 4, T0 + 150).putLong(t + 12, T0 + 100).putLong(t + 20, T0 + 200);
        b.putLong(t + 28, T0 + 120).putLong(t + 36, T0 + 180);
        b.putShort(t + 44, (short) w).putShort(t + 46, (short) h);
        b.putShort(t + 48, (short) ox).putShort(t + 50, (short) oy);
        b.put(t + 52, (byte) format);
        b.putInt(t + 56, 4);
        b.putInt(t + 60, pixels.length);
        for (int i = 0; i < pixels.length; i++) {
            b.put(t + 64 + i, pixels[i]);
        }
        return b.array();
    }

    @Test
    void framesOfAnFrmeStreamAreDecodedWhenAsked() throws IOException {
        byte[] gray = {0, (byte) 255, 51, 102, (byte) 204, 1};
        // BGR: pixel 0 = (30, 60, 90) -> mean 60; pixel 1 = (255, 255, 255) -> 255
        byte[] bgr = {30, 60, 90, (byte) 255, (byte) 255, (byte) 255};
        byte[] bytes =
                fileWith(
                        XML_WITH_FRAMES,
                        -1,
                        PACKET_A,
                        framePacket(0, 3, 2, 2, 1, gray),
                        framePacket(16, 2, 1, 0, 0, bgr));
        // without a listener the frames are skipped and counted
        Aedat4Reader plain = open(bytes, ReaderOptions.defaults());
        assertThat(readAll(plain).size()).isEqualTo(2);
        assertThat(plain.statistics().skipped()).containsEntry("frame", 2L);

        Aedat4Reader r = open(bytes, ReaderOptions.defaults());
        List<ApsFrame> frames = new ArrayList<>();
        r.setFrameListener(frames::add);
        assertThat(readAll(r).size()).isEqualTo(2);
        assertThat(frames).hasSize(2);
        ApsFrame g = frames.get(0);
        assertThat(g.startFrameUs()).isEqualTo(T0 + 100);
        assertThat(g.endFrameUs()).isEqualTo(T0 + 200);
        assertThat(g.exposureMidUs()).isEqualTo(T0 + 150);
        assertThat(g.width()).isEqualTo(3);
        assertThat(g.height()).isEqualTo(2);
        assertThat(g.positionX()).isEqualTo(2);
        assertThat(g.positionY()).isEqualTo(1);
        assertThat(g.pixels())
                .containsExactly(0f, 1f, 51f / 255f, 102f / 255f, 204f / 255f, 1f / 255f);
        assertThat(frames.get(1).pixels()).containsExactly(60f / 255f, 1f);

        // a frame whose pixels do not match its size: an error naming the packet's offset
        byte[] bad = fileWith(XML_WITH_FRAMES, -1, framePacket(0, 3, 3, 0, 0, gray));
        Aedat4Reader broken = open(bad, ReaderOptions.defaults());
        broken.setFrameListener(f -> {});
        assertThatThrownBy(() -> readAll(broken))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("6 pixel bytes for a 3 x 3 frame")
                .hasMessageContaining(String.valueOf(FIRST_PACKET));
    }
}
