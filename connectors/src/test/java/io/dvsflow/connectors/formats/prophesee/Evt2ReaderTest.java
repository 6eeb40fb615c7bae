package io.dvsflow.connectors.formats.prophesee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.EventReader;
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

class Evt2ReaderTest {

    private static final String VGA_HEADER = "% evt 2.0\n% geometry 640x480\n% end\n";

    // EVT 2.0 words: type in bits 31..28.
    // CD: type | tLow(6 bits) << 22 | x(11) << 11 | y(11)
    private static int cd(int type, int tLow, int x, int y) {
        return type << 28 | tLow << 22 | x << 11 | y;
    }

    // TIME_HIGH: 0x8 << 28 | timestamp bits 33..6
    private static int timeHigh(int th) {
        return 0x8 << 28 | th;
    }

    static byte[] file(String header, int... words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int w : words) {
            b.write(w);
            b.write(w >>> 8);
            b.write(w >>> 16);
            b.write(w >>> 24);
        }
        return b.toByteArray();
    }

    /** Reads everything with packets of {@code capacity} events, concatenated. */
    static EventPacket readAll(EventReader r, int capacity) throws IOException {
        EventPacket all = new EventPacket("all", 0, 0, 0);
        EventPacket p = new EventPacket("x", 0, 0, capacity);
        while (r.read(p)) {
            assertThat(p.size()).isBetween(1, capacity);
            all.addAll(p);
        }
        assertThat(p.size()).isZero();
        return all.copy();
    }

    private static Evt2Reader reader(byte[] bytes) throws IOException {
        return new Evt2Reader(new ByteArrayInputStream(bytes), "t.raw", ReaderOptions.defaults());
    }

    private static int[] sampleWords() {
        return new int[] {
            timeHigh(1000), // time base = 1000 << 6 = 64000 µs
            cd(1, 5, 100, 200), // ON at t = 64000 + 5 = 64005, (100, 200)
            cd(0, 63, 639, 479), // OFF at 64063, (639, 479): last pixel of VGA
            0xA << 28 | 7 << 22 | 1, // EXT_TRIGGER -> skipped "external"
            0xE << 28, // OTHERS -> "other"
            0xF << 28 | 12345, // CONTINUED -> "other"
            0x3 << 28, // undefined type -> "other"
            cd(1, 0, 640, 0), // x = 640 outside 640x480 -> "out_of_bounds"
            cd(1, 0, 0, 480), // y = 480 outside -> "out_of_bounds"
            timeHigh(1001), // 1001 << 6 = 64064
            cd(0, 1, 0, 0), // OFF at 64065, (0, 0)
        };
    }

    @Test
    void decodesHandEncodedWords() throws IOException {
        try (Evt2Reader r = reader(file(VGA_HEADER, sampleWords()))) {
            assertThat(r.info().format()).isEqualTo(EventFormat.EVT2);
            assertThat(r.info().width()).isEqualTo(640);
            assertThat(r.info().height()).isEqualTo(480);
            EventPacket p = r.newPacket();
            assertThat(r.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(3);
            assertThat(p.streamId()).isEqualTo("t.raw");
            assertThat(p.width()).isEqualTo(640);
            assertThat(p.t(0)).isEqualTo(64005L);
            assertThat(p.x(0)).isEqualTo(100);
            assertThat(p.y(0)).isEqualTo(200);
            assertThat(p.p(0)).isEqualTo(1);
            assertThat(p.t(1)).isEqualTo(64063L);
            assertThat(p.x(1)).isEqualTo(639);
            assertThat(p.y(1)).isEqualTo(479);
            assertThat(p.p(1)).isEqualTo(0);
            assertThat(p.t(2)).isEqualTo(64065L);
            assertThat(r.read(p)).isFalse();
            assertThat(r.statistics().events()).isEqualTo(3);
            assertThat(r.statistics().onEvents()).isEqualTo(1);
            assertThat(r.statistics().skipped("external")).isEqualTo(1);
            assertThat(r.statistics().skipped("other")).isEqualTo(3);
            assertThat(r.statistics().skipped("out_of_bounds")).isEqualTo(2);
            assertThat(r.statistics().skipped("time_backwards")).isZero();
            assertThat(r.position()).isEqualTo(VGA_HEADER.length() + 11 * 4);
        }
    }

    @Test
    void smallPacketsAndTinyReadsContinueExactly() throws IOException {
        byte[] bytes = file(VGA_HEADER, sampleWords());
        EventPacket whole = readAll(reader(bytes), 1000);
        for (int cap = 1; cap <= 3; cap++) {
            Evt2Reader r =
                    new Evt2Reader(
                            new TrickleInputStream(bytes),
                            "t.raw",
                            ReaderOptions.defaults().withPacketCapacity(cap));
            EventPacket got = readAll(r, cap);
            assertThat(got).isEqualTo(whole);
            assertThat(r.statistics().skippedTotal()).isEqualTo(6);
        }
    }

    @Test
    void thirtyFourBitWrapAddsTwoToThe34() throws IOException {
        byte[] bytes =
                file(
                        VGA_HEADER,
                        timeHigh(0x0FFFFFFF), // (2^28 - 1) << 6 = 2^34 - 64
                        cd(1, 63, 1, 1), // t = 2^34 - 1
                        timeHigh(0), // far back (> 2^27): a wrap, base = 2^34
                        cd(1, 2, 1, 1)); // t = 2^34 + 2
        EventPacket all = readAll(reader(bytes), 10);
        assertThat(all.timestamps()).containsExactly((1L << 34) - 1, (1L << 34) + 2);
    }

    @Test
    void smallStepBackIsClampedNotAWrap() throws IOException {
        Evt2Reader r =
                reader(
                        file(
                                VGA_HEADER,
                                timeHigh(100), // 6400
                                cd(1, 10, 1, 1), // 6410
                                timeHigh(99), // 6336: back by 1 TIME_HIGH step, not a wrap
                                cd(1, 0, 1, 1), // 6336 < 6410 -> clamped to 6410
                                timeHigh(101), // 6464
                                cd(1, 0, 1, 1))); // 6464
        EventPacket all = readAll(r, 10);
        assertThat(all.timestamps()).containsExactly(6410L, 6410L, 6464L);
        assertThat(r.statistics().skipped("time_backwards")).isEqualTo(1);
    }

    @Test
    void eventsBeforeTheFirstTimeHighUseTimeHighZero() throws IOException {
        EventPacket all =
                readAll(reader(file(VGA_HEADER, cd(1, 7, 1, 1), timeHigh(2), cd(0, 0, 1, 1))), 10);
        // 7 (low bits only), then 2 << 6 = 128
        assertThat(all.timestamps()).containsExactly(7L, 128L);
    }

    @Test
    void geometryFromPluginNameOrUnknown() throws IOException {
        String gen3 = "% evt 2.0\n% plugin_name hal_plugin_gen3_fx3\n% serial_number 42\n";
        try (Evt2Reader r = reader(file(gen3, timeHigh(1), cd(1, 0, 640, 0)))) {
            assertThat(r.info().width()).isEqualTo(640);
            assertThat(r.info().height()).isEqualTo(480);
            assertThat(r.info().device()).isEqualTo("hal_plugin_gen3_fx3");
            assertThat(r.info().metadata()).containsEntry("serial_number", "42");
            assertThat(readAll(r, 10).size()).isZero();
            assertThat(r.statistics().skipped("out_of_bounds")).isEqualTo(1);
        }
        // No geometry anywhere: 0x0, and no bounds check (x = 2047, the largest 11-bit value).
        try (Evt2Reader r = reader(file("% evt 2.0\n", timeHigh(1), cd(1, 0, 2047, 2047)))) {
            assertThat(r.info().width()).isZero();
            EventPacket all = readAll(r, 10);
            assertThat(all.x(0)).isEqualTo(2047);
            assertThat(all.y(0)).isEqualTo(2047);
        }
        // % format line with width/height.
        try (Evt2Reader r = reader(file("% format EVT2;height=320;width=320\n% end\n"))) {
            assertThat(r.info().width()).isEqualTo(320);
            assertThat(r.info().height()).isEqualTo(320);
        }
    }

    @Test
    void flipMirrorsCoordinates() throws IOException {
        Evt2Reader r =
                new Evt2Reader(
                        new ByteArrayInputStream(file(VGA_HEADER, timeHigh(1), cd(1, 0, 10, 20))),
                        "t.raw",
                        ReaderOptions.defaults().withFlipX(true).withFlipY(true));
        EventPacket all = readAll(r, 10);
        assertThat(all.x(0)).isEqualTo(639 - 10);
        assertThat(all.y(0)).isEqualTo(479 - 20);
    }

    @Test
    void truncatedLastWordFailsAfterDeliveringEvents() throws IOException {
        byte[] full = file(VGA_HEADER, timeHigh(1), cd(1, 0, 1, 1));
        byte[] bytes = new byte[full.length + 2];
        System.arraycopy(full, 0, bytes, 0, full.length);
        Evt2Reader r = reader(bytes);
        EventPacket p = r.newPacket();
        assertThat(r.read(p)).isTrue();
        assertThat(p.size()).isEqualTo(1);
        assertThatThrownBy(() -> r.read(p))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("t.raw")
                .hasMessageContaining("truncated")
                .satisfies(
                        e ->
                                assertThat(((EventFormatException) e).offset())
                                        .isEqualTo(full.length));
    }

    @Test
    void badHeadersAreRejected() {
        assertThatThrownBy(() -> reader(file("% evt 3.0\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("evt 3.0");
        assertThatThrownBy(() -> reader(file("% format EVT21;width=1;height=1\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("EVT21");
        assertThatThrownBy(() -> reader(file("% geometry 640by480\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("geometry");
        assertThatThrownBy(() -> reader(file("% geometry 99999999x480\n")))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("width");
        // An endless header line (no newline) is bounded.
        assertThatThrownBy(() -> reader(file("% " + "x".repeat(100_000))))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("longer than");
        // Too many header lines.
        assertThatThrownBy(() -> reader(file("%\n".repeat(20_000))))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("header lines");
        // flip without geometry
        assertThatThrownBy(
                        () ->
                                new Evt2Reader(
                                        new ByteArrayInputStream(file("% evt 2.0\n")),
                                        "t.raw",
                                        ReaderOptions.defaults().withFlipX(true)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("flip");
    }

    @Test
    void emptyBodyHasNoEvents() throws IOException {
        Evt2Reader r = reader(file(VGA_HEADER));
        assertThat(r.read(r.newPacket())).isFalse();
        assertThat(r.statistics().events()).isZero();
    }

    @Test
    void realExpelliarmusSample() throws IOException {
        Path f = RealData.file("expelliarmus_evt2_sample.raw");
        // Expected values from an independent numpy decode of the same words (types 0/1/8 only).
        checkReal(f, 539_481, 367_855, 1_317_888L, 1_367_888L, "30384338");
    }

    @Test
    void realFaerySample() throws IOException {
        Path f = RealData.file("faery_evt2.raw");
        checkReal(f, 521_252, 185_861, 913_716_224L, 913_812_095L, "00000157");
    }

    private static void checkReal(
            Path f, long events, long on, long firstT, long lastT, String serial)
            throws IOException {
        try (InputStream in = Files.newInputStream(f);
                Evt2Reader r = new Evt2Reader(in, f.toString(), ReaderOptions.defaults())) {
            // Plugin hal_plugin_gen3_fx3 -> Gen3 VGA.
            assertThat(r.info().width()).isEqualTo(640);
            assertThat(r.info().height()).isEqualTo(480);
            assertThat(r.info().metadata()).containsEntry("serial_number", serial);
            EventPacket p = r.newPacket();
            long prev = Long.MIN_VALUE;
            long first = -1;
            while (r.read(p)) {
                for (int i = 0; i < p.size(); i++) {
                    assertThat(p.timestamps()[i]).isGreaterThanOrEqualTo(prev);
                    prev = p.timestamps()[i];
                    assertThat((int) p.xs()[i]).isBetween(0, 639);
                    assertThat((int) p.ys()[i]).isBetween(0, 479);
                }
                if (first < 0) {
                    first = p.firstTimestamp();
                }
            }
            assertThat(r.statistics().events()).isEqualTo(events);
            assertThat(r.statistics().onEvents()).isEqualTo(on);
            assertThat(r.statistics().offEvents()).isPositive();
            assertThat(r.statistics().skippedTotal()).isZero();
            assertThat(first).isEqualTo(firstT);
            assertThat(prev).isEqualTo(lastT);
            assertThat(r.position()).isEqualTo(Files.size(f));
        }
    }
}
