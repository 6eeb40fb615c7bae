package io.dvsflow.connectors.formats.aedat4;

import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.internal.ByteInput;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader of the few flatbuffer constructs AEDAT 4.0 uses: the root table, scalar
 * fields, vectors of structs or of table offsets, strings and the 4-byte file identifier.
 *
 * <p>Flatbuffer layout (little-endian throughout):
 *
 * <ul>
 *   <li>the buffer starts with a {@code uint32} offset to the root table, relative to itself, and
 *       may carry a 4-character identifier at bytes 4..7; a <em>size-prefixed</em> buffer has one
 *       more {@code uint32} length in front of all of this;
 *   <li>a table starts with an {@code int32} {@code soffset}: its vtable sits at {@code table -
 *       soffset};
 *   <li>a vtable is {@code uint16} vtable length in bytes, {@code uint16} table length in bytes,
 *       then one {@code uint16} per field: the field's offset inside the table, {@code 0} (or a
 *       field index past the vtable's end) meaning "absent, use the default";
 *   <li>a vector, string or sub-table field holds a {@code uint32} offset relative to the field
 *       itself; a vector or string starts with a {@code uint32} element count.
 * </ul>
 *
 * <p>Every offset is checked against the buffer bounds before it is followed, so a corrupt buffer
 * gives an {@link EventFormatException} (naming the source, the file offset of the enclosing
 * structure and the position inside the buffer), never an {@link ArrayIndexOutOfBoundsException}.
 * One instance is reused across packets ({@link #reset}), so decoding a packet allocates nothing.
 */
final class FlatTable {

    private final String source;
    private byte[] b;
    private int start;
    private int end;
    private long fileOffset;
    private String what;
    private int vectorLength;

    FlatTable(String source) {
        this.source = source;
    }

    /**
     * Points this reader at the flatbuffer {@code b[start, end)}.
     *
     * @param fileOffset file offset reported in errors (the packet or header start)
     * @param what the structure's name for error messages (e.g. {@code "EVTS packet"})
     */
    void reset(byte[] b, int start, int end, long fileOffset, String what) {
        if (start < 0 || end > b.length || start > end) {
            throw new IllegalArgumentException(
                    "range [" + start + ", " + end + ") outside " + b.length + " bytes");
        }
        this.b = b;
        this.start = start;
        this.end = end;
        this.fileOffset = fileOffset;
        this.what = what;
    }

    /**
     * Treats {@code b[start, end)} as a size-prefixed buffer: checks its {@code uint32} length and
     * narrows this reader to the buffer that follows the prefix.
     */
    void enterSizePrefixed() throws EventFormatException {
        need(start, 4, "size prefix");
        long size = ByteInput.intLE(b, start) & 0xFFFFFFFFL;
        if (size > end - start - 4) {
            throw corrupt(
                    start,
                    "size prefix says "
                            + size
                            + " bytes but only "
                            + (end - start - 4)
                            + " follow");
        }
        start += 4;
        end = start + (int) size;
    }

    /** Checks the 4-character identifier at bytes 4..7 of the buffer. */
    void requireIdentifier(String id) throws EventFormatException {
        need(start + 4, 4, "file identifier");
        for (int i = 0; i < 4; i++) {
            if (b[start + 4 + i] != id.charAt(i)) {
                String found = new String(b, start + 4, 4, StandardCharsets.ISO_8859_1);
                throw corrupt(
                        start + 4,
                        "flatbuffer identifier is '"
                                + printable(found)
                                + "', expected '"
                                + id
                                + "'");
            }
        }
    }

    /** Index in the byte array of the root table. */
    int root() throws EventFormatException {
        need(start, 4, "root offset");
        return target(start, "root table");
    }

    /**
     * Index of field {@code index} of {@code table} in the byte array, after checking that {@code
     * size} bytes fit inside the table and the buffer, or {@code -1} when the field is absent.
     */
    int field(int table, int index, int size) throws EventFormatException {
        need(table, 4, "table");
        long vtable = (long) table - ByteInput.intLE(b, table);
        if (vtable < start || vtable > end - 4) {
            throw corrupt(
                    table, "vtable offset points to " + (vtable - start) + ", outside the buffer");
        }
        int vt = (int) vtable;
        int vtLength = ByteInput.shortLE(b, vt) & 0xFFFF;
        int tableLength = ByteInput.shortLE(b, vt + 2) & 0xFFFF;
        if (vtLength < 4 || (vtLength & 1) != 0 || vtLength > end - vt) {
            throw corrupt(vt, "vtable length " + vtLength + " is invalid");
        }
        if (tableLength < 4 || tableLength > end - table) {
            throw corrupt(vt, "table length " + tableLength + " runs past the buffer end");
        }
        int slot = 4 + 2 * index;
        if (slot + 2 > vtLength) {
            return -1;
        }
        int fieldOffset = ByteInput.shortLE(b, vt + slot) & 0xFFFF;
        if (fieldOffset == 0) {
            return -1;
        }
        if (fieldOffset < 4 || fieldOffset + size > tableLength) {
            throw corrupt(
                    vt + slot,
                    "field "
                            + index
                            + " at table offset "
                            + fieldOffset
                            + " does not fit the "
                            + tableLength
                            + "-byte table");
        }
        return table + fieldOffset;
    }

    /** An {@code int32} field, or {@code defaultValue} when absent. */
    int intField(int table, int index, int defaultValue) throws EventFormatException {
        int f = field(table, index, 4);
        return f < 0 ? defaultValue : ByteInput.intLE(b, f);
    }

    /** An {@code int16} field, or {@code defaultValue} when absent. */
    int shortField(int table, int index, int defaultValue) throws EventFormatException {
        int f = field(table, index, 2);
        return f < 0 ? defaultValue : ByteInput.shortLE(b, f);
    }

    /** An {@code int8} field, or {@code defaultValue} when absent. */
    int byteField(int table, int index, int defaultValue) throws EventFormatException {
        int f = field(table, index, 1);
        return f < 0 ? defaultValue : b[f];
    }

    /** The byte array the table lives in (for vector contents). */
    byte[] bytes() {
        return b;
    }

    /** An {@code int64} field, or {@code defaultValue} when absent. */
    long longField(int table, int index, long defaultValue) throws EventFormatException {
        int f = field(table, index, 8);
        return f < 0 ? defaultValue : ByteInput.longLE(b, f);
    }

    /**
     * Index of the first element of vector field {@code index}, after checking that {@code
     * elementSize}-byte elements fit in the buffer; the element count is then {@link
     * #vectorLength()}. An absent vector gives {@code -1} and a length of {@code 0}.
     */
    int vector(int table, int index, int elementSize) throws EventFormatException {
        vectorLength = 0;
        int f = field(table, index, 4);
        if (f < 0) {
            return -1;
        }
        int v = target(f, "vector");
        need(v, 4, "vector length");
        long n = ByteInput.intLE(b, v) & 0xFFFFFFFFL;
        if (n * elementSize > end - v - 4) {
            throw corrupt(
                    v,
                    "vector of "
                            + n
                            + " elements of "
                            + elementSize
                            + " bytes runs past the buffer end");
        }
        vectorLength = (int) n;
        return v + 4;
    }

    /** Element count of the last {@link #vector} call. */
    int vectorLength() {
        return vectorLength;
    }

    /** A UTF-8 string field, or {@code null} when absent. */
    String string(int table, int index) throws EventFormatException {
        int first = vector(table, index, 1);
        return first < 0 ? null : new String(b, first, vectorLength, StandardCharsets.UTF_8);
    }

    /** Follows the {@code uint32} offset stored at {@code at} (relative to {@code at}). */
    private int target(int at, String name) throws EventFormatException {
        long t = at + (ByteInput.intLE(b, at) & 0xFFFFFFFFL);
        if (t > end - 4) {
            throw corrupt(at, name + " offset points to " + (t - start) + ", outside the buffer");
        }
        return (int) t;
    }

    private void need(int at, int n, String name) throws EventFormatException {
        if (at < start || n > end - at) {
            throw corrupt(at, name + " (" + n + " bytes) runs past the buffer end");
        }
    }

    private EventFormatException corrupt(int at, String message) {
        return new EventFormatException(
                source,
                fileOffset,
                "corrupt "
                        + what
                        + " flatbuffer at buffer byte "
                        + (at - start)
                        + " of "
                        + (end - start)
                        + ": "
                        + message);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
