package io.dvsflow.connectors.formats.prophesee;

import static io.dvsflow.connectors.formats.prophesee.Evt2ReaderTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RealData;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Evt3ReaderTest {

    private static final String HD_HEADER =
            "% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n";

    // EVT 3.0 16-bit words: type in bits 15..12, payload in bits 11..0.
    private static int addrY(int y) {
        return 0x0000 | y; // 0x0 | y(11 bits)
    }

    private static int addrX(int p, int x) {
        return 0x2000 | p << 11 | x; // 0x2 | pol(bit 11) | x(11 bits)
    }

    private static int vectBaseX(int p, int x) {
        return 0x3000 | p << 11 | x; // 0x3 | pol | base x
    }

    private static int vect12(int mask) {
        return 0x4000 | mask; // 0x4 | 12-bit validity mask
    }

    private static int vect8(int mask) {
        return 0x5000 | mask; // 0x5 | 8-bit mask in bits 7..0
    }

    private static int timeLow(int t) {
        return 0x6000 | t; // 0x6 | time bits 11..0
    }

    private static int timeHigh(int t) {
        return 0x8000 | t; // 0x8 | time bits 23..12
    }

    private static byte[] file(String header, int... words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int w : words) {
            b.write(w);
            b.write(w >>> 8);
        }
        return b.toByteArray();
    }

    private static Evt3Reader reader(byte[] bytes) throws IOException {
        return new Evt3Reader(new ByteArrayInputStream(bytes), "t.raw", ReaderOptions.defaults());
    }

    private static int[] sampleWords() {
        return new int[] {
            timeHigh(1), // high = 1 << 12 = 4096 (changed high: low reset to 0)
            timeLow(10), // t = 4096 | 10 = 4106
            addrY(5), // y = 5
            addrX(1, 7), // ON (7, 5) at 4106
            vectBaseX(0, 100), // base x = 100, OFF
            vect12(0b1000_0000_0101), // bits 0, 2, 11 -> x = 100, 102, 111; base -> 112
            vect8(0b1000_0001), // bits 0, 7 -> x = 112, 119; base -> 120
            0x7000 | 0x123, // CONTINUED_4 -> "other"
            0xF000 | 0xABC, // CONTINUED_12 -> "other"
            0xE000, // OTHERS -> "other"
            0xA000 | 3 << 8 | 1, // EXT_TRIGGER id 3 value 1 -> "external"
            vect12(0b1), // x = 120 (base after the VECT_8)
            timeLow(20), // t = 4116
            addrX(0, 3), // OFF (3, 5) at 4116
        };
    }

    @Test
    void decodesHandEncodedWords() throws IOException {
        try (Evt3Reader r = reader(file(HD_HEADER, sampleWords()))) {
            assertThat(r.info().format()).isEqualTo(EventFormat.EVT3);
            assertThat(r.info().width()).isEqualTo(1280);
            assertThat(r.info().height()).isEqualTo(720);
            EventPacket all = readAll(r, 100);
            assertThat(all.xs()).containsExactly(new short[] {7, 100, 102, 111, 112, 119, 120, 3});
            assertThat(all.ys()).containsOnly((short) 5);
            assertThat(all.polarities()).containsExactly(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
            assertThat(all.timestamps())
                    .containsExactly(4106L, 4106L, 4106L, 4106L, 4106L, 4106L, 4106L, 4116L);
            assertThat(r.statistics().events()).isEqualTo(8);
            assertThat(r.statistics().onEvents()).isEqualTo(1);
            assertThat(r.statistics().skipped("other")).isEqualTo(3);
            assertThat(r.statistics().skipped("external")).isEqualTo(1);
            assertThat(r.statistics().skipped("time_backwards")).isZero();
        }
    }

    @Test
    void vectorsStraddleRefillsAndPacketsExactly() throws IOException {
        byte[] bytes = file(HD_HEADER, sampleWords());
        EventPacket whole = readAll(reader(bytes), 100);
        // Capacities 1..5 cut the 3-event VECT_12 and the 2-event VECT_8 in every place; the
        // trickle stream returns 1-3 bytes per read, so words also straddle refills.
        for (int cap = 1; cap <= 5; cap++) {
            Evt3Reader r =
                    new Evt3Reader(
                            new TrickleInputStream(bytes),
                            "t.raw",
                            ReaderOptions.defaults().withPacketCapacity(cap));
            assertThat(readAll(r, cap)).isEqualTo(whole);
            assertThat(r.statistics().events()).isEqualTo(8);
            assertThat(r.statistics().skippedTotal()).isEqualTo(4);
        }
    }

    @Test
    void timeLowStepBackIsClampedNotAWrap() throws IOException {
        Evt3Reader r =
                reader(
                        file(
                                HD_HEADER,
                                timeHigh(2), // 2 << 12 = 8192
                                timeLow(811), // 8192 + 811 = 9003
                                addrY(0),
                                addrX(1, 1), // t = 9003
                                timeLow(800), // 8992 < 9003: clamped (1 time_backwards)
                                addrX(1, 2), // t = 9003 (clamped)
                                timeLow(805), // 8997 < 9003: clamped (2)
                                addrX(1, 3), // t = 9003
                                timeLow(812), // 9004: caught up
                                addrX(1, 4))); // t = 9004
        EventPacket all = readAll(r, 100);
        // A decoder treating 811 -> 800 as a wrap would output 9003 + 4096 - 11 = 13088 here.
        assertThat(all.timestamps()).containsExactly(9003L, 9003L, 9003L, 9004L);
        assertThat(r.statistics().skipped("time_backwards")).isEqualTo(2);
    }

    @Test
    void timeHighWrapAddsTwoToThe24AndRepeatsChangeNothing() throws IOException {
        EventPacket all =
                readAll(
                        reader(
                                file(
                                        HD_HEADER,
                                        timeHigh(4095), // 4095 << 12 = 16773120
                                        timeLow(4095), // 16777215 = 2^24 - 1
                                        addrY(1),
                                        addrX(0, 1), // t = 2^24 - 1
                                        timeHigh(0), // back by 4095 > 2048: wrap, t = 2^24
                                        addrX(0, 2), // t = 2^24 (low reset to 0)
                                        timeLow(5), // 2^24 + 5
                                        addrX(0, 5), // t = 2^24 + 5
                                        timeHigh(0), // repeated: unchanged, low stays 5
                                        addrX(0, 3), // t = 2^24 + 5
                                        timeHigh(1), // changed: 2^24 + 4096
                                        addrX(0, 4))),
                        100);
        long wrap = 1L << 24;
        assertThat(all.timestamps())
                .containsExactly(wrap - 1, wrap, wrap + 5, wrap + 5, wrap + 4096);
    }

    @Test
    void smallTimeHighStepBackIsClamped() throws IOException {
        Evt3Reader r =
                reader(
                        file(
                                HD_HEADER,
                                timeHigh(10), // 40960
                                addrY(0),
                                addrX(1, 1), // 40960
                                timeHigh(9), // back by 1 (< 2048): not a wrap, clamped
                                addrX(1, 2), // 40960
                                timeLow(100), // 36864 + 100 < 40960: clamped
                                timeHigh(11), // 45056
                                addrX(1, 3)));
        EventPacket all = readAll(r, 100);
        assertThat(all.timestamps()).containsExactly(40960L, 40960L, 45056L);
        assertThat(r.statistics().skipped("time_backwards")).isEqualTo(2);
    }

    @Test
    void outOfBoundsCoordinatesAreSkipped() throws IOException {
        Evt3Reader r =
                reader(
                        file(
                                HD_HEADER,
                                addrY(720), // y outside 720 rows
                                addrX(1, 0), // out_of_bounds
                                vectBaseX(1, 0),
                                vect12(0b111), // 3 out_of_bounds (y)
                                addrY(719),
                                vectBaseX(1, 1278), // x = 1278, 1279 inside, 1280.. outside
                                vect12(0b1111), // x 1278, 1279 kept; 1280, 1281 skipped
                                addrX(0, 1280))); // skipped
        EventPacket all = readAll(r, 100);
        assertThat(all.xs()).containsExactly(new short[] {1278, 1279});
        assertThat(r.statistics().skipped("out_of_bounds")).isEqualTo(1 + 3 + 2 + 1);
    }

    @Test
    void oddTrailingByteFailsAfterDeliveringEvents() throws IOException {
        byte[] full = file(HD_HEADER, addrY(1), addrX(1, 1));
        byte[] bytes = new byte[full.length + 1];
        System.arraycopy(full, 0, bytes, 0, full.length);
        Evt3Reader r = reader(bytes);
        EventPacket p = r.newPacket();
        assertThat(r.read(p)).isTrue();
        assertThat(p.size()).isEqualTo(1);
        assertThatThrownBy(() -> r.read(p))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("truncated")
                .satisfies(
                        e ->
                                assertThat(((EventFormatException) e).offset())
                                        .isEqualTo(full.length));
    }

    @Test
    void badHeadersAreRejected() {
        assertThatThrownBy(() -> reader(file("% evt 2.0\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("EVT 3.0");
        assertThatThrownBy(() -> reader(file("% format EVT3;height=abc;width=1280\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> reader(file("% format EVT3;height=0;width=1280\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("height 0");
    }

    @Test
    void realExpelliarmusSample() throws IOException {
        Path f = RealData.file("expelliarmus_evt3_sample.raw");
        try (InputStream in = Files.newInputStream(f);
                Evt3Reader r = new Evt3Reader(in, f.toString(), ReaderOptions.defaults())) {
            // No geometry line: plugin hal_plugin_gen41_evk3 -> Gen4.1 HD.
            assertThat(r.info().width()).isEqualTo(1280);
            assertThat(r.info().height()).isEqualTo(720);
            assertThat(r.info().device()).isEqualTo("hal_plugin_gen41_evk3");
            EventPacket p = r.newPacket();
            long prev = Long.MIN_VALUE;
            while (r.read(p)) {
                for (int i = 0; i < p.size(); i++) {
                    assertThat(p.timestamps()[i]).isGreaterThanOrEqualTo(prev);
                    prev = p.timestamps()[i];
                    assertThat((int) p.xs()[i]).isBetween(0, 1279);
                    assertThat((int) p.ys()[i]).isBetween(0, 719);
                }
            }
            // Expected values from an independent Python decode of the words with the same
            // policy. The file has 9 TIME_LOW steps back of 3-11 µs (e.g. 811 -> 800).
            assertThat(r.statistics().events()).isEqualTo(219_596);
            assertThat(r.statistics().onEvents()).isEqualTo(115_532);
            assertThat(r.statistics().offEvents()).isPositive();
            assertThat(r.statistics().skipped("time_backwards")).isEqualTo(59);
            assertThat(r.statistics().skipped("out_of_bounds")).isZero();
            assertThat(prev).isEqualTo(11_727_467L);
            assertThat(r.position()).isEqualTo(Files.size(f));
        }
    }

    @Test
    void realSampleDecodesTheSameThroughTinyReadsAndPackets() throws IOException {
        Path f = RealData.file("expelliarmus_evt3_sample.raw");
        byte[] bytes = Files.readAllBytes(f);
        EventPacket whole = readAll(reader(bytes), 1 << 16);
        Evt3Reader r =
                new Evt3Reader(
                        new TrickleInputStream(bytes),
                        "t.raw",
                        ReaderOptions.defaults().withPacketCapacity(7));
        assertThat(readAll(r, 7)).isEqualTo(whole);
    }
}
