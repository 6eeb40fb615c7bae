package io.dvsflow.connectors.formats.internal;

import io.dvsflow.connectors.formats.EventFormatException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A refillable window over an input stream that tracks absolute byte offsets, for decoders that
 * work directly on a {@code byte[]} in their hot loop.
 *
 * <p>The window is {@code buf[pos, limit)}; {@code buf[pos]} is the byte at absolute offset {@link
 * #offset()}. Decoders read {@link #buf} with the static {@code intLE}/{@code intBE}/... views,
 * advance {@link #pos}, and call {@link #fill(int)} when they need more bytes than the window
 * holds.
 */
public final class ByteInput implements Closeable {

    /** Default window size (1 MiB). */
    public static final int DEFAULT_BUFFER = 1 << 20;

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final String name;

    /** The window's bytes; valid in {@code [pos, limit)}. */
    public byte[] buf;

    /** Index in {@link #buf} of the next unread byte. */
    public int pos;

    /** Index in {@link #buf} one past the last valid byte. */
    public int limit;

    private long bufStart;
    private boolean eof;

    /** Wraps {@code in}; {@code name} appears in every error message (usually the file path). */
    public ByteInput(InputStream in, String name, int bufferSize) {
        if (bufferSize < 64) {
            throw new IllegalArgumentException(
                    "buffer must hold at least 64 bytes, was " + bufferSize);
        }
        this.in = in;
        this.name = name;
        this.buf = new byte[bufferSize];
    }

    public ByteInput(InputStream in, String name) {
        this(in, name, bufferFor(in));
    }

    /**
     * A window as large as what the stream says it has available (a file's or an in-memory stream's
     * remaining length) plus a little, between 64 KiB and {@link #DEFAULT_BUFFER}: small recordings
     * do not pay for a 1 MiB buffer.
     */
    private static int bufferFor(InputStream in) {
        int available;
        try {
            available = in.available();
        } catch (IOException e) {
            available = 0;
        }
        if (available <= 0) {
            return DEFAULT_BUFFER;
        }
        return (int) Math.max(64 << 10, Math.min(DEFAULT_BUFFER, available + 64L));
    }

    /** The file or stream name. */
    public String name() {
        return name;
    }

    /** Absolute offset of {@code buf[pos]}. */
    public long offset() {
        return bufStart + pos;
    }

    /** Absolute offset of {@code buf[index]}. */
    public long offsetOf(int index) {
        return bufStart + index;
    }

    /** Bytes in the window. */
    public int available() {
        return limit - pos;
    }

    /** {@code true} when the window is empty and the stream has ended. */
    public boolean atEnd() throws IOException {
        return !fill(1);
    }

    /**
     * Makes at least {@code n} bytes available in the window, moving the unread bytes to the front
     * and growing the buffer if {@code n} exceeds its size.
     *
     * @return {@code false} when the stream ended first (the window then holds what was left)
     */
    public boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            bufStart += pos;
            limit -= pos;
            pos = 0;
            buf = bigger;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /**
     * Like {@link #fill(int)} but fails when the stream ends first.
     *
     * @param what what was being read, for the error message
     */
    public void require(int n, String what) throws IOException {
        if (!fill(n)) {
            throw error(
                    "file truncated: "
                            + what
                            + " needs "
                            + n
                            + " bytes but only "
                            + available()
                            + " remain");
        }
    }

    /** Reads one byte, or {@code -1} at the end. */
    public int read() throws IOException {
        if (!fill(1)) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    /** The next byte without consuming it, or {@code -1} at the end. */
    public int peek() throws IOException {
        if (!fill(1)) {
            return -1;
        }
        return buf[pos] & 0xFF;
    }

    /** Copies exactly {@code len} bytes into {@code dst}. */
    public void readFully(byte[] dst, int off, int len, String what) throws IOException {
        while (len > 0) {
            if (!fill(1)) {
                throw error("file truncated while reading " + what);
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Skips exactly {@code n} bytes; fails at a premature end. */
    public void skip(long n, String what) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == limit) {
                if (!fill(1)) {
                    throw error(
                            "file truncated: " + what + " extends " + left + " bytes past the end");
                }
            }
            int step = (int) Math.min(left, limit - pos);
            pos += step;
            left -= step;
        }
    }

    /**
     * Reads a header line: bytes up to and including {@code '\n'}, returned without the line end
     * ({@code \n} or {@code \r\n}) as ISO-8859-1 text.
     *
     * @param maxLength longest line accepted
     * @return the line, or {@code null} at the end of the stream
     * @throws EventFormatException when a line exceeds {@code maxLength}
     */
    public String readLine(int maxLength) throws IOException {
        if (!fill(1)) {
            return null;
        }
        long start = offset();
        int len = 0;
        while (true) {
            if (pos + len == limit) {
                if (len >= maxLength) {
                    throw errorAt(start, "header line longer than " + maxLength + " bytes");
                }
                if (!fill(len + 1)) {
                    break;
                }
            }
            if (buf[pos + len] == '\n') {
                len++;
                break;
            }
            len++;
            if (len > maxLength) {
                throw errorAt(start, "header line longer than " + maxLength + " bytes");
            }
        }
        int end = len;
        if (end > 0 && buf[pos + end - 1] == '\n') {
            end--;
        }
        if (end > 0 && buf[pos + end - 1] == '\r') {
            end--;
        }
        String line = new String(buf, pos, end, StandardCharsets.ISO_8859_1);
        pos += len;
        return line;
    }

    /** An error at the current offset. */
    public EventFormatException error(String message) {
        return new EventFormatException(name, offset(), message);
    }

    /** An error at an absolute offset. */
    public EventFormatException errorAt(long offset, String message) {
        return new EventFormatException(name, offset, message);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Little-endian signed 32-bit value at {@code b[i]}. */
    public static int intLE(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    /** Big-endian signed 32-bit value at {@code b[i]}. */
    public static int intBE(byte[] b, int i) {
        return (int) INT_BE.get(b, i);
    }

    /** Little-endian signed 16-bit value at {@code b[i]}. */
    public static short shortLE(byte[] b, int i) {
        return (short) SHORT_LE.get(b, i);
    }

    /** Big-endian signed 16-bit value at {@code b[i]}. */
    public static short shortBE(byte[] b, int i) {
        return (short) SHORT_BE.get(b, i);
    }

    /** Little-endian signed 64-bit value at {@code b[i]}. */
    public static long longLE(byte[] b, int i) {
        return (long) LONG_LE.get(b, i);
    }

    /** Writes a little-endian 32-bit value at {@code b[i]}. */
    public static void putIntLE(byte[] b, int i, int v) {
        INT_LE.set(b, i, v);
    }

    /** Writes a big-endian 32-bit value at {@code b[i]}. */
    public static void putIntBE(byte[] b, int i, int v) {
        INT_BE.set(b, i, v);
    }

    /** Writes a little-endian 16-bit value at {@code b[i]}. */
    public static void putShortLE(byte[] b, int i, short v) {
        SHORT_LE.set(b, i, v);
    }

    /** Writes a little-endian 64-bit value at {@code b[i]}. */
    public static void putLongLE(byte[] b, int i, long v) {
        LONG_LE.set(b, i, v);
    }

    /** Throws an {@link EOFException}-derived error naming the source; for readers' end checks. */
    public EventFormatException truncated(String what) {
        return error("file truncated in " + what);
    }
}
