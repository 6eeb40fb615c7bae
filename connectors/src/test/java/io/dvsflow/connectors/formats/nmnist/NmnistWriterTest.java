package io.dvsflow.connectors.formats.nmnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class NmnistWriterTest {

    private static byte[] write(EventPacket events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (NmnistWriter w = new NmnistWriter(out, WriterOptions.of(34, 34))) {
            w.write(events);
        }
        return out.toByteArray();
    }

    private static EventPacket readAll(byte[] bytes, NmnistReader[] readerOut) throws IOException {
        EventPacket all = new EventPacket("all", 0, 0, 16);
        try (NmnistReader r =
                new NmnistReader(
                        new ByteArrayInputStream(bytes),
                        "mem.bin",
                        ReaderOptions.defaults().withPacketCapacity(7))) {
            EventPacket p = new EventPacket("p", 0, 0, 7);
            while (r.read(p)) {
                all.addAll(p);
            }
            readerOut[0] = r;
        }
        return all;
    }

    @Test
    void encodesRecordsAsTheSpecSays() throws IOException {
        byte[] bytes =
                write(
                        EventPacket.builder("s", 34, 34)
                                .on(0x012345, 5, 33)
                                .off(0x7FFFFF, 33, 0)
                                .build());
        // event 1: x=5, y=33, p=1, t=0x012345 -> 05 21 | 1<<7 | 0x01 = 0x81 | 23 45
        // event 2: x=33, y=0, p=0, t=0x7FFFFF (2^23 - 1, still in period 0) -> 21 00 7F FF FF
        assertThat(bytes)
                .containsExactly(
                        0x05, 0x21, 0x81, 0x23, 0x45, //
                        0x21, 0x00, 0x7F, 0xFF, 0xFF);
    }

    @Test
    void writesOverflowMarkersPastTwoToTheTwentyThree() throws IOException {
        long period = 1L << 23; // 8,388,608 µs
        byte[] bytes =
                write(
                        EventPacket.builder("s", 34, 34)
                                .on(10, 1, 1)
                                .on(period + 3, 2, 2) // one marker, then t = 3
                                .off(3 * period + 0x10000, 3, 3) // two markers, then t = 0x10000
                                .build());
        assertThat(bytes)
                .containsExactly(
                        0x01, 0x01, 0x80, 0x00, 0x0A, //
                        0x00, 0xF0, 0x00, 0x00, 0x00, // marker: y = 240
                        0x02, 0x02, 0x80, 0x00, 0x03, //
                        0x00, 0xF0, 0x00, 0x00, 0x00, //
                        0x00, 0xF0, 0x00, 0x00, 0x00, //
                        0x03, 0x03, 0x01, 0x00, 0x00);
    }

    @Test
    void roundTripsThroughTheReaderIncludingOverflows() throws IOException {
        EventPacket.Builder b = EventPacket.builder("s", 34, 34);
        long t = 0;
        for (int i = 0; i < 1000; i++) {
            t += (i % 100 == 99) ? 3_000_000L : 37L * (i % 5);
            b.add(t, i % 34, (i * 7) % 34, i % 3 == 0 ? 1 : 0);
        }
        EventPacket events = b.build();
        NmnistReader[] reader = new NmnistReader[1];
        EventPacket back = readAll(write(events), reader);
        assertThat(back.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(back.t(i)).isEqualTo(events.t(i));
            assertThat(back.x(i)).isEqualTo(events.x(i));
            assertThat(back.y(i)).isEqualTo(events.y(i));
            assertThat(back.p(i)).isEqualTo(events.p(i));
        }
        // 10 gaps of 3 s push t to about 30 s: 3 whole periods of 2^23 µs, so 3 markers
        assertThat(reader[0].statistics().skipped()).containsEntry("overflow", 3L);
    }

    @Test
    void refusesWhatTheFormatCannotHold() {
        assertThatThrownBy(() -> write(EventPacket.builder("s", 34, 34).on(5, 34, 0).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the 34x34 sensor");
        assertThatThrownBy(
                        () ->
                                write(
                                        EventPacket.builder("s", 34, 34)
                                                .on(5, 1, 1)
                                                .on(4, 1, 1)
                                                .build()))
                .hasMessageContaining("before the previous event");
        assertThatThrownBy(
                        () ->
                                new NmnistWriter(
                                        new ByteArrayOutputStream(), WriterOptions.of(240, 241)))
                .hasMessageContaining("256 x 240");
    }
}
