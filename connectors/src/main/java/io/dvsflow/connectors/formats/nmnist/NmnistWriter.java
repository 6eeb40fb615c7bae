package io.dvsflow.connectors.formats.nmnist;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes ATIS {@code .bin} files (N-MNIST, N-Caltech101) readable by {@link NmnistReader}: no
 * header, 5-byte records {@code x, y, p << 7 | t[22..16], t[15..8], t[7..0]}.
 *
 * <p>Time: the record holds {@code t mod 2^23} µs. Before the first event whose time is at least
 * {@code (k + 1) 2^23} µs, the writer emits one overflow marker per elapsed period: the record
 * {@code 00 F0 00 00 00} ({@code y == 240}, which {@link NmnistReader} counts as {@code overflow}
 * and turns into {@code +2^23} µs for the later events).
 *
 * <p>Policies: the sensor is {@link WriterOptions#width()} x {@link WriterOptions#height()}, at
 * most 256 x 240 (x is one byte; {@code y == 240} is the marker); an event outside it, a negative
 * timestamp or a timestamp smaller than the previous one is refused with an {@link
 * IllegalArgumentException} naming the event (the format cannot represent it faithfully). The
 * writer buffers {@link #BUFFER_RECORDS} records; {@link #close()} flushes and closes the stream.
 */
public final class NmnistWriter implements EventWriter {

    /** Largest sensor width the format encodes. */
    public static final int MAX_WIDTH = 256;

    /** Largest sensor height the format encodes ({@code y == 240} marks an overflow). */
    public static final int MAX_HEIGHT = NmnistReader.OVERFLOW_Y;

    /** Records buffered before a write to the stream. */
    public static final int BUFFER_RECORDS = 4096;

    private final OutputStream out;
    private final int width;
    private final int height;
    private final byte[] buffer = new byte[BUFFER_RECORDS * NmnistReader.RECORD_BYTES];
    private int used;
    private long periodStartUs;
    private long lastUs;
    private long written;

    /**
     * @param out the stream (closed by {@link #close()})
     * @param options the sensor size (at most 256 x 240); other fields are ignored
     */
    public NmnistWriter(OutputStream out, WriterOptions options) {
        if (options.width() > MAX_WIDTH || options.height() > MAX_HEIGHT) {
            throw new IllegalArgumentException(
                    "N-MNIST .bin encodes sensors up to 256 x 240, not "
                            + options.width()
                            + " x "
                            + options.height());
        }
        this.out = out;
        this.width = options.width();
        this.height = options.height();
    }

    @Override
    public void write(EventPacket packet) throws IOException {
        final long[] ts = packet.timestamps();
        final short[] xs = packet.xs();
        final short[] ys = packet.ys();
        final byte[] ps = packet.polarities();
        final int n = packet.size();
        final byte[] b = buffer;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            int x = xs[i];
            int y = ys[i];
            if (t < lastUs || x < 0 || x >= width || y < 0 || y >= height) {
                throw new IllegalArgumentException(
                        "event "
                                + (written + i)
                                + " (t="
                                + t
                                + ", x="
                                + x
                                + ", y="
                                + y
                                + ") is outside the "
                                + width
                                + "x"
                                + height
                                + " sensor or before the previous event (t="
                                + lastUs
                                + ")");
            }
            lastUs = t;
            while (t - periodStartUs >= NmnistReader.TIME_PERIOD_US) {
                if (used == b.length) {
                    drain();
                }
                b[used] = 0;
                b[used + 1] = (byte) NmnistReader.OVERFLOW_Y;
                b[used + 2] = 0;
                b[used + 3] = 0;
                b[used + 4] = 0;
                used += NmnistReader.RECORD_BYTES;
                periodStartUs += NmnistReader.TIME_PERIOD_US;
            }
            int rel = (int) (t - periodStartUs); // < 2^23
            if (used == b.length) {
                drain();
            }
            b[used] = (byte) x;
            b[used + 1] = (byte) y;
            b[used + 2] = (byte) (((ps[i] & 1) << 7) | (rel >>> 16));
            b[used + 3] = (byte) (rel >>> 8);
            b[used + 4] = (byte) rel;
            used += NmnistReader.RECORD_BYTES;
        }
        written += n;
    }

    private void drain() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
    }

    @Override
    public EventFormat format() {
        return EventFormat.NMNIST;
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
            out.flush();
        } finally {
            out.close();
        }
    }
}
