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
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatReaderTest {

    private static final String CD_HEADER =
            "% Data file containing CD events.\n% Version 2\n% Width 640\n% Height 480\n";

    // Version 2 data word: payload(4 bits) << 28 | y(14) << 14 | x(14)
    private static long v2(long t, int x, int y, int p) {
        return t << 32 | ((long) p << 28 | (long) y << 14 | x) & 0xFFFFFFFFL;
    }

    // Version 1 data word: payload(4) << 17 | y(8) << 9 | x(9)
    private static long v1(long t, int x, int y, int p) {
        return t << 32 | ((long) p << 17 | (long) y << 9 | x);
    }

    /** Header, type byte, size byte, then records as (uint32 t LE, uint32 data LE). */
    private static byte[] file(String header, int type, int size, long... records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        b.write(type);
        b.write(size);
        for (long r : records) {
            int t = (int) (r >>> 32);
            int data = (int) r;
            for (int v : new int[] {t, data}) {
                b.write(v);
                b.write(v >>> 8);
                b.write(v >>> 16);
                b.write(v >>> 24);
            }
        }
        return b.toByteArray();
    }

    private static DatReader reader(byte[] bytes) throws IOException {
        return new DatReader(new ByteArrayInputStream(bytes), "t.dat", ReaderOptions.defaults());
    }

    private static long[] sampleRecords() {
        return new long[] {
            v2(100, 1, 2, 1), // ON (1, 2) at 100 µs
            v2(150, 639, 479, 0), // OFF, last VGA pixel
            v2(160, 640, 0, 1), // x = 640: out_of_bounds
            v2(170, 5, 6, 3), // payload 3: treated as ON
            v2(165, 7, 8, 0), // 5 µs back: clamped to 170, time_backwards
            v2(200, 16383, 16383, 0), // 14-bit maxima: out_of_bounds for 640x480
        };
    }

    @Test
    void decodesHandEncodedVersion2Records() throws IOException {
        try (DatReader r = reader(file(CD_HEADER, 0x0C, 8, sampleRecords()))) {
            assertThat(r.info().format()).isEqualTo(EventFormat.DAT);
            assertThat(r.info().version()).isEqualTo("2");
            assertThat(r.info().width()).isEqualTo(640);
            assertThat(r.info().height()).isEqualTo(480);
            EventPacket all = readAll(r, 100);
            assertThat(all.timestamps()).containsExactly(100L, 150L, 170L, 170L);
            assertThat(all.xs()).containsExactly(new short[] {1, 639, 5, 7});
            assertThat(all.ys()).containsExactly(new short[] {2, 479, 6, 8});
            assertThat(all.polarities()).containsExactly(new byte[] {1, 0, 1, 0});
            assertThat(r.statistics().onEvents()).isEqualTo(2);
            assertThat(r.statistics().skipped("out_of_bounds")).isEqualTo(2);
            assertThat(r.statistics().skipped("time_backwards")).isEqualTo(1);
        }
    }

    @Test
    void smallPacketsAndTinyReadsContinueExactly() throws IOException {
        byte[] bytes = file(CD_HEADER, 0x0C, 8, sampleRecords());
        EventPacket whole = readAll(reader(bytes), 100);
        for (int cap = 1; cap <= 3; cap++) {
            DatReader r =
                    new DatReader(
                            new TrickleInputStream(bytes),
                            "t.dat",
                            ReaderOptions.defaults().withPacketCapacity(cap));
            assertThat(readAll(r, cap)).isEqualTo(whole);
        }
    }

    @Test
    void version1Layout() throws IOException {
        String header = "% Data file containing Event2d events.\n% Version 1\n";
        EventPacket all =
                readAll(
                        reader(
                                file(
                                        header,
                                        0x00,
                                        8,
                                        v1(10, 511, 255, 1), // 9-bit x max, 8-bit y max
                                        v1(20, 3, 4, 0))),
                        10);
        assertThat(all.xs()).containsExactly(new short[] {511, 3});
        assertThat(all.ys()).containsExactly(new short[] {255, 4});
        assertThat(all.polarities()).containsExactly(new byte[] {1, 0});
    }

    @Test
    void thirtyTwoBitWrapIsUnwrapped() throws IOException {
        EventPacket all =
                readAll(
                        reader(
                                file(
                                        CD_HEADER,
                                        0x0C,
                                        8,
                                        v2(0xFFFF_FFF0L, 1, 1, 1), // 2^32 - 16
                                        v2(0x10, 1, 1, 1), // back by ~2^32 > 2^31: wrap
                                        v2(0x20, 1, 1, 1))),
                        10);
        long wrap = 1L << 32;
        assertThat(all.timestamps()).containsExactly(wrap - 16, wrap + 16, wrap + 32);
    }

    @Test
    void triggerFilesDeliverNoEvents() throws IOException {
        DatReader r =
                reader(
                        file(
                                "% Data file containing ExtTrigger events.\n",
                                0x0E, 8, v2(1, 0, 0, 1), v2(2, 0, 0, 0)));
        assertThat(r.read(r.newPacket())).isFalse();
        assertThat(r.statistics().skipped("external")).isEqualTo(2);
    }

    @Test
    void badInputIsRejected() throws IOException {
        assertThatThrownBy(() -> reader(file(CD_HEADER, 0x0C, 4)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("size 4")
                .satisfies(
                        e ->
                                assertThat(((EventFormatException) e).offset())
                                        .isEqualTo(CD_HEADER.length() + 1));
        assertThatThrownBy(() -> reader(file(CD_HEADER, 0x05, 8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("type 0x05");
        assertThatThrownBy(() -> reader(file("% Version 3\n", 0x0C, 8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("Version 3");
        assertThatThrownBy(() -> reader(file("% Width abc\n", 0x0C, 8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("not a number");
        // A type byte with no size byte.
        byte[] noSize = Arrays.copyOf(file(CD_HEADER, 0x0C, 8), CD_HEADER.length() + 1);
        assertThatThrownBy(() -> reader(noSize))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedLastRecordFailsAfterDeliveringEvents() throws IOException {
        byte[] full = file(CD_HEADER, 0x0C, 8, v2(1, 1, 1, 1), v2(2, 2, 2, 0));
        byte[] bytes = Arrays.copyOf(full, full.length - 3);
        DatReader r = reader(bytes);
        EventPacket p = r.newPacket();
        assertThat(r.read(p)).isTrue();
        assertThat(p.size()).isEqualTo(1);
        assertThatThrownBy(() -> r.read(p))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("5 of 8 bytes")
                .satisfies(
                        e ->
                                assertThat(((EventFormatException) e).offset())
                                        .isEqualTo(full.length - 8));
    }

    @Test
    void realNcarsSample() throws IOException {
        Path f = RealData.file("tonic_sample_ncars.dat");
        try (InputStream in = Files.newInputStream(f);
                DatReader r = new DatReader(in, f.toString(), ReaderOptions.defaults())) {
            // The N-CARS header has no Width/Height: geometry unknown.
            assertThat(r.info().width()).isZero();
            assertThat(r.info().height()).isZero();
            assertThat(r.info().version()).isEqualTo("2");
            EventPacket p = r.newPacket();
            long prev = Long.MIN_VALUE;
            int maxX = 0;
            int maxY = 0;
            while (r.read(p)) {
                for (int i = 0; i < p.size(); i++) {
                    assertThat(p.timestamps()[i]).isGreaterThanOrEqualTo(prev);
                    prev = p.timestamps()[i];
                    maxX = Math.max(maxX, p.xs()[i]);
                    maxY = Math.max(maxY, p.ys()[i]);
                }
            }
            // (16165 - 91 header - 2) / 8 = 2009 records; counts from an independent numpy decode.
            assertThat(r.statistics().events()).isEqualTo(2009);
            assertThat(r.statistics().onEvents()).isEqualTo(1350);
            assertThat(r.statistics().skippedTotal()).isZero();
            // N-CARS crops are at most 120x100 pixels.
            assertThat(maxX).isBetween(1, 119);
            assertThat(maxY).isBetween(1, 99);
            assertThat(prev).isEqualTo(99_952L);
        }
    }
}
