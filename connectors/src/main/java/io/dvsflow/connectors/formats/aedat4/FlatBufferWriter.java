package io.dvsflow.connectors.formats.aedat4;

import io.dvsflow.connectors.formats.internal.ByteInput;
import java.nio.charset.StandardCharsets;

/**
 * Lays out the two flatbuffers {@link Aedat4Writer} emits, at fixed offsets (the shapes never
 * change, so a general builder is not needed). Offsets are relative to the start of each buffer;
 * all values are little-endian, and every scalar sits at a multiple of its size.
 *
 * <p>Size-prefixed {@code EventPacket} of {@code n} events ({@code 32 + 16 n} bytes):
 *
 * <pre>
 *  0  uint32 size prefix = 28 + 16 n (bytes after the prefix)
 *  4  uint32 root offset = 16        (relative to byte 4: table at 20)
 *  8  "EVTS"                         file identifier
 * 12  vtable: uint16 6 (vtable bytes), uint16 8 (table bytes), uint16 4 (field 0 at table + 4)
 * 18  2 bytes padding
 * 20  table: int32 soffset = 8       (vtable at 20 - 8 = 12)
 * 24  uint32 offset to vector = 4    (vector at 24 + 4 = 28)
 * 28  uint32 n                       element count
 * 32  n x Event { int64 t; int16 x; int16 y; uint8 on; 3 padding }
 * </pre>
 *
 * <p>{@code IOHeader} with a description of {@code L} UTF-8 bytes. The file stores its uint32
 * length just before it, and as in flatc's size-prefixed buffers alignment counts from that length
 * field, so every offset below is aligned when 4 is added (as in DV's own files):
 *
 * <pre>
 *  0  uint32 root offset = 24
 *  4  "IOHE"
 *  8  vtable: uint16 10, uint16 20, uint16 12 (compression), uint16 4 (position), uint16 16
 *     (description)
 * 18  6 bytes padding
 * 24  table: int32 soffset = 16      (vtable at 8)
 * 28  int64 dataTablePosition        (28 + 4 = 32: 8-aligned)
 * 36  int32 compression
 * 40  uint32 offset to string = 4    (string at 44)
 * 44  uint32 L, L bytes, a 0 byte, padding so that 4 + buffer length is a multiple of 8
 * </pre>
 */
final class FlatBufferWriter {

    /** Offset of the first event struct in an event packet buffer. */
    static final int EVENTS_OFFSET = 32;

    private FlatBufferWriter() {}

    /** Bytes of an event packet buffer holding {@code n} events. */
    static int eventPacketBytes(int n) {
        return EVENTS_OFFSET + Aedat4Reader.EVENT_BYTES * n;
    }

    /**
     * Writes the fixed part of an event packet of {@code n} events into {@code b[0, 32)}; the
     * caller fills the structs with {@link #putEvent}.
     */
    static void putEventPacketHeader(byte[] b, int n) {
        ByteInput.putIntLE(b, 0, eventPacketBytes(n) - 4);
        ByteInput.putIntLE(b, 4, 16);
        putAscii(b, 8, "EVTS");
        ByteInput.putShortLE(b, 12, (short) 6);
        ByteInput.putShortLE(b, 14, (short) 8);
        ByteInput.putShortLE(b, 16, (short) 4);
        ByteInput.putShortLE(b, 18, (short) 0);
        ByteInput.putIntLE(b, 20, 8);
        ByteInput.putIntLE(b, 24, 4);
        ByteInput.putIntLE(b, 28, n);
    }

    /** Writes event {@code i} (its 16-byte struct, padding zeroed). */
    static void putEvent(byte[] b, int i, long t, int x, int y, boolean on) {
        int o = EVENTS_OFFSET + Aedat4Reader.EVENT_BYTES * i;
        ByteInput.putLongLE(b, o, t);
        ByteInput.putShortLE(b, o + 8, (short) x);
        ByteInput.putShortLE(b, o + 10, (short) y);
        ByteInput.putIntLE(b, o + 12, on ? 1 : 0);
    }

    /** The IOHeader buffer. */
    static byte[] ioHeader(Aedat4Compression compression, long dataTablePosition, String xml) {
        byte[] text = xml.getBytes(StandardCharsets.UTF_8);
        int length = ((4 + 48 + text.length + 1 + 7) & ~7) - 4;
        byte[] b = new byte[length];
        ByteInput.putIntLE(b, 0, 24);
        putAscii(b, 4, "IOHE");
        ByteInput.putShortLE(b, 8, (short) 10);
        ByteInput.putShortLE(b, 10, (short) 20);
        ByteInput.putShortLE(b, 12, (short) 12);
        ByteInput.putShortLE(b, 14, (short) 4);
        ByteInput.putShortLE(b, 16, (short) 16);
        ByteInput.putIntLE(b, 24, 16);
        ByteInput.putLongLE(b, 28, dataTablePosition);
        ByteInput.putIntLE(b, 36, compression.code);
        ByteInput.putIntLE(b, 40, 4);
        ByteInput.putIntLE(b, 44, text.length);
        System.arraycopy(text, 0, b, 48, text.length);
        return b;
    }

    private static void putAscii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            b[at + i] = (byte) s.charAt(i);
        }
    }
}
