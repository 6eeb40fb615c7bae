package io.dvsflow.connectors.formats.aedat4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.EventFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** The LZ4 frame decoder against hand-made frames and frames from lz4-java's encoder. */
class PacketDecompressorTest {

    private static final long PACKET = 1234; // file offset reported in errors

    /**
     * A frame of two blocks where the second block's only match copies bytes of the first:
     *
     * <pre>
     * 04 22 4D 18            magic
     * FLG                    0x40 = version 01, linked blocks (or 0x60: independent)
     * BD  40                 64 KiB blocks
     * HC                     (xxh32(FLG, BD, seed 0) >> 8) & 0xFF
     * 08 00 00 80 "ABCDEFGH" block 1: 8 bytes stored (high bit set)
     * 05 00 00 00            block 2: 5 compressed bytes
     *   04                   token: 0 literals, match length 4 + 4 = 8
     *   08 00                match distance 8: back into block 1
     *   10 'Z'               token: 1 literal, end of block
     * 00 00 00 00            end mark
     * </pre>
     */
    private static byte[] twoBlockFrame(int flg) {
        byte[] hc = {(byte) flg, 0x40};
        int checksum = (XXHashFactory.safeInstance().hash32().hash(hc, 0, 2, 0) >>> 8) & 0xFF;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x04, 0x22, 0x4D, 0x18, (byte) flg, 0x40, (byte) checksum});
        b.writeBytes(new byte[] {0x08, 0x00, 0x00, (byte) 0x80});
        b.writeBytes("ABCDEFGH".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x05, 0x00, 0x00, 0x00, 0x04, 0x08, 0x00, 0x10, 'Z'});
        b.writeBytes(new byte[4]);
        return b.toByteArray();
    }

    private static String inflate(byte[] frame) throws EventFormatException {
        PacketDecompressor d = new PacketDecompressor("mem");
        d.decompress(Aedat4Compression.LZ4, frame, 0, frame.length, PACKET);
        return new String(d.output(), 0, d.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void linkedBlocksReachBackIntoThePreviousBlock() throws EventFormatException {
        assertThat(inflate(twoBlockFrame(0x40))).isEqualTo("ABCDEFGHABCDEFGHZ");
    }

    @Test
    void independentBlocksMayNotReachBack() {
        assertThatThrownBy(() -> inflate(twoBlockFrame(0x60)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("corrupt LZ4 packet (at byte 23 of its frame)")
                .extracting(e -> ((EventFormatException) e).offset())
                .isEqualTo(PACKET);
    }

    @Test
    void decodesLz4JavaFramesWithEveryOption() throws IOException {
        // 300 KiB of compressible bytes: several 64 KiB blocks
        byte[] data = new byte[300 << 10];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 97 < 50 ? i % 13 : r.nextInt(4));
        }
        FLG.Bits[][] variants = {
            {FLG.Bits.BLOCK_INDEPENDENCE},
            {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM},
            {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_SIZE},
        };
        for (FLG.Bits[] bits : variants) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LZ4FrameOutputStream s =
                    new LZ4FrameOutputStream(out, BLOCKSIZE.SIZE_64KB, data.length, bits)) {
                s.write(data);
            }
            byte[] frame = out.toByteArray();
            PacketDecompressor d = new PacketDecompressor("mem");
            d.decompress(Aedat4Compression.LZ4, frame, 0, frame.length, PACKET);
            assertThat(Arrays.copyOf(d.output(), d.length())).isEqualTo(data);

            if (Arrays.asList(bits).contains(FLG.Bits.CONTENT_CHECKSUM)) {
                byte[] bad = frame.clone();
                bad[bad.length - 1] ^= 1; // the content checksum
                assertThatThrownBy(
                                () ->
                                        d.decompress(
                                                Aedat4Compression.LZ4, bad, 0, bad.length, PACKET))
                        .isInstanceOf(EventFormatException.class)
                        .hasMessageContaining("checksum");
            }
        }
    }

    @Test
    void pureJavaDecoderOfLinkedBlocksMatchesLz4Java() throws IOException {
        // lz4-java writes independent blocks only; marking its frame as linked (FLG 0x40, new
        // header checksum) keeps it valid and sends blocks 2.. through this class's own decoder
        byte[] data = new byte[200 << 10];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 61 < 20 ? i % 7 : r.nextInt(6));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream s = new LZ4FrameOutputStream(out, BLOCKSIZE.SIZE_64KB)) {
            s.write(data);
        }
        byte[] frame = out.toByteArray();
        assertThat(frame[4] & 0xFF).isEqualTo(0x60);
        frame[4] = 0x40;
        frame[6] = (byte) (XXHashFactory.safeInstance().hash32().hash(frame, 4, 2, 0) >>> 8);
        PacketDecompressor d = new PacketDecompressor("mem");
        d.decompress(Aedat4Compression.LZ4, frame, 0, frame.length, PACKET);
        assertThat(Arrays.copyOf(d.output(), d.length())).isEqualTo(data);
    }

    @Test
    void malformedFramesFail() {
        byte[] good = twoBlockFrame(0x40);
        byte[][] bad = {
            Arrays.copyOf(good, 5), // too short
            Arrays.copyOf(good, good.length - 4), // no end mark
            withByte(good, 6, good[6] ^ 1), // header checksum
            withByte(good, 5, 0x10), // block size id 1 (reserved)
            withByte(good, 4, 0x41), // dictionary id flag
            withByte(good, 7 + 12 + 5, 0x7F), // block 2's match distance 127: before the data
            withByte(good, 7 + 12, 0x7F), // block 2's size 127: past the frame
            Arrays.copyOf(good, good.length + 3), // bytes after the frame
        };
        for (byte[] frame : bad) {
            assertThatThrownBy(() -> inflate(frame))
                    .isInstanceOf(EventFormatException.class)
                    .extracting(e -> ((EventFormatException) e).offset())
                    .isEqualTo(PACKET);
        }
    }

    @Test
    void zstdGarbageFails() {
        byte[] junk = "definitely not zstd".getBytes(StandardCharsets.US_ASCII);
        PacketDecompressor d = new PacketDecompressor("mem");
        assertThatThrownBy(() -> d.decompress(Aedat4Compression.ZSTD, junk, 0, junk.length, PACKET))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("Zstandard");
        d.close();
    }

    private static byte[] withByte(byte[] b, int i, int v) {
        byte[] c = b.clone();
        c[i] = (byte) v;
        return c;
    }
}
