package io.dvsflow.connectors.formats.aedat3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Aedat3ReaderTest {

    private static final String NAME = "test.aedat";
    private static final int HEADER_LEN = Aedat3Bytes.DVS128_HEADER.length();

    // Polarity data words: data = x << 17 | y << 2 | polarity << 1 | valid.
    /** x=5, y=7, ON, valid: 0x000A0000 | 0x1C | 0x2 | 0x1. */
    private static final int X5_Y7_ON = 0x000A001F;

    /** x=127, y=0, OFF, valid: 127 << 17 = 0x00FE0000, | 0x1. */
    private static final int X127_Y0_OFF = 0x00FE0001;

    /** x=0, y=127, ON, valid bit clear: 127 << 2 = 0x1FC, | 0x2. */
    private static final int X0_Y127_ON_INVALID = 0x000001FE;

    /** x=3, y=100, OFF, valid: 3 << 17 = 0x00060000, 100 << 2 = 0x190, | 0x1. */
    private static final int X3_Y100_OFF = 0x00060191;

    /** x=128, y=0, ON, valid: 128 << 17 = 0x01000000, | 0x3 (outside a 128x128 sensor). */
    private static final int X128_Y0_ON = 0x01000003;

    /** x=345, y=259, ON, valid: 0x159 << 17 = 0x02B20000, 0x103 << 2 = 0x40C, | 0x3. */
    private static final int X345_Y259_ON = 0x02B2040F;

    // Special data words: data = payload << 8 | type << 1 | valid.
    private static final int SPECIAL_WRAP = 0x01; // type 0
    private static final int SPECIAL_RESET = 0x03; // type 1: 1 << 1 | 1
    private static final int SPECIAL_EXT_RISING = 0x05; // type 2: 2 << 1 | 1
    private static final int SPECIAL_EXT_FALLING = 0x07; // type 3: 3 << 1 | 1
    private static final int SPECIAL_ROW_ONLY = 0x90B; // type 5, payload 9: 9 << 8 | 5 << 1 | 1
    private static final int SPECIAL_RESET_INVALID = 0x02; // type 1, valid bit clear

    private static Aedat3Reader open(byte[] bytes, ReaderOptions options) throws IOException {
        return new Aedat3Reader(new ByteArrayInputStream(bytes), NAME, options);
    }

    private static Aedat3Reader open(byte[] bytes) throws IOException {
        return open(bytes, ReaderOptions.defaults());
    }

    private static EventPacket readAll(Aedat3Reader reader) throws IOException {
        EventPacket all = new EventPacket(reader.streamId(), 0, 0, 16);
        EventPacket packet = reader.newPacket();
        while (reader.read(packet)) {
            all.addAll(packet);
            all.setGeometry(packet.width(), packet.height());
        }
        return all;
    }

    private static Aedat3Bytes dvs128() {
        return Aedat3Bytes.withHeader(Aedat3Bytes.DVS128_HEADER);
    }

    @Test
    void parsesHeaderAndDecodesPolarityEvents() throws IOException {
        byte[] file =
                dvs128().packet8(1, 0, 4)
                        .event(X5_Y7_ON, 1000)
                        .event(X0_Y127_ON_INVALID, 1500)
                        .event(X127_Y0_OFF, 2000)
                        .event(X3_Y100_OFF, 2001)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(reader.info().format()).isEqualTo(EventFormat.AEDAT3);
            assertThat(reader.info().version()).isEqualTo("3.1");
            assertThat(reader.info().device()).isEqualTo("DVS128");
            assertThat(reader.info().width()).isEqualTo(128);
            assertThat(reader.info().height()).isEqualTo(128);
            assertThat(reader.info().metadata())
                    .containsEntry("Start-Time", "2017-03-01 10:00:00 (TZ+0100)")
                    .containsEntry("Format", "RAW")
                    .containsEntry("Source 1", "DVS128");
            assertThat(reader.position()).isEqualTo(HEADER_LEN);

            EventPacket packet = reader.newPacket();
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.streamId()).isEqualTo(NAME);
            assertThat(packet.width()).isEqualTo(128);
            assertThat(packet.height()).isEqualTo(128);
            assertThat(packet)
                    .isEqualTo(
                            EventPacket.builder(NAME, 128, 128)
                                    .on(1000, 5, 7)
                                    .off(2000, 127, 0)
                                    .off(2001, 3, 100)
                                    .build());
            assertThat(reader.read(packet)).isFalse();
            assertThat(packet.isEmpty()).isTrue();
            assertThat(reader.statistics().events()).isEqualTo(3);
            assertThat(reader.statistics().onEvents()).isEqualTo(1);
            assertThat(reader.statistics().skipped("invalid")).isEqualTo(1);
            assertThat(reader.position()).isEqualTo(file.length);
        }
    }

    @Test
    void overflowFieldExtendsTimeBeyond31Bits() throws IOException {
        // t = (3 << 31) | 0x10 = 3 * 2147483648 + 16 = 6442450960 us
        byte[] file = dvs128().packet8(1, 3, 1).event(X5_Y7_ON, 0x10).bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            assertThat(all.size()).isEqualTo(1);
            assertThat(all.t(0)).isEqualTo(6_442_450_960L);
        }
    }

    @Test
    void specialEventsAreCountedAndResetKeepsTimeNonDecreasing() throws IOException {
        byte[] file =
                dvs128().packet8(1, 0, 2)
                        .event(X5_Y7_ON, 1000)
                        .event(X127_Y0_OFF, 2000)
                        .packet8(0, 0, 7)
                        .event(SPECIAL_WRAP, 2100)
                        .event(SPECIAL_EXT_RISING, 2100)
                        .event(SPECIAL_EXT_FALLING, 2100)
                        .event(SPECIAL_ROW_ONLY, 2100)
                        .event(SPECIAL_RESET_INVALID, 2100)
                        .event(SPECIAL_RESET, 2100)
                        .event(SPECIAL_WRAP, 0)
                        // after the reset the device clock restarts at 0
                        .packet8(1, 0, 2)
                        .event(X3_Y100_OFF, 10)
                        .event(X5_Y7_ON, 20)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            // policy: offset = last emitted time (2000), so 10 -> 2010 and 20 -> 2020
            assertThat(all.timestamps()).startsWith(1000L, 2000L, 2010L, 2020L);
            assertThat(all.size()).isEqualTo(4);
            assertThat(reader.statistics().skipped("external")).isEqualTo(2);
            assertThat(reader.statistics().skipped("special")).isEqualTo(2); // row-only + reset
            assertThat(reader.statistics().skipped("invalid")).isEqualTo(1);
            assertThat(reader.statistics().skipped()).doesNotContainKey("overflow");
            assertThat(reader.statistics().skipped("time_backwards")).isZero();
        }
    }

    @Test
    void backwardStepIsClampedAndCounted() throws IOException {
        byte[] file =
                dvs128().packet8(1, 0, 3)
                        .event(X5_Y7_ON, 1000)
                        .event(X127_Y0_OFF, 500)
                        .event(X3_Y100_OFF, 1200)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            assertThat(all.timestamps()).startsWith(1000L, 1000L, 1200L);
            assertThat(reader.statistics().skipped("time_backwards")).isEqualTo(1);
            assertThat(reader.statistics().events()).isEqualTo(3);
        }
    }

    @Test
    void otherPacketTypesAreSkippedBySize() throws IOException {
        // Blocks are filled with 0x1F bytes: they would decode as valid events if mis-skipped.
        byte[] file =
                dvs128().packet(2, 1, 40, 4, 0, 2, 2, 2) // FRAME: 2 x 40 bytes
                        .fill(2 * 40, 0x1F)
                        .packet(3, 1, 36, 32, 0, 3, 3, 3) // IMU6: 3 x 36 bytes
                        .fill(3 * 36, 0x1F)
                        .packet(4, 1, 52, 48, 0, 1, 1, 1) // IMU9: 1 x 52 bytes
                        .fill(52, 0x1F)
                        .packet(12, 1, 8, 4, 0, 5, 4, 4) // SPIKE: capacity 5 x 8, number 4
                        .fill(5 * 8, 0x1F)
                        .packet8(1, 0, 1)
                        .event(X5_Y7_ON, 77)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            assertThat(all.size()).isEqualTo(1);
            assertThat(all.t(0)).isEqualTo(77);
            assertThat(all.x(0)).isEqualTo(5);
            assertThat(all.y(0)).isEqualTo(7);
            assertThat(reader.statistics().skipped("frame")).isEqualTo(2);
            assertThat(reader.statistics().skipped("imu")).isEqualTo(4);
            assertThat(reader.statistics().skipped("other")).isEqualTo(4);
            assertThat(reader.position()).isEqualTo(file.length);
        }
    }

    @Test
    void unusedCapacityIsSkippedAndCountedInvalid() throws IOException {
        byte[] file =
                dvs128().packet(1, 1, 8, 4, 0, 3, 1, 1) // capacity 3, number 1
                        .event(X5_Y7_ON, 10)
                        .event(X5_Y7_ON, 11) // unused slots: must not be decoded
                        .event(X5_Y7_ON, 12)
                        .packet8(1, 0, 1)
                        .event(X127_Y0_OFF, 20)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            assertThat(all.timestamps()).startsWith(10L, 20L);
            assertThat(all.size()).isEqualTo(2);
            assertThat(reader.statistics().skipped("invalid")).isEqualTo(2);
        }
    }

    @Test
    void filePacketIsSplitAcrossReadCalls() throws IOException {
        Aedat3Bytes b = dvs128().packet8(1, 1, 5);
        for (int i = 1; i <= 5; i++) {
            b.event(X5_Y7_ON, i);
        }
        byte[] file = b.bytes();
        try (Aedat3Reader reader = open(file, ReaderOptions.defaults().withPacketCapacity(2))) {
            EventPacket packet = reader.newPacket();
            assertThat(packet.capacity()).isEqualTo(2);
            long epoch = 1L << 31;
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.timestamps()).containsExactly(epoch + 1, epoch + 2);
            assertThat(reader.position()).isEqualTo(HEADER_LEN + 28 + 2 * 8);
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.timestamps()).containsExactly(epoch + 3, epoch + 4);
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.size()).isEqualTo(1);
            assertThat(packet.t(0)).isEqualTo(epoch + 5);
            assertThat(packet.capacity()).isEqualTo(2);
            assertThat(reader.read(packet)).isFalse();
            assertThat(reader.statistics().events()).isEqualTo(5);
        }
    }

    @Test
    void outOfBoundsCoordinatesAreSkippedWhenSizeKnown() throws IOException {
        byte[] file = dvs128().packet8(1, 0, 2).event(X128_Y0_ON, 1).event(X5_Y7_ON, 2).bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket all = readAll(reader);
            assertThat(all.size()).isEqualTo(1);
            assertThat(reader.statistics().skipped("out_of_bounds")).isEqualTo(1);
        }
    }

    @Test
    void unknownDeviceGivesUnknownSizeAndNoBoundsCheck() throws IOException {
        String header = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: ProtoCam\r\n#!END-HEADER\r\n";
        byte[] file =
                Aedat3Bytes.withHeader(header).packet8(1, 0, 1).event(X345_Y259_ON, 1).bytes();
        try (Aedat3Reader reader = open(file, ReaderOptions.defaults().withFlipX(true))) {
            assertThat(reader.info().width()).isZero();
            assertThat(reader.info().height()).isZero();
            EventPacket all = readAll(reader);
            assertThat(all.x(0)).isEqualTo(345); // flipX ignored: size unknown
            assertThat(all.y(0)).isEqualTo(259);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "DVS128, 128, 128",
        "DAVIS240C, 240, 180",
        "DAVIS346B, 346, 260",
        "DVXplorer, 640, 480",
        "DVXplorer Lite, 320, 240",
        "Unknown, 0, 0"
    })
    void sensorSizeFromDeviceName(String device, int width, int height) throws IOException {
        String header = "#!AER-DAT3.1\r\n#Source 1: " + device + "\r\n#!END-HEADER\r\n";
        try (Aedat3Reader reader = open(Aedat3Bytes.withHeader(header).bytes())) {
            assertThat(reader.info().device()).isEqualTo(device);
            assertThat(reader.info().width()).isEqualTo(width);
            assertThat(reader.info().height()).isEqualTo(height);
        }
    }

    @Test
    void sensorSizeLineOverridesDevice() throws IOException {
        String header =
                "#!AER-DAT3.1\r\n#Source 1: DVS128\r\n#Sensor-Size: 346x260\r\n#!END-HEADER\r\n";
        byte[] file =
                Aedat3Bytes.withHeader(header).packet8(1, 0, 1).event(X345_Y259_ON, 9).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(reader.info().width()).isEqualTo(346);
            assertThat(reader.info().height()).isEqualTo(260);
            EventPacket all = readAll(reader);
            assertThat(all.x(0)).isEqualTo(345);
            assertThat(all.y(0)).isEqualTo(259);
        }
    }

    @Test
    void flipOptionsMirrorCoordinates() throws IOException {
        byte[] file = dvs128().packet8(1, 0, 1).event(X5_Y7_ON, 1).bytes();
        ReaderOptions options = ReaderOptions.defaults().withFlipX(true).withFlipY(true);
        try (Aedat3Reader reader = open(file, options)) {
            EventPacket all = readAll(reader);
            assertThat(all.x(0)).isEqualTo(127 - 5);
            assertThat(all.y(0)).isEqualTo(127 - 7);
        }
    }

    @Test
    void version30HeaderEndsAtFirstBinaryLineAndRowsAreFlippedToUpperLeft() throws IOException {
        String header =
                "#!AER-DAT3.0\r\n#Format: RAW\r\n#Source 1: DVS128\r\n"
                        + "#Start-Time: 2016-01-01 00:00:00 (TZ+0000)\r\n";
        byte[] file =
                Aedat3Bytes.withHeader(header)
                        .packet8(1, 0, 2)
                        .event(X5_Y7_ON, 1)
                        .event(X127_Y0_OFF, 2)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(reader.info().version()).isEqualTo("3.0");
            assertThat(reader.position()).isEqualTo(header.length());
            EventPacket all = readAll(reader);
            // 3.0 lower-left origin: y' = 127 - y
            assertThat(all.y(0)).isEqualTo(120);
            assertThat(all.y(1)).isEqualTo(127);
            assertThat(all.x(0)).isEqualTo(5);
        }
        // flipY on a 3.0 file undoes the conversion: rows as stored
        try (Aedat3Reader reader = open(file, ReaderOptions.defaults().withFlipY(true))) {
            assertThat(readAll(reader).y(0)).isEqualTo(7);
        }
    }

    @Test
    void version30WithUnknownHeightKeepsRows() throws IOException {
        String header = "#!AER-DAT3.0\r\n#Source 1: Mystery\r\n";
        byte[] file = Aedat3Bytes.withHeader(header).packet8(1, 0, 1).event(X5_Y7_ON, 1).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(readAll(reader).y(0)).isEqualTo(7);
        }
    }

    @Test
    void version30HeaderOnlyIsAnEmptyRecording() throws IOException {
        byte[] file = Aedat3Bytes.withHeader("#!AER-DAT3.0\r\n#Source 1: DVS128\r\n").bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(reader.read(reader.newPacket())).isFalse();
        }
    }

    @Test
    void missingEndHeaderIn31IsToleratedWhenBinaryFollows() throws IOException {
        String header = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n";
        byte[] file = Aedat3Bytes.withHeader(header).packet8(1, 0, 1).event(X5_Y7_ON, 5).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThat(reader.info().metadata()).containsKey("header-warning");
            EventPacket all = readAll(reader);
            assertThat(all.size()).isEqualTo(1);
            assertThat(all.y(0)).isEqualTo(7); // 3.1: upper-left, not flipped
        }
    }

    @Test
    void truncatedHeaderIsAnError() {
        byte[] file =
                "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS1"
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(file))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining(NAME)
                .hasMessageContaining("END-HEADER");
    }

    @Test
    void wrongMagicOrVersionIsAnError() {
        assertThatThrownBy(() -> open(bytes("#!AER-DAT2.0\r\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("not an AEDAT 3 file")
                .satisfies(e -> assertThat(((EventFormatException) e).offset()).isZero());
        assertThatThrownBy(() -> open(bytes("#!AER-DAT3.7\r\n#!END-HEADER\r\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("3.7");
        assertThatThrownBy(() -> open(new byte[0]))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void compressedFormatIsRejected() {
        byte[] file = bytes("#!AER-DAT3.1\r\n#Format: SerializedTS\r\n#!END-HEADER\r\n");
        assertThatThrownBy(() -> open(file))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("SerializedTS");
    }

    @Test
    void oversizedHeaderIsAnError() {
        StringBuilder h = new StringBuilder("#!AER-DAT3.1\r\n");
        String line = "#Comment: " + "c".repeat(1000) + "\r\n";
        while (h.length() <= Aedat3Reader.MAX_HEADER_BYTES) {
            h.append(line);
        }
        assertThatThrownBy(() -> open(bytes(h.toString())))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("MAX_HEADER_BYTES");
        String longLine = "#!AER-DAT3.1\r\n#" + "x".repeat(Aedat3Reader.MAX_HEADER_LINE_BYTES + 1);
        assertThatThrownBy(() -> open(bytes(longLine)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void truncatedPacketHeaderIsAnErrorAtItsOffset() throws IOException {
        byte[] file = dvs128().zeros(10).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThatThrownBy(() -> reader.read(reader.newPacket()))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("truncated")
                    .satisfies(
                            e ->
                                    assertThat(((EventFormatException) e).offset())
                                            .isEqualTo(HEADER_LEN));
        }
    }

    @Test
    void truncatedEventBlockDeliversDecodedEventsThenFails() throws IOException {
        byte[] whole = dvs128().packet8(1, 0, 3).event(X5_Y7_ON, 1).event(X127_Y0_OFF, 2).bytes();
        byte[] file = java.util.Arrays.copyOf(whole, whole.length - 4); // half of event 2 left
        try (Aedat3Reader reader = open(file)) {
            EventPacket packet = reader.newPacket();
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.size()).isEqualTo(1);
            assertThatThrownBy(() -> reader.read(packet))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("declares 3 events")
                    .satisfies(
                            e ->
                                    assertThat(((EventFormatException) e).offset())
                                            .isEqualTo(HEADER_LEN + 28 + 8));
            assertThat(packet.isEmpty()).isTrue();
        }
    }

    @Test
    void truncatedSpecialPacketIsAnError() throws IOException {
        byte[] file = dvs128().packet8(0, 0, 2).event(SPECIAL_WRAP, 1).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThatThrownBy(() -> reader.read(reader.newPacket()))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("special packet");
        }
    }

    @Test
    void hostileCapacityFailsFastWithoutAllocating() throws IOException {
        // capacity 2^31 - 1 events x 8 bytes = 16 GiB declared, followed by almost nothing
        byte[] file =
                dvs128().packet(1, 1, 8, 4, 0, Integer.MAX_VALUE, 1, 1).event(X5_Y7_ON, 1).bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThatThrownBy(() -> reader.read(reader.newPacket()))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("MAX_PACKET_BYTES")
                    .satisfies(
                            e ->
                                    assertThat(((EventFormatException) e).offset())
                                            .isEqualTo(HEADER_LEN));
        }
        // a frame packet of one 2 GB event: eventSize bound
        byte[] frame = dvs128().packet(2, 1, Integer.MAX_VALUE, 4, 0, 1, 1, 1).bytes();
        try (Aedat3Reader reader = open(frame)) {
            assertThatThrownBy(() -> reader.read(reader.newPacket()))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("MAX_EVENT_SIZE");
        }
    }

    @ParameterizedTest
    @CsvSource({
        // type, size, tsOffset, overflow, capacity, number, expected message part
        "1, -8, 4, 0, 1, 1, eventSize",
        "1, 0, 4, 0, 1, 1, eventSize",
        "1, 8, 4, 0, -1, 0, eventCapacity",
        "1, 8, 4, 0, 1, 2, eventNumber 2",
        "1, 8, 4, 0, 1, -1, eventNumber -1",
        "1, 12, 4, 0, 1, 1, expected 8 / 4",
        "0, 8, 0, 0, 1, 1, expected 8 / 4",
        "1, 8, 4, -1, 1, 1, negative eventTSOverflow",
        "7, -1, 4, 0, 1, 1, eventSize"
    })
    void badPacketHeadersAreErrors(
            int type, int size, int tsOffset, int overflow, int capacity, int number, String msg)
            throws IOException {
        byte[] file =
                dvs128().packet(type, 1, size, tsOffset, overflow, capacity, number, number)
                        .zeros(64)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            assertThatThrownBy(() -> reader.read(reader.newPacket()))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining(msg)
                    .satisfies(
                            e ->
                                    assertThat(((EventFormatException) e).offset())
                                            .isEqualTo(HEADER_LEN));
        }
    }

    @Test
    void emptyPacketsAreLoopedPast() throws IOException {
        byte[] file =
                dvs128().packet8(1, 0, 0)
                        .packet8(1, 0, 1)
                        .event(X0_Y127_ON_INVALID, 1)
                        .packet8(1, 0, 1)
                        .event(X3_Y100_OFF, 3)
                        .bytes();
        try (Aedat3Reader reader = open(file)) {
            EventPacket packet = reader.newPacket();
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.size()).isEqualTo(1);
            assertThat(packet.t(0)).isEqualTo(3);
        }
    }

    @Test
    void streamIdOptionWins() throws IOException {
        byte[] file = dvs128().packet8(1, 0, 1).event(X5_Y7_ON, 1).bytes();
        try (Aedat3Reader reader = open(file, ReaderOptions.defaults().withStreamId("cam7"))) {
            EventPacket packet = reader.newPacket();
            assertThat(reader.read(packet)).isTrue();
            assertThat(packet.streamId()).isEqualTo("cam7");
            assertThat(reader.streamId()).isEqualTo("cam7");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void apsFramesAreDecodedWhenAListenerAsksForThem() throws IOException {
        // frame: info = valid (bit 0) | 1 channel (bits 1-3 = 1) = 0b11 = 3; 3 x 2 pixels at
        // (5, 7); eventSize 36 + 3*2*2 = 48, plus 4 bytes of padding = 52
        int[] samples = {0, 65535, 32768, 1000, 2000, 65535};
        byte[] file =
                Aedat3Bytes.withHeader(Aedat3Bytes.DVS128_HEADER)
                        // polarity packet: one ON event at (x=2, y=3), t = 10:
                        // data = 2 << 17 | 3 << 2 | 1 << 1 | 1 = 262144 + 12 + 2 + 1
                        .packet8(1, 0, 1)
                        .event((2 << 17) | (3 << 2) | 2 | 1, 10)
                        // frame packet, eventTSOverflow 1: times get + 2^31
                        .packet(2, 1, 52, 12, 1, 2, 2, 2)
                        .frame(3, new int[] {100, 200, 120, 180}, 3, 2, 5, 7, samples, 52)
                        // an invalid frame (info bit 0 clear) is skipped and counted
                        .frame(2, new int[] {300, 400, 320, 380}, 3, 2, 5, 7, samples, 52)
                        .packet8(1, 0, 1)
                        .event((4 << 17) | (1 << 2) | 1, 500)
                        .bytes();
        Aedat3Reader r = open(file);
        List<ApsFrame> frames = new ArrayList<>();
        r.setFrameListener(frames::add);
        EventPacket all = readAll(r);
        assertThat(all.size()).isEqualTo(2);
        assertThat(frames).hasSize(1);
        ApsFrame f = frames.get(0);
        long base = 1L << 31;
        assertThat(f.startFrameUs()).isEqualTo(base + 100);
        assertThat(f.endFrameUs()).isEqualTo(base + 200);
        assertThat(f.startExposureUs()).isEqualTo(base + 120);
        assertThat(f.endExposureUs()).isEqualTo(base + 180);
        assertThat(f.exposureMidUs()).isEqualTo(base + 150);
        assertThat(f.width()).isEqualTo(3);
        assertThat(f.height()).isEqualTo(2);
        assertThat(f.positionX()).isEqualTo(5);
        assertThat(f.positionY()).isEqualTo(7);
        assertThat(f.pixels())
                .containsExactly(0f, 1f, 32768f / 65535f, 1000f / 65535f, 2000f / 65535f, 1f);
        assertThat(r.statistics().skipped())
                .containsEntry("frame", 1L)
                .containsEntry("invalid", 1L);
    }

    @Test
    void aFrameLargerThanItsEventSizeIsAnErrorWithItsOffset() throws IOException {
        // claims 1000 x 1000 pixels in a 52-byte event
        byte[] file =
                Aedat3Bytes.withHeader(Aedat3Bytes.DVS128_HEADER)
                        .packet(2, 1, 52, 12, 0, 1, 1, 1)
                        .frame(3, new int[] {1, 2, 3, 4}, 1000, 1000, 0, 0, new int[0], 52)
                        .bytes();
        Aedat3Reader r = open(file);
        r.setFrameListener(f -> {});
        int headerBytes = Aedat3Bytes.DVS128_HEADER.length();
        assertThatThrownBy(() -> readAll(r))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("do not fit its eventSize 52")
                .hasMessageContaining(String.valueOf(headerBytes + 28));
    }
}
