package io.dvsflow.connectors.formats.aedat4;

/**
 * The packet compression named by the AEDAT 4.0 IOHeader ({@code Compression : int32} in {@code
 * ioheader.fbs}). One value applies to every packet of a file and to its FileDataTable.
 */
enum Aedat4Compression {
    /** Packets are stored as plain size-prefixed flatbuffers. */
    NONE(0),
    /** Each packet is one LZ4 frame. */
    LZ4(1),
    /** Each packet is one LZ4 frame made by the high-compression encoder (same frame format). */
    LZ4_HIGH(2),
    /** Each packet is one Zstandard frame. */
    ZSTD(3),
    /** Each packet is one Zstandard frame made at a high level (same frame format). */
    ZSTD_HIGH(4);

    private static final Aedat4Compression[] BY_CODE = values();

    /** The int32 value stored in the IOHeader. */
    final int code;

    Aedat4Compression(int code) {
        this.code = code;
    }

    /** The compression for an IOHeader value, or {@code null} when the value is unknown. */
    static Aedat4Compression ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** {@code true} for the two LZ4 variants. */
    boolean isLz4() {
        return this == LZ4 || this == LZ4_HIGH;
    }

    /** {@code true} for the two Zstandard variants. */
    boolean isZstd() {
        return this == ZSTD || this == ZSTD_HIGH;
    }
}
