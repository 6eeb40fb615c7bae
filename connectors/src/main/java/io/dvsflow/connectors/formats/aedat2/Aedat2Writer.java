package io.dvsflow.connectors.formats.aedat2;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes jAER AEDAT 2.0 with the DVS128 address layout: {@code address = y << 8 | x << 1 | p} (raw
 * polarity 1 = ON, coordinates as given, no flip), so that {@link Aedat2Reader} with default
 * options reads the events back exactly.
 *
 * <p>The header is, with CRLF line ends:
 *
 * <pre>
 * #!AER-DAT2.0
 * # This is a raw AE data file created by dvsflow
 * # Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event
 * # Timestamps tick is 1 us
 * # AEChip: ch.unizh.ini.jaer.chip.retina.DVS128
 * # Creation time: System.currentTimeMillis() 0
 * </pre>
 *
 * <p>The creation time is always {@code 0}: an {@link EventPacket} carries no wall-clock anchor,
 * and the same events must give the same bytes. {@link WriterOptions#device()}, {@link
 * WriterOptions#compression()} and {@link WriterOptions#eventsPerPacket()} are not used; the sensor
 * must be at most 128 x 128.
 *
 * <p><b>Time.</b> The timestamp field holds {@code t mod 2^32} (µs), which {@link Aedat2Reader}
 * unwraps back to 64 bits. For that to be exact the events must not go back in time and two
 * consecutive events must be less than {@link #MAX_GAP_US} = 3 * 2^30 µs (about 53.7 min) apart;
 * either violation is an {@link IllegalArgumentException}. The first event's timestamp must lie in
 * {@code [0, 2^32)} µs, since readers start unwrapping at 0; shift Unix-time recordings first.
 *
 * <pre>{@code
 * try (EventWriter writer = new Aedat2Writer(out, WriterOptions.of(128, 128))) {
 *     writer.write(packet);
 * }
 * }</pre>
 */
public final class Aedat2Writer implements EventWriter {

    /**
     * Largest gap between consecutive timestamps that readers can unwrap (3 * 2^30 µs): a gap
     * {@code g} shows as a raw backwards step of {@code 2^32 - g}, taken as a wrap only when larger
     * than {@link Aedat2Reader#WRAP_THRESHOLD_US}.
     */
    public static final long MAX_GAP_US = 3L << 30;

    /** The header, byte for byte. */
    static final String HEADER =
            "#!AER-DAT2.0\r\n"
                    + "# This is a raw AE data file created by dvsflow\r\n"
                    + "# Data format is int32 address, int32 timestamp (8 bytes total), repeated"
                    + " for each event\r\n"
                    + "# Timestamps tick is 1 us\r\n"
                    + "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n"
                    + "# Creation time: System.currentTimeMillis() 0\r\n";

    private static final int CHUNK_EVENTS = 8192;

    private final OutputStream out;
    private final byte[] chunk = new byte[CHUNK_EVENTS * 8];
    private long lastTime = -1;
    private long eventsWritten;
    private boolean closed;

    /**
     * Writes the header.
     *
     * @param out destination, closed by {@link #close()}
     * @param options sensor size (at most 128 x 128)
     * @throws IllegalArgumentException when the sensor is larger than 128 x 128
     */
    public Aedat2Writer(OutputStream out, WriterOptions options) throws IOException {
        if (options.width() > 128 || options.height() > 128) {
            throw new IllegalArgumentException(
                    "the AEDAT 2.0 writer uses the DVS128 layout (7-bit x and y) and takes sensors"
                            + " up to 128x128, not "
                            + options.width()
                            + "x"
                            + options.height());
        }
        this.out = out;
        out.write(HEADER.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Appends the packet's events.
     *
     * @throws IllegalArgumentException when an event lies outside 128 x 128, goes back in time,
     *     follows the previous one by {@link #MAX_GAP_US} or more, or (the first) is outside {@code
     *     [0, 2^32)} µs; events before the offending one in this packet are written
     */
    @Override
    public void write(EventPacket packet) throws IOException {
        if (closed) {
            throw new IOException("AEDAT 2.0 writer is closed");
        }
        final long[] ts = packet.timestamps();
        final short[] xs = packet.xs();
        final short[] ys = packet.ys();
        final byte[] ps = packet.polarities();
        final byte[] b = chunk;
        final int size = packet.size();
        int j = 0;
        long last = lastTime;
        for (int i = 0; i < size; i++) {
            int x = xs[i];
            int y = ys[i];
            long t = ts[i];
            if ((x & ~0x7F) != 0 || (y & ~0x7F) != 0) {
                flush(j);
                lastTime = last;
                throw new IllegalArgumentException(
                        "event "
                                + i
                                + " at ("
                                + x
                                + ", "
                                + y
                                + ") is outside the DVS128 address range [0, 127]");
            }
            if (last < 0 ? (t < 0 || t >= (1L << 32)) : (t < last || t - last >= MAX_GAP_US)) {
                flush(j);
                lastTime = last;
                throw new IllegalArgumentException(timeError(i, t, last));
            }
            last = t;
            int address = (y << 8) | (x << 1) | (ps[i] != 0 ? 1 : 0);
            ByteInput.putIntBE(b, j, address);
            ByteInput.putIntBE(b, j + 4, (int) t);
            j += 8;
            if (j == b.length) {
                flush(j);
                j = 0;
            }
        }
        flush(j);
        lastTime = last;
    }

    private void flush(int bytes) throws IOException {
        if (bytes > 0) {
            out.write(chunk, 0, bytes);
            eventsWritten += bytes / 8;
        }
    }

    private static String timeError(int i, long t, long last) {
        if (last < 0) {
            return "event "
                    + i
                    + ": the first timestamp "
                    + t
                    + " us is outside [0, 2^32) us; AEDAT 2.0 readers unwrap 32-bit time from 0";
        }
        if (t < last) {
            return "event " + i + ": timestamp " + t + " us is before the previous " + last + " us";
        }
        return "event "
                + i
                + ": timestamp "
                + t
                + " us follows the previous "
                + last
                + " us by "
                + (t - last)
                + " us, too far for readers to unwrap the 32-bit field (limit "
                + MAX_GAP_US
                + " us)";
    }

    /** Events written so far. */
    public long eventsWritten() {
        return eventsWritten;
    }

    @Override
    public EventFormat format() {
        return EventFormat.AEDAT2;
    }

    /** Flushes and closes the stream; later calls do nothing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
