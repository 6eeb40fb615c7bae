package io.dvsflow.connectors.formats.prophesee;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * An in-memory stream that returns 1, 2 or 3 bytes per {@code read(byte[], int, int)} call, in
 * turn, so that every word and record of a decoder under test straddles a buffer refill somewhere,
 * whatever the reader's buffer size.
 */
public final class TrickleInputStream extends InputStream {

    private final ByteArrayInputStream in;
    private int turn;

    public TrickleInputStream(byte[] bytes) {
        this.in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int step = Math.min(len, 1 + (turn++ % 3));
        return in.read(b, off, step);
    }
}
