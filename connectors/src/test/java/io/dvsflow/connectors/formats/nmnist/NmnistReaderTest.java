package io.dvsflow.connectors.formats.nmnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RealData;
import io.dvsflow.connectors.formats.prophesee.TrickleInputStream;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NmnistReaderTest {

    // Record: x, y, p << 7 | t[22..16], t[15..8], t[7..0]
    private static void record(ByteArrayOutputStream b, int x, int y, int p, int t) {
        b.write(x);
        b.write(y);
        b.write(p << 7 | (t >>> 16) & 0x7F);
        b.write(t >>> 8);
        b.write(t);
    }

    private static byte[] sample() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        record(b, 1, 2, 1, 0x12_3456); // ON (1, 2) at 0x123456 = 1193046 µs
        record(b, 33, 33, 0, 0x7F_FFFF); // OFF (33, 33) at 2^23 - 1
        record(b, 0, 240, 0, 0); // y = 240: overflow marker, later times + 2^23
        record(b, 200, 179, 1, 5); // N-Caltech-sized coordinates kept; t = 2^23 + 5
        record(b, 3, 4, 0, 2); // 2^23 + 2 < 2^23 + 5: clamped, time_backwards
        return b.toByteArray();
    }

    private static EventPacket readAll(NmnistReader r, int cap) throws IOException {
        EventPacket all = new EventPacket("all", 0, 0, 0);
        EventPacket p = new EventPacket("x", 0, 0, cap);
        while (r.read(p)) {
            assertThat(p.size()).isBetween(1, cap);
            all.addAll(p);
        }
        return all.copy();
    }

    private static NmnistReader reader(InputStream in, int cap) throws IOException {
        return new NmnistReader(in, "t.bin", ReaderOptions.defaults().withPacketCapacity(cap));
    }

    @Test
    void decodesHandEncodedRecords() throws IOException {
        NmnistReader r = reader(new ByteArrayInputStream(sample()), 100);
        assertThat(r.info().format()).isEqualTo(EventFormat.NMNIST);
        assertThat(r.info().width()).isZero();
        EventPacket all = readAll(r, 100);
        long wrap = 1L << 23;
        assertThat(all.timestamps()).containsExactly(0x123456L, wrap - 1, wrap + 5, wrap + 5);
        assertThat(all.xs()).containsExactly(new short[] {1, 33, 200, 3});
        assertThat(all.ys()).containsExactly(new short[] {2, 33, 179, 4});
        assertThat(all.polarities()).containsExactly(new byte[] {1, 0, 1, 0});
        assertThat(r.statistics().onEvents()).isEqualTo(2);
        assertThat(r.statistics().skipped("overflow")).isEqualTo(1);
        assertThat(r.statistics().skipped("time_backwards")).isEqualTo(1);
        assertThat(r.position()).isEqualTo(25);
    }

    @Test
    void smallPacketsAndTinyReadsContinueExactly() throws IOException {
        EventPacket whole = readAll(reader(new ByteArrayInputStream(sample()), 100), 100);
        for (int cap = 1; cap <= 3; cap++) {
            assertThat(readAll(reader(new TrickleInputStream(sample()), cap), cap))
                    .isEqualTo(whole);
        }
    }

    @Test
    void truncatedRecordFailsAfterDeliveringEvents() throws IOException {
        byte[] bytes = Arrays.copyOf(sample(), 12); // two records and 2 bytes
        NmnistReader r = reader(new ByteArrayInputStream(bytes), 100);
        EventPacket p = new EventPacket("x", 0, 0, 100);
        assertThat(r.read(p)).isTrue();
        assertThat(p.size()).isEqualTo(2);
        assertThatThrownBy(() -> r.read(p))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("t.bin")
                .hasMessageContaining("2 of 5 bytes")
                .satisfies(e -> assertThat(((EventFormatException) e).offset()).isEqualTo(10));
    }

    @Test
    void flipIsRejectedBecauseGeometryIsUnknown() {
        assertThatThrownBy(
                        () ->
                                new NmnistReader(
                                        new ByteArrayInputStream(sample()),
                                        "t.bin",
                                        ReaderOptions.defaults().withFlipY(true)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("flip");
    }

    @Test
    void emptyInputHasNoEvents() throws IOException {
        NmnistReader r = reader(new ByteArrayInputStream(new byte[0]), 10);
        assertThat(r.read(new EventPacket("x", 0, 0, 10))).isFalse();
    }

    @Test
    void realNmnistSample() throws IOException {
        Path f = RealData.file("tonic_sample_nmnist.bin");
        try (InputStream in = Files.newInputStream(f);
                NmnistReader r = new NmnistReader(in, f.toString(), ReaderOptions.defaults())) {
            EventPacket all = readAll(r, 1 << 16);
            // 21625 bytes / 5 = 4325 records, no overflow marker (independent numpy decode).
            assertThat(all.size()).isEqualTo(4325);
            assertThat(r.statistics().onEvents()).isEqualTo(2145);
            assertThat(r.statistics().skippedTotal()).isZero();
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.x(i)).isBetween(0, 33); // N-MNIST is 34x34
                assertThat(all.y(i)).isBetween(0, 33);
                if (i > 0) {
                    assertThat(all.t(i)).isGreaterThanOrEqualTo(all.t(i - 1));
                }
            }
            assertThat(all.firstTimestamp()).isEqualTo(654L);
            assertThat(all.lastTimestamp()).isEqualTo(311_175L);
        }
    }
}
