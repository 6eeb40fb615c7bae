package io.dvsflow.connectors.formats.aedat3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Assembles AEDAT 3 test files by hand: header text, 28-byte packet headers and raw little-endian
 * words. Uses {@link ByteBuffer} (not the code under test) so encodings are independent.
 */
final class Aedat3Bytes {

    /** Header of a DVS128 AEDAT 3.1 file as cAER writes it. */
    static final String DVS128_HEADER =
            "#!AER-DAT3.1\r\n"
                    + "#Format: RAW\r\n"
                    + "#Source 1: DVS128\r\n"
                    + "#Start-Time: 2017-03-01 10:00:00 (TZ+0100)\r\n"
                    + "#!END-HEADER\r\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Aedat3Bytes withHeader(String header) {
        Aedat3Bytes b = new Aedat3Bytes();
        b.out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        return b;
    }

    /** Appends a 28-byte packet header. */
    Aedat3Bytes packet(
            int type,
            int source,
            int size,
            int tsOffset,
            int overflow,
            int capacity,
            int number,
            int valid) {
        ByteBuffer h = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) type).putShort((short) source);
        h.putInt(size).putInt(tsOffset).putInt(overflow);
        h.putInt(capacity).putInt(number).putInt(valid);
        out.writeBytes(h.array());
        return this;
    }

    /** Appends a polarity / special packet header with size 8, TS offset 4, capacity = number. */
    Aedat3Bytes packet8(int type, int overflow, int number) {
        return packet(type, 1, 8, 4, overflow, number, number, number);
    }

    /** Appends one 8-byte event: the data word then the 32-bit timestamp, little-endian. */
    Aedat3Bytes event(int data, int ts) {
        ByteBuffer e = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(data).putInt(ts);
        out.writeBytes(e.array());
        return this;
    }

    /**
     * Appends one FRAME event (libcaer caer_frame_event): info, four int32 timestamps, lengthX,
     * lengthY, positionX, positionY, then the uint16 samples, then zero padding up to {@code size}.
     */
    Aedat3Bytes frame(int info, int[] ts, int lx, int ly, int px, int py, int[] samples, int size) {
        ByteBuffer e = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(info);
        for (int t : ts) {
            e.putInt(t);
        }
        e.putInt(lx).putInt(ly).putInt(px).putInt(py);
        for (int v : samples) {
            e.putShort((short) v);
        }
        out.writeBytes(e.array());
        return this;
    }

    /** Appends {@code n} bytes of value {@code value}. */
    Aedat3Bytes fill(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        out.writeBytes(b);
        return this;
    }

    /** Appends {@code n} zero bytes. */
    Aedat3Bytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
