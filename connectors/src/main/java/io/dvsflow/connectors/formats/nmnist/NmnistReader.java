package io.dvsflow.connectors.formats.nmnist;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingInfo;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.connectors.formats.internal.ByteInputReader;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads the ATIS {@code .bin} files of N-MNIST and N-Caltech101 (Orchard et al.): no header, 5-byte
 * records.
 *
 * <p>Record {@code b0..b4}: {@code x = b0}, {@code y = b1}, polarity {@code = b2 >> 7} (1 = ON),
 * {@code t = ((b2 & 0x7F) << 16) | (b3 << 8) | b4} µs (a 23-bit counter).
 *
 * <p>Policies (see also the package documentation):
 *
 * <ul>
 *   <li><b>Overflow markers</b>: a record with {@code y == 240} is a timestamp-overflow marker; it
 *       is skipped (counted as {@code overflow}) and adds 2^23 µs to every later timestamp.
 *   <li><b>Non-decreasing time</b>: an event below the previous time gets the previous time and is
 *       counted as {@code time_backwards}.
 *   <li><b>Geometry is reported as 0x0 (unknown)</b>: the format does not say; N-MNIST is 34x34 but
 *       the same record format carries N-Caltech101 (up to 240x180), so no bounds check is made
 *       (coordinates are bytes, {@code 0..255}). Callers that know the dataset set the geometry.
 *       Consequently {@code flipX}/{@code flipY} are rejected.
 *   <li>A final record shorter than 5 bytes: the events before it are delivered, then the next
 *       {@link #read} throws an {@link EventFormatException}.
 * </ul>
 */
public final class NmnistReader extends ByteInputReader {

    /** Bytes per record. */
    static final int RECORD_BYTES = 5;

    /** The y value that marks a timestamp-overflow record. */
    static final int OVERFLOW_Y = 240;

    /** Period of the 23-bit timestamp, µs: what an overflow marker adds. */
    static final long TIME_PERIOD_US = 1L << 23;

    private final RecordingInfo info;

    private long offset;
    private long lastT = Long.MIN_VALUE;

    /**
     * Opens the stream (there is no header to parse).
     *
     * @throws EventFormatException when {@code flipX}/{@code flipY} is requested (the geometry is
     *     unknown)
     */
    public NmnistReader(InputStream in, String sourceName, ReaderOptions options)
            throws IOException {
        super(new ByteInput(in, sourceName), options);
        if (options.flipX() || options.flipY()) {
            throw new EventFormatException(
                    sourceName,
                    -1,
                    "flipX/flipY need the sensor size, which N-MNIST .bin files do not state");
        }
        this.info = new RecordingInfo(EventFormat.NMNIST, "", 0, 0, "ATIS", Map.of());
    }

    @Override
    public RecordingInfo info() {
        return info;
    }

    @Override
    public boolean read(EventPacket out) throws IOException {
        out.clear();
        out.setStreamId(streamId());
        out.setGeometry(0, 0);
        final long[] ts = out.timestamps();
        final short[] xs = out.xs();
        final short[] ys = out.ys();
        final byte[] ps = out.polarities();
        final int cap = out.capacity();
        final ByteInput src = in;
        long off = offset;
        long last = lastT;
        int n = 0;
        long on = 0;
        long overflow = 0;
        long backwards = 0;
        while (n < cap) {
            final byte[] b = src.buf;
            final int end = src.limit - 4;
            int pos = src.pos;
            while (pos < end && n < cap) {
                final int y = b[pos + 1] & 0xFF;
                if (y == OVERFLOW_Y) {
                    off += TIME_PERIOD_US;
                    overflow++;
                    pos += RECORD_BYTES;
                    continue;
                }
                final int b2 = b[pos + 2] & 0xFF;
                long t =
                        off
                                + (((b2 & 0x7F) << 16)
                                        | ((b[pos + 3] & 0xFF) << 8)
                                        | (b[pos + 4] & 0xFF));
                if (t < last) {
                    t = last;
                    backwards++;
                } else {
                    last = t;
                }
                final int p = b2 >>> 7;
                ts[n] = t;
                xs[n] = (short) (b[pos] & 0xFF);
                ys[n] = (short) y;
                ps[n] = (byte) p;
                on += p;
                n++;
                pos += RECORD_BYTES;
            }
            src.pos = pos;
            if (n >= cap) {
                break;
            }
            if (!src.fill(RECORD_BYTES)) {
                int left = src.available();
                if (left == 0 || n > 0) {
                    break;
                }
                flush(off, last, 0, on, overflow, backwards);
                throw src.error("file truncated: the last record has " + left + " of 5 bytes");
            }
        }
        flush(off, last, n, on, overflow, backwards);
        out.setSize(n);
        return n > 0;
    }

    private void flush(long off, long last, int n, long on, long overflow, long backwards) {
        offset = off;
        lastT = last;
        stats.addEvents(n, on);
        stats.skip("overflow", overflow);
        stats.skip("time_backwards", backwards);
    }
}
