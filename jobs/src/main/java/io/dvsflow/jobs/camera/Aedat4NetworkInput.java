package io.dvsflow.jobs.camera;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Adapts the AEDAT 4.0 <em>network</em> framing of iniVation's DV software to the AEDAT 4.0 file
 * reader.
 *
 * <p>What DV sends: dv-processing's {@code dv::io::NetworkWriter} (and the DV runtime's TCP server
 * output built on it) writes to every client that connects the IOHeader as a size-prefixed
 * flatbuffer ({@code uint32} LE length, then the {@code IOHE} table, with {@code dataTablePosition
 * = -1}), then packets, each an 8-byte {@code PacketHeader} ({@code int32} stream id, {@code int32}
 * size, LE) and its (possibly compressed) body. It does <b>not</b> send the {@code
 * #!AER-DAT4.0\r\n} version line that opens a file (the writer's {@code writeAedatVersion} is only
 * called for files). Everything after the version line is the same as in a file without a data
 * table.
 *
 * <p>{@link #withVersionLine} therefore looks at the first 14 bytes: when they are the version line
 * the stream is returned as it was (some bridges and test servers send a whole file); when they are
 * not, a synthetic version line is put in front, so {@code Aedat4Reader} parses the stream as a
 * file. A stream that starts with another AEDAT version line ({@code #!AER-DAT3.1}, the AEDAT 3
 * network format of cAER) is refused.
 */
public final class Aedat4NetworkInput {

    /** The AEDAT 4.0 version line, {@code #!AER-DAT4.0\r\n}: 14 bytes. */
    public static final byte[] VERSION_LINE =
            "#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] AEDAT_PREFIX = "#!AER-DAT".getBytes(StandardCharsets.US_ASCII);

    private Aedat4NetworkInput() {}

    /**
     * The stream with an AEDAT 4.0 version line in front, added when absent.
     *
     * @param in the socket's stream (read from; closed when the returned stream is closed)
     * @param source name for error messages
     * @throws IOException when the peer sends another AEDAT version, or on a read error
     */
    public static InputStream withVersionLine(InputStream in, String source) throws IOException {
        byte[] head = in.readNBytes(VERSION_LINE.length);
        if (Arrays.equals(head, VERSION_LINE)) {
            return new SequenceInputStream(new ByteArrayInputStream(head), in);
        }
        if (head.length >= AEDAT_PREFIX.length
                && Arrays.equals(
                        head, 0, AEDAT_PREFIX.length, AEDAT_PREFIX, 0, AEDAT_PREFIX.length)) {
            throw new IOException(
                    source
                            + ": the peer speaks "
                            + new String(head, StandardCharsets.US_ASCII).strip()
                            + ", not AEDAT 4.0 (configure DV's network output for AEDAT 4.0)");
        }
        byte[] prefixed = Arrays.copyOf(VERSION_LINE, VERSION_LINE.length + head.length);
        System.arraycopy(head, 0, prefixed, VERSION_LINE.length, head.length);
        return new SequenceInputStream(new ByteArrayInputStream(prefixed), in);
    }

    /** Whether {@code head} (the first bytes of a stream) starts with the version line. */
    public static boolean hasVersionLine(byte[] head) {
        return head.length >= VERSION_LINE.length
                && Arrays.equals(
                        head, 0, VERSION_LINE.length, VERSION_LINE, 0, VERSION_LINE.length);
    }
}
