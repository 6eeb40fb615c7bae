package io.dvsflow.connectors.formats.aedat2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Aedat2WriterTest {

    private static final String EXPECTED_HEADER =
            "#!AER-DAT2.0\r\n"
                    + "# This is a raw AE data file created by dvsflow\r\n"
                    + "# Data format is int32 address, int32 timestamp (8 bytes total),"
                    + " repeated for each event\r\n"
                    + "# Timestamps tick is 1 us\r\n"
                    + "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n"
                    + "# Creation time: System.currentTimeMillis() 0\r\n";

    private static final long TWO_32 = 1L << 32;

    private static byte[] write(EventPacket... packets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EventWriter writer =
                EventFormats.writer(bytes, EventFormat.AEDAT2, WriterOptions.of(128, 128))) {
            assertThat(writer.format()).isEqualTo(EventFormat.AEDAT2);
            for (EventPacket p : packets) {
                writer.write(p);
            }
        }
        return bytes.toByteArray();
    }

    private static EventPacket read(byte[] file) throws IOException {
        try (Aedat2Reader reader =
                new Aedat2Reader(
                        new ByteArrayInputStream(file),
                        "rt",
                        ReaderOptions.defaults().withPacketCapacity(1000))) {
            assertThat(reader.info().version()).isEqualTo("2.0");
            assertThat(reader.info().device()).isEqualTo("DVS128");
            EventPacket all = new EventPacket("rt", 128, 128, 16);
            EventPacket p = reader.newPacket();
            while (reader.read(p)) {
                all.addAll(p);
            }
            assertThat(reader.statistics().skippedTotal()).isZero();
            return all;
        }
    }

    @Test
    void writesTheDocumentedHeaderAndHandEncodedWords() throws IOException {
        byte[] file = write(EventPacket.builder("s", 128, 128).on(1_000, 5, 10).build());
        byte[] header = EXPECTED_HEADER.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Arrays.copyOf(file, header.length)).isEqualTo(header);
        // x=5, y=10, ON: (10 << 8) | (5 << 1) | 1 = 0x00000A0B; t = 1000 = 0x000003E8
        assertThat(Arrays.copyOfRange(file, header.length, file.length))
                .containsExactly(0, 0, 0x0A, 0x0B, 0, 0, 0x03, (byte) 0xE8);
    }

    @Test
    void writesTimestampsModulo2To32() throws IOException {
        long t = 3 * TWO_32 / 2 + 5; // 2^32 + 2^31 + 5 -> field 0x80000005
        byte[] file =
                write(
                        EventPacket.builder("s", 128, 128)
                                .off(TWO_32 - 1, 127, 127)
                                .off(t, 127, 127)
                                .build());
        int h = EXPECTED_HEADER.length();
        // x=127, y=127, OFF: 0x7FFE; t = 2^32 - 1 -> 0xFFFFFFFF
        assertThat(Arrays.copyOfRange(file, h, h + 8))
                .containsExactly(0, 0, 0x7F, (byte) 0xFE, -1, -1, -1, -1);
        assertThat(Arrays.copyOfRange(file, h + 12, h + 16))
                .containsExactly((byte) 0x80, 0, 0, 0x05);
    }

    @Test
    void roundTripIsExactAcrossThe32BitWrap() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        EventPacket a = new EventPacket("rt", 128, 128, 10_000);
        EventPacket b = new EventPacket("rt", 128, 128, 10_000);
        long t = TWO_32 - 5_000_000; // starts 5 s before 2^32 us and crosses it
        for (int i = 0; i < 20_000; i++) {
            t += random.nextInt(0, 1_000);
            if (i == 15_000) {
                t += 3_000_000_000L; // a long pause (< 3 * 2^30 us) that wraps again
            }
            (i < 10_000 ? a : b)
                    .add(t, random.nextInt(128), random.nextInt(128), random.nextInt(2));
        }
        assertThat(t).isGreaterThan(TWO_32 + 3_000_000_000L);
        byte[] file = write(a, b);
        assertThat(file.length).isEqualTo(EXPECTED_HEADER.length() + 20_000 * 8);
        EventPacket expected = a.copy();
        expected.addAll(b);
        assertThat(read(file)).isEqualTo(expected);
        assertThat(write(a, b)).as("deterministic").isEqualTo(file);
    }

    @Test
    void emptyRecordingIsAHeader() throws IOException {
        byte[] file = write();
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).isEqualTo(EXPECTED_HEADER);
        assertThat(read(file).size()).isZero();
    }

    @Test
    void rejectsWhatTheFormatCannotHold() throws IOException {
        assertThatThrownBy(
                        () ->
                                new Aedat2Writer(
                                        new ByteArrayOutputStream(), WriterOptions.of(240, 180)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128x128");
        assertThatThrownBy(() -> write(EventPacket.builder("s", 240, 180).on(1, 128, 0).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(128, 0)");
        assertThatThrownBy(() -> write(EventPacket.builder("s", 128, 128).on(1, 0, -1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the DVS128 address range");
        assertThatThrownBy(
                        () ->
                                write(
                                        EventPacket.builder("s", 128, 128)
                                                .on(10, 0, 0)
                                                .on(9, 0, 0)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the previous");
        assertThatThrownBy(
                        () ->
                                write(
                                        EventPacket.builder("s", 128, 128)
                                                .on(10, 0, 0)
                                                .on(10 + Aedat2Writer.MAX_GAP_US, 0, 0)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too far");
        assertThatThrownBy(() -> write(EventPacket.builder("s", 128, 128).on(TWO_32, 0, 0).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first timestamp");
        assertThatThrownBy(() -> write(EventPacket.builder("s", 128, 128).on(-1, 0, 0).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestAllowedGapStillRoundTrips() throws IOException {
        long gap = Aedat2Writer.MAX_GAP_US - 1;
        EventPacket p =
                EventPacket.builder("rt", 128, 128)
                        .on(TWO_32 - 1, 1, 2)
                        .off(TWO_32 - 1 + gap, 3, 4)
                        .build();
        assertThat(read(write(p))).isEqualTo(p);
    }

    @Test
    void eventsBeforeARejectedOneAreWritten() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Aedat2Writer writer = new Aedat2Writer(bytes, WriterOptions.of(128, 128));
        EventPacket p = EventPacket.builder("s", 128, 128).on(1, 1, 1).on(2, 200, 1).build();
        assertThatThrownBy(() -> writer.write(p)).isInstanceOf(IllegalArgumentException.class);
        assertThat(writer.eventsWritten()).isEqualTo(1);
        writer.write(EventPacket.builder("s", 128, 128).off(3, 2, 2).build());
        writer.close();
        EventPacket back = read(bytes.toByteArray());
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.t(1)).isEqualTo(3);
    }
}
