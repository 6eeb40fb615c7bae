package io.dvsflow.connectors.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A set of labelled gray-scale images (MNIST-like): {@code count} images of {@code rows x cols}
 * unsigned bytes (0 = black, 255 = white), row-major, stored back to back.
 *
 * <p><b>Cache file format</b> ({@link #write} / {@link #read}), all integers big-endian:
 *
 * <pre>
 * offset  size            field
 * 0       8               magic "DVSFIMG1" (ASCII)
 * 8       4               rows (1..1024)
 * 12      4               cols (1..1024)
 * 16      4               count N (0..MAX_IMAGES)
 * 20      N               labels, one unsigned byte each
 * 20+N    N*rows*cols     pixels, unsigned bytes, image after image, row-major
 * end-4   4               CRC-32 of every preceding byte
 * </pre>
 *
 * @param rows image height in pixels
 * @param cols image width in pixels
 * @param labels one label per image (unsigned byte)
 * @param pixels {@code count * rows * cols} unsigned bytes
 */
public record MnistImages(int rows, int cols, byte[] labels, byte[] pixels) {

    /** Largest image count accepted from a file: 1,000,000. */
    public static final int MAX_IMAGES = 1_000_000;

    /** Largest image side accepted from a file. */
    public static final int MAX_SIDE = 1024;

    /** Largest pixel payload accepted from a file: 256 MiB. */
    public static final long MAX_PIXEL_BYTES = 1L << 28;

    private static final byte[] MAGIC = {'D', 'V', 'S', 'F', 'I', 'M', 'G', '1'};

    /** Checks that the arrays agree with the geometry. */
    public MnistImages {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(pixels, "pixels");
        if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new IllegalArgumentException("image size " + rows + "x" + cols + " unsupported");
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(
                    pixels.length
                            + " pixel bytes do not hold "
                            + labels.length
                            + " images of "
                            + rows
                            + "x"
                            + cols);
        }
    }

    /** Number of images. */
    public int count() {
        return labels.length;
    }

    /** Label of image {@code i} (0..255). */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** A copy of image {@code i}, row-major unsigned bytes. */
    public byte[] image(int i) {
        int size = rows * cols;
        byte[] out = new byte[size];
        System.arraycopy(pixels, i * size, out, 0, size);
        return out;
    }

    /** Pixel {@code (row, col)} of image {@code i} (0..255). */
    public int pixel(int i, int row, int col) {
        return pixels[(i * rows + row) * cols + col] & 0xFF;
    }

    /** Number of images per label value, for labels {@code 0..classes-1} (others ignored). */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (byte b : labels) {
            int l = b & 0xFF;
            if (l < classes) {
                counts[l]++;
            }
        }
        return counts;
    }

    /**
     * Builds images from an idx image array ({@code N x rows x cols}) and an idx label array
     * ({@code N}), e.g. Fashion-MNIST's {@code train-images-idx3-ubyte} and {@code
     * train-labels-idx1-ubyte}.
     *
     * @throws IllegalArgumentException when the shapes do not match
     */
    public static MnistImages fromIdx(IdxArray images, IdxArray labels) {
        int[] d = images.dimensions();
        int[] l = labels.dimensions();
        if (d.length != 3 || l.length != 1 || d[0] != l[0]) {
            throw new IllegalArgumentException(
                    "expected images N x rows x cols and labels N, got "
                            + java.util.Arrays.toString(d)
                            + " and "
                            + java.util.Arrays.toString(l));
        }
        return new MnistImages(d[1], d[2], labels.data(), images.data());
    }

    /** Writes the cache format atomically (a temporary file in the same folder, then a move). */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp)) {
                writeTo(raw);
            }
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the cache format to a stream (not closed). */
    public void writeTo(OutputStream raw) throws IOException {
        CRC32 crc = new CRC32();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(head);
        h.write(MAGIC);
        h.writeInt(rows);
        h.writeInt(cols);
        h.writeInt(labels.length);
        byte[] headBytes = head.toByteArray();
        crc.update(headBytes);
        crc.update(labels);
        crc.update(pixels);
        DataOutputStream out = new DataOutputStream(raw);
        out.write(headBytes);
        out.write(labels);
        out.write(pixels);
        out.writeInt((int) crc.getValue());
        out.flush();
    }

    /** Reads a cache file written by {@link #write}. */
    public static MnistImages read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readFrom(in, file.toString());
        }
    }

    /**
     * Reads the cache format from a stream.
     *
     * @throws IOException naming {@code source} and the byte offset on a bad magic, a size out of
     *     bounds, a truncated file or a checksum mismatch
     */
    public static MnistImages readFrom(InputStream raw, String source) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] head = new byte[20];
        readFully(in, head, source, 0);
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                throw new IOException(source + ": byte 0: not a dvsflow image cache (bad magic)");
            }
        }
        int rows = intAt(head, 8);
        int cols = intAt(head, 12);
        int count = intAt(head, 16);
        if (rows < 1 || rows > MAX_SIDE || cols < 1 || cols > MAX_SIDE) {
            throw new IOException(
                    source + ": byte 8: image size " + rows + "x" + cols + " out of bounds");
        }
        if (count < 0 || count > MAX_IMAGES || (long) count * rows * cols > MAX_PIXEL_BYTES) {
            throw new IOException(source + ": byte 16: image count " + count + " out of bounds");
        }
        byte[] labels = in.readNBytes(count);
        if (labels.length != count) {
            throw new IOException(source + ": byte " + (20 + labels.length) + ": truncated labels");
        }
        int pixelBytes = count * rows * cols;
        byte[] pixels = in.readNBytes(pixelBytes);
        long offset = 20L + count + pixels.length;
        if (pixels.length != pixelBytes) {
            throw new IOException(source + ": byte " + offset + ": truncated pixels");
        }
        byte[] tail = new byte[4];
        readFully(in, tail, source, offset);
        CRC32 crc = new CRC32();
        crc.update(head);
        crc.update(labels);
        crc.update(pixels);
        if ((int) crc.getValue() != intAt(tail, 0)) {
            throw new IOException(
                    source + ": byte " + offset + ": checksum mismatch (corrupt cache)");
        }
        if (in.read() != -1) {
            throw new IOException(
                    source + ": byte " + (offset + 4) + ": trailing bytes after checksum");
        }
        return new MnistImages(rows, cols, labels, pixels);
    }

    private static void readFully(DataInputStream in, byte[] b, String source, long offset)
            throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new IOException(source + ": byte " + offset + ": truncated file", e);
        }
    }

    private static int intAt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24)
                | ((b[o + 1] & 0xFF) << 16)
                | ((b[o + 2] & 0xFF) << 8)
                | (b[o + 3] & 0xFF);
    }
}
