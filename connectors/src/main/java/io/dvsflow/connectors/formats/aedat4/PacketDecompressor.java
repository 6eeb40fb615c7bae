package io.dvsflow.connectors.formats.aedat4;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.internal.ByteInput;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Inflates one AEDAT 4.0 packet body (one LZ4 frame or one Zstandard frame) into a reusable output
 * buffer whose size is bounded by {@link #MAX_DECODED_BYTES}.
 *
 * <p><b>LZ4.</b> The frame is parsed here rather than with {@code LZ4FrameInputStream}, which
 * refuses DV's frames: DV writes <em>linked</em> blocks (FLG {@code 0x40}), where a match may reach
 * back into the previous 64 KiB block. Every block is written into one contiguous output; a block
 * that needs no earlier output (the first one, or any block of an independent-block frame) goes to
 * lz4-java's fastest safe block decoder (native when available, about 3x the pure-Java speed), a
 * later linked block to the pure-Java block decoder of this class, whose matches may reach back
 * across blocks. Nothing is allocated per packet. It checks the header checksum, and the block and
 * content checksums when the frame carries them (xxHash32 from lz4-java). Dictionary ids are not
 * supported.
 *
 * <p><b>Zstandard.</b> zstd-jni decodes the frame. When the frame header states its content size
 * (as DV and {@link Aedat4Writer} write it), the output is sized exactly; otherwise the output
 * doubles, up to the bound, until the frame fits.
 */
final class PacketDecompressor implements AutoCloseable {

    /** Largest decompressed packet accepted (256 MiB, 16 Mi events). */
    static final int MAX_DECODED_BYTES = 256 << 20;

    /** LZ4 frame magic number (little-endian {@code 04 22 4D 18}). */
    static final int LZ4_MAGIC = 0x184D2204;

    /** Spare bytes past the decoded data, so that short copies can move whole 8-byte words. */
    private static final int SLACK = 32;

    /** Block decoder for blocks that need no earlier output (native when available). */
    private static final LZ4SafeDecompressor LZ4_BLOCK =
            LZ4Factory.fastestInstance().safeDecompressor();

    private static final XXHash32 XXH32 = XXHashFactory.fastestJavaInstance().hash32();

    private final String source;
    private byte[] out = new byte[(1 << 16) + SLACK];
    private int length;
    private ZstdDecompressCtx zstd;

    PacketDecompressor(String source) {
        this.source = source;
    }

    /** The buffer holding the last decompressed packet in {@code [0, length())}. */
    byte[] output() {
        return out;
    }

    /** Bytes of the last decompressed packet. */
    int length() {
        return length;
    }

    /**
     * Decompresses {@code src[off, off + len)}.
     *
     * @param fileOffset file offset of the packet, for error messages
     */
    void decompress(Aedat4Compression compression, byte[] src, int off, int len, long fileOffset)
            throws EventFormatException {
        if (compression.isLz4()) {
            decodeLz4Frame(src, off, len, fileOffset);
        } else if (compression.isZstd()) {
            decodeZstdFrame(src, off, len, fileOffset);
        } else {
            throw new IllegalArgumentException("not a compression: " + compression);
        }
    }

    private void decodeLz4Frame(byte[] src, int off, int len, long fileOffset)
            throws EventFormatException {
        int end = off + len;
        if (len < 7) {
            throw lz4Error(fileOffset, 0, "LZ4 frame of " + len + " bytes is too short");
        }
        int magic = ByteInput.intLE(src, off);
        if (magic != LZ4_MAGIC) {
            throw lz4Error(
                    fileOffset,
                    0,
                    String.format(
                            "expected the LZ4 frame magic 04 22 4D 18, found %08X",
                            Integer.reverseBytes(magic)));
        }
        int flg = src[off + 4] & 0xFF;
        int bd = src[off + 5] & 0xFF;
        if ((flg >>> 6) != 1 || (flg & 0x02) != 0 || (bd & 0x8F) != 0) {
            throw lz4Error(
                    fileOffset,
                    4,
                    String.format("unsupported LZ4 frame descriptor FLG %02X BD %02X", flg, bd));
        }
        boolean independent = (flg & 0x20) != 0;
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean hasContentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        if ((flg & 0x01) != 0) {
            throw lz4Error(fileOffset, 4, "LZ4 frames with a dictionary id are not supported");
        }
        int sizeId = bd >>> 4;
        if (sizeId < 4) {
            throw lz4Error(fileOffset, 5, "LZ4 block size id " + sizeId + " is reserved");
        }
        int maxBlock = 1 << (2 * sizeId + 8);
        int p = off + 6;
        long contentSize = -1;
        if (hasContentSize) {
            if (end - p < 9) {
                throw lz4Error(fileOffset, p - off, "LZ4 frame descriptor truncated");
            }
            contentSize = ByteInput.longLE(src, p);
            if (contentSize < 0 || contentSize > MAX_DECODED_BYTES) {
                throw lz4Error(
                        fileOffset,
                        p - off,
                        "LZ4 content size "
                                + Long.toUnsignedString(contentSize)
                                + " exceeds the limit of "
                                + MAX_DECODED_BYTES
                                + " bytes");
            }
            p += 8;
        }
        int headerChecksum = (XXH32.hash(src, off + 4, p - off - 4, 0) >>> 8) & 0xFF;
        if (headerChecksum != (src[p] & 0xFF)) {
            throw lz4Error(fileOffset, p - off, "LZ4 frame descriptor checksum mismatch");
        }
        p++;
        length = 0;
        if (contentSize > 255L * len) {
            // an LZ4 sequence expands at most about 255-fold: this size cannot be honest
            throw lz4Error(
                    fileOffset,
                    6,
                    "LZ4 content size "
                            + contentSize
                            + " is impossible for a "
                            + len
                            + "-byte frame");
        }
        if (contentSize >= 0) {
            ensureOutput((int) contentSize, fileOffset);
        }
        while (true) {
            if (end - p < 4) {
                throw lz4Error(fileOffset, p - off, "LZ4 frame ends without an end mark");
            }
            int word = ByteInput.intLE(src, p);
            p += 4;
            if (word == 0) {
                break;
            }
            boolean stored = word < 0;
            int blockSize = word & 0x7FFFFFFF;
            int trailer = blockChecksum ? 4 : 0;
            if (blockSize > maxBlock || blockSize > end - p - trailer) {
                throw lz4Error(
                        fileOffset,
                        p - 4 - off,
                        "LZ4 block of "
                                + blockSize
                                + " bytes exceeds the block maximum "
                                + maxBlock
                                + " or the "
                                + (end - p)
                                + " bytes left");
            }
            if (blockChecksum
                    && XXH32.hash(src, p, blockSize, 0) != ByteInput.intLE(src, p + blockSize)) {
                throw lz4Error(fileOffset, p - off, "LZ4 block checksum mismatch");
            }
            if (stored) {
                ensureOutput(length + blockSize, fileOffset);
                System.arraycopy(src, p, out, length, blockSize);
                length += blockSize;
            } else {
                ensureOutput(
                        (int) Math.min(MAX_DECODED_BYTES, (long) length + maxBlock), fileOffset);
                int limit = (int) Math.min(MAX_DECODED_BYTES, (long) length + maxBlock);
                int n =
                        independent || length == 0
                                ? decodeLz4BlockFast(src, p, blockSize, limit, fileOffset, p - off)
                                : decodeLz4Block(
                                        src,
                                        p,
                                        blockSize,
                                        out,
                                        length,
                                        limit,
                                        0, // linked: matches may reach any earlier output
                                        fileOffset,
                                        p - off);
                length += n;
            }
            p += blockSize + trailer;
        }
        if (contentChecksum) {
            if (end - p < 4) {
                throw lz4Error(fileOffset, p - off, "LZ4 content checksum missing");
            }
            if (XXH32.hash(out, 0, length, 0) != ByteInput.intLE(src, p)) {
                throw lz4Error(fileOffset, p - off, "LZ4 content checksum mismatch");
            }
            p += 4;
        }
        if (contentSize >= 0 && contentSize != length) {
            throw lz4Error(
                    fileOffset, 6, "LZ4 frame says " + contentSize + " bytes but holds " + length);
        }
        if (p != end) {
            throw lz4Error(
                    fileOffset,
                    p - off,
                    (end - p) + " bytes follow the LZ4 frame inside the packet");
        }
    }

    /**
     * Decodes one block that needs no earlier output with lz4-java's fastest safe decompressor
     * (native when available; it rejects malformed input) into {@code out[length, limit)}.
     */
    private int decodeLz4BlockFast(
            byte[] src, int p, int blockSize, int limit, long fileOffset, int frameOffset)
            throws EventFormatException {
        try {
            return LZ4_BLOCK.decompress(src, p, blockSize, out, length, limit - length);
        } catch (LZ4Exception e) {
            throw lz4Error(fileOffset, frameOffset, "malformed LZ4 block: " + e.getMessage());
        }
    }

    /**
     * Decodes one LZ4 block (sequences of token, literals, 16-bit offset, match length) from {@code
     * src[s, s + len)} into {@code dst[d, dEnd)}; matches may reach back to {@code windowStart}.
     *
     * @return the number of bytes written
     */
    private int decodeLz4Block(
            byte[] src,
            int s,
            int len,
            byte[] dst,
            int d,
            int dEnd,
            int windowStart,
            long fileOffset,
            int frameOffset)
            throws EventFormatException {
        final int sEnd = s + len;
        final int d0 = d;
        final int s0 = s;
        while (true) {
            if (s >= sEnd) {
                throw lz4Error(
                        fileOffset, frameOffset + (s - s0), "LZ4 block ends inside a sequence");
            }
            int token = src[s++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int add;
                do {
                    if (s >= sEnd) {
                        throw lz4Error(
                                fileOffset,
                                frameOffset + (s - s0),
                                "LZ4 literal length runs past the block");
                    }
                    add = src[s++] & 0xFF;
                    literals += add;
                } while (add == 255 && literals <= MAX_DECODED_BYTES);
            }
            if (literals > sEnd - s || literals > dEnd - d) {
                throw lz4Error(
                        fileOffset,
                        frameOffset + (s - s0),
                        "LZ4 literal run of " + literals + " bytes runs past the block or output");
            }
            if (literals <= 32
                    && s + literals + 8 <= src.length
                    && d + literals + 8 <= dst.length) {
                // short run: 8-byte words, may write up to 7 bytes past the run (overwritten later)
                for (int k = 0; k < literals; k += 8) {
                    ByteInput.putLongLE(dst, d + k, ByteInput.longLE(src, s + k));
                }
            } else {
                System.arraycopy(src, s, dst, d, literals);
            }
            s += literals;
            d += literals;
            if (s == sEnd) {
                return d - d0;
            }
            if (sEnd - s < 2) {
                throw lz4Error(
                        fileOffset, frameOffset + (s - s0), "LZ4 match offset runs past the block");
            }
            int distance = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
            s += 2;
            if (distance == 0 || distance > d - windowStart) {
                throw lz4Error(
                        fileOffset,
                        frameOffset + (s - 2 - s0),
                        "LZ4 match distance " + distance + " reaches before the decoded data");
            }
            int match = token & 15;
            if (match == 15) {
                int add;
                do {
                    if (s >= sEnd) {
                        throw lz4Error(
                                fileOffset,
                                frameOffset + (s - s0),
                                "LZ4 match length runs past the block");
                    }
                    add = src[s++] & 0xFF;
                    match += add;
                } while (add == 255 && match <= MAX_DECODED_BYTES);
            }
            match += 4;
            if (match > dEnd - d) {
                throw lz4Error(
                        fileOffset,
                        frameOffset + (s - s0),
                        "LZ4 match of " + match + " bytes runs past the output block");
            }
            int from = d - distance;
            if (distance >= 8 && d + match + 8 <= dst.length) {
                // each 8-byte word reads bytes at least 8 before it: already final
                for (int k = 0; k < match; k += 8) {
                    ByteInput.putLongLE(dst, d + k, ByteInput.longLE(dst, from + k));
                }
            } else if (distance >= match) {
                System.arraycopy(dst, from, dst, d, match);
            } else {
                for (int i = 0; i < match; i++) {
                    dst[d + i] = dst[from + i];
                }
            }
            d += match;
        }
    }

    private void decodeZstdFrame(byte[] src, int off, int len, long fileOffset)
            throws EventFormatException {
        if (zstd == null) {
            zstd = new ZstdDecompressCtx();
        }
        long declared;
        try {
            declared = Zstd.getFrameContentSize(src, off, len);
        } catch (ZstdException e) {
            throw zstdError(fileOffset, e);
        }
        if (declared < -1) {
            throw new EventFormatException(
                    source, fileOffset, "corrupt Zstandard packet: no valid frame header");
        }
        if (declared > MAX_DECODED_BYTES) {
            throw new EventFormatException(
                    source,
                    fileOffset,
                    "Zstandard content size "
                            + declared
                            + " exceeds the limit of "
                            + MAX_DECODED_BYTES
                            + " bytes");
        }
        // The declared size is not trusted for allocation: start at a plausible ratio and double
        // (work is repeated only for packets that compress better than 16:1).
        long limit = declared >= 0 ? declared : MAX_DECODED_BYTES;
        int capacity = (int) Math.min(limit, Math.max(1 << 16, 16L * len));
        while (true) {
            ensureOutput(capacity, fileOffset);
            try {
                length = zstd.decompressByteArray(out, 0, capacity, src, off, len);
                break;
            } catch (ZstdException e) {
                if (e.getErrorCode() != Zstd.errDstSizeTooSmall()) {
                    throw zstdError(fileOffset, e);
                }
                if (capacity >= limit) {
                    throw new EventFormatException(
                            source,
                            fileOffset,
                            "Zstandard packet inflates past "
                                    + (declared >= 0
                                            ? "its declared size of " + declared
                                            : "the limit of " + MAX_DECODED_BYTES)
                                    + " bytes");
                }
                capacity = (int) Math.min(limit, 2L * capacity);
            }
        }
        if (declared >= 0 && length != declared) {
            throw new EventFormatException(
                    source,
                    fileOffset,
                    "Zstandard frame says " + declared + " bytes but holds " + length);
        }
    }

    private void ensureOutput(int n, long fileOffset) throws EventFormatException {
        if (n > MAX_DECODED_BYTES) {
            throw new EventFormatException(
                    source,
                    fileOffset,
                    "packet inflates past the limit of " + MAX_DECODED_BYTES + " bytes");
        }
        if (n + SLACK > out.length) {
            long grown = Math.min(MAX_DECODED_BYTES, 2L * out.length);
            out = Arrays.copyOf(out, (int) Math.max(n + SLACK, grown));
        }
    }

    private EventFormatException lz4Error(long fileOffset, int frameOffset, String message) {
        return new EventFormatException(
                source,
                fileOffset,
                "corrupt LZ4 packet (at byte " + frameOffset + " of its frame): " + message);
    }

    private EventFormatException zstdError(long fileOffset, ZstdException e) {
        return new EventFormatException(
                source, fileOffset, "corrupt Zstandard packet: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (zstd != null) {
            zstd.close();
            zstd = null;
        }
    }
}
