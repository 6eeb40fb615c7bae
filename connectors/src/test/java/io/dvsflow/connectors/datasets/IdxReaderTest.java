package io.dvsflow.connectors.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    /** 2 images of 2 rows x 3 cols: magic 00 00 08 03, dims 2, 2, 3 (big-endian), 12 bytes. */
    private static final byte[] IMAGES = {
        0,
        0,
        0x08,
        0x03, //
        0,
        0,
        0,
        2, //
        0,
        0,
        0,
        2, //
        0,
        0,
        0,
        3, //
        1,
        2,
        3,
        4,
        5,
        6, //
        (byte) 250,
        (byte) 251,
        (byte) 252,
        (byte) 253,
        (byte) 254,
        (byte) 255
    };

    /** 2 labels: magic 00 00 08 01, dim 2, then 7 and 9. */
    private static final byte[] LABELS = {0, 0, 0x08, 0x01, 0, 0, 0, 2, 7, 9};

    @Test
    void readsPlainAndGzipFiles(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("images-idx3-ubyte");
        Files.write(plain, IMAGES);
        Path gz = dir.resolve("labels-idx1-ubyte.gz");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(LABELS);
        }
        Files.write(gz, zipped.toByteArray());

        IdxArray images = IdxReader.read(plain);
        IdxArray labels = IdxReader.read(gz);
        assertThat(images.dimensions()).containsExactly(2, 2, 3);
        assertThat(images.get(5)).isEqualTo(6);
        assertThat(images.get(11)).isEqualTo(255);
        assertThat(labels.dimensions()).containsExactly(2);

        MnistImages set = MnistImages.fromIdx(images, labels);
        assertThat(set.count()).isEqualTo(2);
        assertThat(set.label(1)).isEqualTo(9);
        assertThat(set.pixel(1, 1, 2)).isEqualTo(255); // image 1, row 1, col 2 -> byte 11
        assertThat(set.pixel(0, 1, 0)).isEqualTo(4); // image 0, row 1, col 0 -> byte 3
    }

    @Test
    void rejectsBadHeadersWithSourceAndOffset() {
        assertError(new byte[] {1, 0, 8, 1, 0, 0, 0, 0}, "byte 0: not an idx file");
        assertError(new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 0}, "byte 2: idx element type 0xd");
        assertError(new byte[] {0, 0, 8, 5}, "byte 3: 5 dimensions");
        assertError(new byte[] {0, 0, 8, 2, 0, 0, 0}, "truncated idx dimensions");
        // 0x10000 x 0x10000 = 2^32 elements: the second size (at byte 8) crosses 2^28
        assertError(
                new byte[] {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0},
                "byte 8: idx array larger than 268435456 elements");
        // header promises 1000 elements, 3 present
        assertError(
                new byte[] {0, 0, 8, 1, 0, 0, 0x03, (byte) 0xE8, 1, 2, 3}, "byte 11: truncated");
        assertError(new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 1, 2}, "byte 9: trailing bytes");
    }

    private static void assertError(byte[] file, String message) {
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(file), "f.idx"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("f.idx")
                .hasMessageContaining(message);
    }
}
