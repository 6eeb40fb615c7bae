package io.dvsflow.models.snapshot;

/**
 * A pre-pass over the Avro binary encoding of a {@code ModelSnapshot} record that checks every
 * length and block count against the bytes actually present, before Avro allocates anything sized
 * by them. A hostile length field (say 2 GB of tensor data in a 100-byte message) is thus refused
 * with {@link InvalidSnapshotException} instead of an allocation.
 *
 * <p>Walks the schema of format version 1: {@code int formatVersion, long version, {string kind,
 * array<int> layerSizes, map<string> hyperparameters}, array<{string name, array<int> shape, bytes
 * data}> tensors, map<string> metadata, long createdAtMs}. {@link #checkContainer} also walks an
 * uncompressed Avro object container file ({@code Obj 1} magic, metadata map of bytes, 16-byte sync
 * marker, then blocks of {@code count, size, data, sync}) and checks that it holds exactly one
 * block of one record. Avro longs and ints are zig-zag varints of at most 10 bytes; strings and
 * bytes are a length followed by that many bytes; arrays and maps are blocks of {@code count} items
 * ended by a zero count, a negative count being followed by the block's byte size.
 */
final class SnapshotBounds {
    private final byte[] buf;
    private final int end;
    private final String source;
    private int pos;

    private SnapshotBounds(byte[] buf, int start, int end, String source) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.source = source;
    }

    /** Checks {@code buf[start, end)} as one encoded snapshot record. */
    static void check(byte[] buf, int start, int end, String source) {
        SnapshotBounds b = new SnapshotBounds(buf, start, end, source);
        b.readLong("formatVersion");
        b.readLong("version");
        b.skipString("architecture.kind");
        b.skipIntArray("architecture.layerSizes");
        b.skipStringMap("architecture.hyperparameters");
        long count;
        while ((count = b.blockCount("tensors")) != 0) {
            for (long i = 0; i < count; i++) {
                b.skipString("tensors.name");
                b.skipIntArray("tensors.shape");
                b.skipString("tensors.data");
            }
        }
        b.skipStringMap("metadata");
        b.readLong("createdAtMs");
    }

    /**
     * Checks an Avro container file holding one uncompressed snapshot record.
     *
     * @throws InvalidSnapshotException for a wrong magic, a compressed codec, a length past the
     *     end, or anything but exactly one record
     */
    static void checkContainer(byte[] file, String source) {
        if (file.length < 4 || file[0] != 'O' || file[1] != 'b' || file[2] != 'j' || file[3] != 1) {
            throw new InvalidSnapshotException(source + ": not an Avro container file (bad magic)");
        }
        SnapshotBounds b = new SnapshotBounds(file, 4, file.length, source);
        long count;
        while ((count = b.blockCount("file metadata")) != 0) {
            for (long i = 0; i < count; i++) {
                int keyStart = b.pos;
                b.skipString("file metadata key");
                String key =
                        new String(
                                file,
                                keyStart + 1,
                                Math.max(0, b.pos - keyStart - 1),
                                java.nio.charset.StandardCharsets.UTF_8);
                int valueStart = b.pos;
                b.skipString("file metadata value");
                if (key.equals("avro.codec")) {
                    String codec =
                            new String(
                                    file,
                                    valueStart + 1,
                                    Math.max(0, b.pos - valueStart - 1),
                                    java.nio.charset.StandardCharsets.UTF_8);
                    if (!codec.equals("null")) {
                        throw new InvalidSnapshotException(
                                source
                                        + ": compressed snapshot files (codec "
                                        + codec
                                        + ") are not accepted");
                    }
                }
            }
        }
        b.skipFixed(16, "sync marker");
        long records = b.readLong("block count");
        long size = b.readLong("block size");
        if (records != 1) {
            throw new InvalidSnapshotException(
                    source
                            + ": the file must hold exactly one snapshot, its first block holds "
                            + records);
        }
        if (size < 0 || size > b.end - b.pos) {
            throw b.fail(
                    "block size", "size " + size + " but " + (b.end - b.pos) + " bytes remain");
        }
        int blockEnd = b.pos + (int) size;
        check(file, b.pos, blockEnd, source);
        b.pos = blockEnd;
        b.skipFixed(16, "block sync marker");
        if (b.pos != b.end) {
            throw new InvalidSnapshotException(
                    source
                            + ": the file must hold exactly one snapshot, found bytes after the first block");
        }
    }

    private void skipFixed(int n, String field) {
        if (n > end - pos) {
            throw fail(field, "needs " + n + " bytes but " + (end - pos) + " remain");
        }
        pos += n;
    }

    private long readLong(String field) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw fail(field, "truncated varint");
            }
            int b = buf[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw fail(field, "varint longer than 10 bytes");
    }

    private void skipString(String field) {
        long len = readLong(field);
        if (len < 0 || len > end - pos) {
            throw fail(field, "length " + len + " but " + (end - pos) + " bytes remain");
        }
        pos += (int) len;
    }

    private long blockCount(String field) {
        long count = readLong(field);
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw fail(field, "invalid block count");
            }
            count = -count;
            long size = readLong(field);
            if (size < 0 || size > end - pos) {
                throw fail(field, "block size " + size + " but " + (end - pos) + " bytes remain");
            }
        }
        if (count > end - pos) {
            throw fail(field, "block of " + count + " items but " + (end - pos) + " bytes remain");
        }
        return count;
    }

    private void skipIntArray(String field) {
        long count;
        while ((count = blockCount(field)) != 0) {
            for (long i = 0; i < count; i++) {
                readLong(field);
            }
        }
    }

    private void skipStringMap(String field) {
        long count;
        while ((count = blockCount(field)) != 0) {
            for (long i = 0; i < count; i++) {
                skipString(field + " key");
                skipString(field + " value");
            }
        }
    }

    private InvalidSnapshotException fail(String field, String what) {
        return new InvalidSnapshotException(
                source + ": field " + field + " at byte " + pos + ": " + what);
    }
}
