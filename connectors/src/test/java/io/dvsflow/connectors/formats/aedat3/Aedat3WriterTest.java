package io.dvsflow.connectors.formats.aedat3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Aedat3WriterTest {

    private static final long EPOCH = 1L << 31; // one overflow step, in us

    private static final String DVS128_HEADER =
            "#!AER-DAT3.1\r\n"
                    + "#Format: RAW\r\n"
                    + "#Source 1: DVS128\r\n"
                    + "#Start-Time: 1970-01-01 00:00:00 (TZ+0000)\r\n"
                    + "#!END-HEADER\r\n";

    private static byte[] write(WriterOptions options, EventPacket... packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventWriter writer = new Aedat3Writer(out, options)) {
            assertThat(writer.format()).isEqualTo(EventFormat.AEDAT3);
            for (EventPacket p : packets) {
                writer.write(p);
            }
        }
        return out.toByteArray();
    }

    private static EventPacket readAll(EventReader reader) throws IOException {
        EventPacket all = new EventPacket(reader.streamId(), 0, 0, 16);
        EventPacket packet = reader.newPacket();
        while (reader.read(packet)) {
            all.addAll(packet);
            all.setGeometry(packet.width(), packet.height());
        }
        return all;
    }

    /** The packet headers of a file written by the writer: {overflow, capacity, number, valid}. */
    private static List<int[]> packetHeaders(byte[] file, int headerLength) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> headers = new ArrayList<>();
        int o = headerLength;
        while (o < file.length) {
            assertThat(b.getShort(o)).isEqualTo((short) 1); // POLARITY
            assertThat(b.getShort(o + 2)).isEqualTo((short) 1); // source
            assertThat(b.getInt(o + 4)).isEqualTo(8); // eventSize
            assertThat(b.getInt(o + 8)).isEqualTo(4); // eventTSOffset
            int capacity = b.getInt(o + 16);
            headers.add(new int[] {b.getInt(o + 12), capacity, b.getInt(o + 20), b.getInt(o + 24)});
            o += 28 + capacity * 8;
        }
        assertThat(o).isEqualTo(file.length);
        return headers;
    }

    @Test
    void writesTheDocumentedHeaderAndEventWords() throws IOException {
        EventPacket events =
                EventPacket.builder("s", 128, 128).on(100, 5, 7).off(101, 127, 0).build();
        byte[] file = write(WriterOptions.of(128, 128).withDevice("DVS128"), events);

        String header = new String(file, 0, DVS128_HEADER.length(), StandardCharsets.ISO_8859_1);
        assertThat(header).isEqualTo(DVS128_HEADER);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int o = DVS128_HEADER.length();
        assertThat(packetHeaders(file, o)).singleElement().isEqualTo(new int[] {0, 2, 2, 2});
        // x=5, y=7, ON, valid: 5 << 17 | 7 << 2 | 1 << 1 | 1 = 0x000A0000 | 0x1C | 0x3
        assertThat(b.getInt(o + 28)).isEqualTo(0x000A001F);
        assertThat(b.getInt(o + 32)).isEqualTo(100);
        // x=127, y=0, OFF, valid: 127 << 17 | 1 = 0x00FE0001
        assertThat(b.getInt(o + 36)).isEqualTo(0x00FE0001);
        assertThat(b.getInt(o + 40)).isEqualTo(101);
        assertThat(file).hasSize(o + 28 + 16);
    }

    @Test
    void emptyDeviceIsNamedFromTheSensorSize() throws IOException {
        byte[] file = write(WriterOptions.of(128, 128));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).isEqualTo(DVS128_HEADER);
        byte[] davis = write(WriterOptions.of(346, 260));
        assertThat(new String(davis, StandardCharsets.ISO_8859_1))
                .contains("#Source 1: DAVIS346\r\n")
                .doesNotContain("Sensor-Size");
    }

    @Test
    void packetsNeverStraddleAnOverflowBoundary() throws IOException {
        // 2^31 - 1 is the last us of epoch 0; 2^31 is ts32 = 0 in epoch 1
        EventPacket events =
                EventPacket.builder("s", 128, 128).on(EPOCH - 1, 1, 1).on(EPOCH, 2, 2).build();
        byte[] file = write(WriterOptions.of(128, 128).withEventsPerPacket(100), events);
        int o = DVS128_HEADER.length();
        List<int[]> headers = packetHeaders(file, o);
        assertThat(headers).hasSize(2);
        assertThat(headers.get(0)).isEqualTo(new int[] {0, 1, 1, 1});
        assertThat(headers.get(1)).isEqualTo(new int[] {1, 1, 1, 1});
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(o + 28 + 4)).isEqualTo(0x7FFFFFFF);
        assertThat(b.getInt(o + 28 + 8 + 28 + 4)).isZero();
    }

    @Test
    void roundTripIsExactAcrossPacketsAndEpochs() throws IOException {
        EventPacket first =
                EventPacket.builder("s", 128, 128)
                        .on(10, 0, 0)
                        .off(20, 127, 127)
                        .on(30, 64, 3)
                        .build();
        EventPacket second =
                EventPacket.builder("s", 128, 128)
                        .off(40, 1, 2)
                        .on(50, 3, 4)
                        .on(EPOCH + 5, 5, 6)
                        .off(EPOCH + 6, 7, 8)
                        .on(3 * EPOCH + 1, 9, 10)
                        .off(3 * EPOCH + 2, 11, 12)
                        .on(3 * EPOCH + 2, 13, 14)
                        .build();
        byte[] file = write(WriterOptions.of(128, 128).withEventsPerPacket(4), first, second);

        // [10,20,30,40] full, [50] cut by epoch 1, [E+5,E+6] cut by epoch 3, [3E+1..3E+2]
        List<int[]> headers = packetHeaders(file, DVS128_HEADER.length());
        assertThat(headers)
                .extracting(h -> h[0] + ":" + h[2])
                .containsExactly("0:4", "0:1", "1:2", "3:3");

        EventPacket expected = first.copy();
        expected.addAll(second);
        ReaderOptions options = ReaderOptions.defaults().withPacketCapacity(3);
        try (Aedat3Reader reader = new Aedat3Reader(new ByteArrayInputStream(file), "s", options)) {
            EventPacket all = readAll(reader);
            assertThat(all).isEqualTo(expected);
            assertThat(reader.statistics().skippedTotal()).isZero();
            assertThat(reader.statistics().onEvents()).isEqualTo(6);
        }
    }

    @Test
    void outputIsDeterministic() throws IOException {
        Random random = new Random(42);
        EventPacket events = new EventPacket("s", 240, 180, 1000);
        long t = 0;
        for (int i = 0; i < 1000; i++) {
            t += random.nextInt(5000);
            events.add(t, random.nextInt(240), random.nextInt(180), random.nextInt(2));
        }
        WriterOptions options = WriterOptions.of(240, 180).withEventsPerPacket(64);
        byte[] a = write(options, events);
        byte[] b = write(options, events);
        assertThat(a).isEqualTo(b);
        try (Aedat3Reader reader =
                new Aedat3Reader(new ByteArrayInputStream(a), "s", ReaderOptions.defaults())) {
            assertThat(reader.info().device()).isEqualTo("DAVIS240C");
            assertThat(readAll(reader)).isEqualTo(events);
        }
    }

    @Test
    void unusualSensorSizeSurvivesTheRoundTrip() throws IOException {
        EventPacket events = EventPacket.builder("s", 304, 240).on(1, 303, 239).build();
        byte[] file = write(WriterOptions.of(304, 240).withDevice("ATIS-like"), events);
        assertThat(new String(file, StandardCharsets.ISO_8859_1))
                .contains(
                        "#Source 1: ATIS-like\r\n#Start-Time: 1970-01-01 00:00:00 (TZ+0000)\r\n"
                                + "#Sensor-Size: 304x240\r\n#!END-HEADER\r\n");
        try (Aedat3Reader reader =
                new Aedat3Reader(new ByteArrayInputStream(file), "s", ReaderOptions.defaults())) {
            assertThat(reader.info().width()).isEqualTo(304);
            assertThat(reader.info().height()).isEqualTo(240);
            assertThat(readAll(reader)).isEqualTo(events);
        }
    }

    @Test
    void rejectsEventsTheFormatCannotHold() {
        WriterOptions options = WriterOptions.of(128, 128);
        assertThatThrownBy(
                        () ->
                                write(
                                        options,
                                        EventPacket.builder("s", 128, 128)
                                                .on(5, 1, 1)
                                                .on(4, 1, 1)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the previous");
        assertThatThrownBy(
                        () ->
                                write(
                                        options,
                                        EventPacket.builder("s", 128, 128).on(-1, 1, 1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside [0, 2^62)");
        assertThatThrownBy(
                        () ->
                                write(
                                        options,
                                        EventPacket.builder("s", 128, 128).on(1, 128, 1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the 128x128 sensor");
        assertThatThrownBy(
                        () ->
                                write(
                                        options,
                                        EventPacket.builder("s", 128, 128).on(1, 1, 1).build(),
                                        EventPacket.builder("s", 128, 128).on(0, 1, 1).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeFileReadThroughShortReadsMatchesTheInput() throws IOException {
        // > 1 MiB (the input window) and a stream that returns at most 4093 bytes per call, so
        // events and packet headers straddle refills.
        Random random = new Random(3);
        EventPacket events = new EventPacket("s", 128, 128, 150_000);
        long t = EPOCH - 100_000;
        for (int i = 0; i < 150_000; i++) {
            t += random.nextInt(3);
            events.add(t, random.nextInt(128), random.nextInt(128), random.nextInt(2));
        }
        byte[] file = write(WriterOptions.of(128, 128).withEventsPerPacket(5000), events);
        assertThat(file.length).isGreaterThan(1 << 20);
        ByteArrayInputStream bytes = new ByteArrayInputStream(file);
        InputStream trickle =
                new InputStream() {
                    @Override
                    public int read() {
                        return bytes.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        return bytes.read(b, off, Math.min(len, 4093));
                    }
                };
        ReaderOptions options = ReaderOptions.defaults().withPacketCapacity(10_007);
        try (Aedat3Reader reader = new Aedat3Reader(trickle, "s", options)) {
            assertThat(readAll(reader)).isEqualTo(events);
            assertThat(reader.position()).isEqualTo(file.length);
        }
    }

    @Test
    void dvsGestureStyleFileReadsBackWithDvs128Geometry() throws IOException {
        // A DVS Gesture trial: DVS128, times on the label clock (e.g. class 1 from 80048239 us)
        Random random = new Random(7);
        EventPacket events = new EventPacket("user01_fluorescent.aedat", 128, 128, 5000);
        long t = 80_048_239L;
        events.add(t, 0, 0, 1);
        for (int i = 0; i < 4998; i++) {
            t += random.nextInt(40);
            events.add(t, random.nextInt(128), random.nextInt(128), random.nextInt(2));
        }
        events.add(t + 1, 127, 127, 0);
        byte[] file =
                write(
                        WriterOptions.of(128, 128).withDevice("DVS128").withEventsPerPacket(1000),
                        events);

        assertThat(EventFormats.detect(file, file.length, "user01_fluorescent.aedat"))
                .isEqualTo(EventFormat.AEDAT3);
        try (EventReader reader =
                EventFormats.open(
                        new ByteArrayInputStream(file),
                        "user01_fluorescent.aedat",
                        EventFormat.AEDAT3,
                        ReaderOptions.defaults().withPacketCapacity(777))) {
            assertThat(reader.info().device()).isEqualTo("DVS128");
            assertThat(reader.info().width()).isEqualTo(128);
            assertThat(reader.info().height()).isEqualTo(128);
            assertThat(reader.info().version()).isEqualTo("3.1");
            EventPacket all = readAll(reader);
            assertThat(all.width()).isEqualTo(128);
            assertThat(all.height()).isEqualTo(128);
            assertThat(all).isEqualTo(events);
            long on = 0;
            for (int i = 0; i < events.size(); i++) {
                on += events.p(i);
            }
            assertThat(reader.statistics().events()).isEqualTo(5000);
            assertThat(reader.statistics().onEvents()).isEqualTo(on);
            assertThat(reader.statistics().skippedTotal()).isZero();
        }
    }
}
