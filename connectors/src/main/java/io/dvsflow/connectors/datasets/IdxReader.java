package io.dvsflow.connectors.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads idx files (the MNIST / Fashion-MNIST container, LeCun's format), plain or gzip-compressed
 * (detected by the gzip magic {@code 1f 8b}).
 *
 * <p>Layout, big-endian: bytes 0-1 are zero; byte 2 is the element type ({@code 0x08} unsigned
 * byte, the only type read here; {@code 0x09} signed byte, {@code 0x0B} int16, {@code 0x0C} int32,
 * {@code 0x0D} float32, {@code 0x0E} float64 are refused with a message); byte 3 is the number of
 * dimensions {@code n}; then {@code n} int32 sizes, outermost first; then the elements in row-major
 * order. Example: {@code 00 00 08 03 | 00 00 EA 60 | 00 00 00 1C | 00 00 00 1C} is 60,000 images of
 * 28 x 28.
 *
 * <p>Bounds: at most {@link #MAX_DIMENSIONS} dimensions and {@link #MAX_ELEMENTS} elements; the
 * element buffer grows with the data actually read, so a hostile size field cannot force a large
 * allocation.
 */
public final class IdxReader {

    /** Most dimensions accepted. */
    public static final int MAX_DIMENSIONS = 4;

    /** Most elements accepted: 2^28 (Fashion-MNIST's train images are 47,040,000). */
    public static final long MAX_ELEMENTS = 1L << 28;

    private static final int TYPE_UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /** Reads a file, gunzipping it when it starts with the gzip magic. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an idx array from a stream (gzip or plain; the stream is not closed).
     *
     * @throws IOException naming {@code source} and the (uncompressed) byte offset when the magic,
     *     type or sizes are wrong, when the data is truncated or when bytes follow the data
     */
    public static IdxArray read(InputStream raw, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in =
                (b0 == 0x1f && b1 == 0x8b)
                        ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
                        : buffered;
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IOException(source + ": byte " + magic.length + ": truncated idx header");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(source + ": byte 0: not an idx file (first two bytes must be 0)");
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IOException(
                    source
                            + ": byte 2: idx element type 0x"
                            + Integer.toHexString(type)
                            + " is not supported (only 0x08, unsigned byte)");
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_DIMENSIONS) {
            throw new IOException(
                    source + ": byte 3: " + rank + " dimensions, expected 1.." + MAX_DIMENSIONS);
        }
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new IOException(
                    source + ": byte " + (4 + sizes.length) + ": truncated idx dimensions");
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            int o = 4 * d;
            int v =
                    ((sizes[o] & 0xFF) << 24)
                            | ((sizes[o + 1] & 0xFF) << 16)
                            | ((sizes[o + 2] & 0xFF) << 8)
                            | (sizes[o + 3] & 0xFF);
            if (v < 0) {
                throw new IOException(source + ": byte " + (4 + o) + ": negative dimension " + v);
            }
            dims[d] = v;
            elements *= v;
            if (elements > MAX_ELEMENTS) {
                throw new IOException(
                        source
                                + ": byte "
                                + (4 + o)
                                + ": idx array larger than "
                                + MAX_ELEMENTS
                                + " elements");
            }
        }
        long dataStart = 4L + 4L * rank;
        // readNBytes grows its buffer as data arrives: no allocation from the size field alone
        byte[] data = in.readNBytes((int) elements);
        if (data.length != elements) {
            throw new IOException(
                    source
                            + ": byte "
                            + (dataStart + data.length)
                            + ": truncated idx data ("
                            + data.length
                            + " of "
                            + elements
                            + " elements)");
        }
        if (in.read() != -1) {
            throw new IOException(
                    source
                            + ": byte "
                            + (dataStart + elements)
                            + ": trailing bytes after idx data");
        }
        return new IdxArray(dims, data);
    }
}
