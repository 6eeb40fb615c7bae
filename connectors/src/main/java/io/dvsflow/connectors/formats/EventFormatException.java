package io.dvsflow.connectors.formats;

import java.io.IOException;

/**
 * Input that does not follow its format: names the file (or stream) and the byte offset at which
 * the problem was found.
 */
public class EventFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /**
     * @param source the file or stream name
     * @param offset the byte offset of the problem from the start of the input, {@code -1} when not
     *     tied to a position
     * @param message what is wrong, as one sentence
     */
    public EventFormatException(String source, long offset, String message) {
        super(format(source, offset, message));
        this.source = source;
        this.offset = offset;
    }

    public EventFormatException(String source, long offset, String message, Throwable cause) {
        super(format(source, offset, message), cause);
        this.source = source;
        this.offset = offset;
    }

    private static String format(String source, long offset, String message) {
        return offset >= 0
                ? source + ": at byte " + offset + ": " + message
                : source + ": " + message;
    }

    /** The file or stream name. */
    public String source() {
        return source;
    }

    /** Byte offset of the problem, {@code -1} when not tied to a position. */
    public long offset() {
        return offset;
    }
}
