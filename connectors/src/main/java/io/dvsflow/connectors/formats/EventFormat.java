package io.dvsflow.connectors.formats;

import java.util.Locale;

/** The event file formats dvsflow reads, with the short names the command line and JSON use. */
public enum EventFormat {
    /** jAER AEDAT 1.0: big-endian 6-byte events (int16 address, int32 timestamp). */
    AEDAT1("aedat1"),
    /** jAER AEDAT 2.0: big-endian 8-byte events (int32 address, int32 timestamp). */
    AEDAT2("aedat2"),
    /** cAER AEDAT 3.0 / 3.1: little-endian packets with 28-byte headers. */
    AEDAT3("aedat3"),
    /** DV AEDAT 4.0: flatbuffer packets, optionally LZ4 or ZSTD compressed. */
    AEDAT4("aedat4"),
    /** Prophesee EVT 2.0 RAW: 32-bit words. */
    EVT2("evt2"),
    /** Prophesee EVT 3.0 RAW: 16-bit vectorized words. */
    EVT3("evt3"),
    /** Prophesee DAT: 8-byte (timestamp, data) records. */
    DAT("dat"),
    /** N-MNIST / ATIS {@code .bin}: 40-bit records. */
    NMNIST("nmnist");

    private final String shortName;

    EventFormat(String shortName) {
        this.shortName = shortName;
    }

    /** The name used on the command line and in JSON, e.g. {@code aedat2}. */
    public String shortName() {
        return shortName;
    }

    /**
     * Parses a short name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EventFormat fromShortName(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        for (EventFormat f : values()) {
            if (f.shortName.equals(n)) {
                return f;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (EventFormat f : values()) {
            accepted.append(accepted.length() == 0 ? "" : ", ").append(f.shortName);
        }
        throw new IllegalArgumentException(
                "unknown event format '" + name + "'; expected one of " + accepted);
    }
}
