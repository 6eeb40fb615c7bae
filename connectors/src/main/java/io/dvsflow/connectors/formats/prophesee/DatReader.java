package io.dvsflow.connectors.formats.prophesee;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingInfo;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Prophesee DAT: a {@code %} header, one byte event type, one byte event size (must be 8),
 * then 8-byte little-endian records {@code (uint32 t, uint32 data)}.
 *
 * <ul>
 *   <li>Event types: {@code 0x00} Event2d and {@code 0x0C} EventCD are decoded; {@code 0x0E}
 *       ExtTrigger files are read through and every record is skipped as {@code external}; any
 *       other type is an error.
 *   <li>Version 2 (the default when the header has no {@code % Version} line): {@code x} = data
 *       bits 13..0, {@code y} = bits 27..14, payload = bits 31..28.
 *   <li>Version 1 ({@code % Version 1}): {@code x} = bits 8..0, {@code y} = bits 16..9, payload =
 *       bits 20..17.
 *   <li>Polarity: payload 0 is OFF, any other payload is ON (CD files only hold 0 and 1).
 *   <li>Time: {@code t} wraps every 2^32 µs (about 71.6 min). A record more than 2^31 µs below the
 *       previous time adds 2^32 µs to it and all later ones; a smaller step back is clamped to the
 *       previous time and counted as {@code time_backwards}, so output time never decreases.
 *   <li>Geometry: {@code % Width}/{@code % Height} (or {@code % geometry}) when present, else
 *       {@code 0x0} unknown (the N-CARS files state none); with a known geometry events outside it
 *       are skipped as {@code out_of_bounds}.
 *   <li>A truncated final record: the events before it are delivered, then the next {@link #read}
 *       throws an {@link io.dvsflow.connectors.formats.EventFormatException}.
 * </ul>
 */
public final class DatReader extends PropheseeReader {

    private static final Logger LOG = LoggerFactory.getLogger(DatReader.class);

    /** Event type byte of Event2d records. */
    static final int TYPE_EVENT_2D = 0x00;

    /** Event type byte of EventCD records. */
    static final int TYPE_EVENT_CD = 0x0C;

    /** Event type byte of external trigger records. */
    static final int TYPE_EXT_TRIGGER = 0x0E;

    /** The only record size accepted, bytes. */
    static final int RECORD_BYTES = 8;

    /** A step back larger than this (half the 32-bit range) is a wrap, µs. */
    static final long WRAP_THRESHOLD_US = 1L << 31;

    /** Period of the 32-bit DAT timestamp, µs. */
    static final long TIME_PERIOD_US = 1L << 32;

    private final RecordingInfo info;
    private final boolean triggers;
    private final int xMask;
    private final int yShift;
    private final int yMask;
    private final int pShift;

    private long wrapOffset;
    private long lastT = Long.MIN_VALUE;

    /**
     * Parses the header and the type/size bytes.
     *
     * @throws io.dvsflow.connectors.formats.EventFormatException when the header is corrupt, the
     *     version is not 1 or 2, the event type is unknown or the event size is not 8
     */
    public DatReader(InputStream in, String sourceName, ReaderOptions options) throws IOException {
        super(in, sourceName, options);
        String version = header.datVersion == null ? "2" : header.datVersion;
        if (version.equals("1")) {
            xMask = 0x1FF;
            yShift = 9;
            yMask = 0xFF;
            pShift = 17;
        } else if (version.equals("2")) {
            xMask = 0x3FFF;
            yShift = 14;
            yMask = 0x3FFF;
            pShift = 28;
        } else {
            throw this.in.errorAt(
                    0, "DAT '% Version " + version + "' is not supported (only 1 and 2)");
        }
        long typeOffset = this.in.offset();
        int type = this.in.read();
        int size = this.in.read();
        if (type < 0) {
            // Header only: no type/size pair; an empty recording.
            triggers = false;
        } else {
            if (size < 0) {
                throw this.in.errorAt(
                        typeOffset, "file truncated: DAT event size byte missing after the type");
            }
            if (type != TYPE_EVENT_2D && type != TYPE_EVENT_CD && type != TYPE_EXT_TRIGGER) {
                throw this.in.errorAt(
                        typeOffset,
                        String.format(
                                "DAT event type 0x%02X is not supported (0x00 Event2d, 0x0C CD,"
                                        + " 0x0E ExtTrigger)",
                                type));
            }
            if (size != RECORD_BYTES) {
                throw this.in.errorAt(
                        typeOffset + 1,
                        "DAT event size " + size + " is not supported (only 8-byte records)");
            }
            triggers = type == TYPE_EXT_TRIGGER;
        }
        this.info =
                new RecordingInfo(
                        EventFormat.DAT, version, width, height, header.device(), header.metadata);
        LOG.debug("{}: DAT v{}, {}x{}, type 0x{}", sourceName, version, width, height, type);
    }

    @Override
    public RecordingInfo info() {
        return info;
    }

    @Override
    int decode(EventPacket out) throws IOException {
        final long[] ts = out.timestamps();
        final short[] xs = out.xs();
        final short[] ys = out.ys();
        final byte[] ps = out.polarities();
        final int cap = triggers ? 0 : out.capacity();
        final int w = xLimit;
        final int h = yLimit;
        final int xm = xMask;
        final int ysh = yShift;
        final int ym = yMask;
        final int psh = pShift;
        final ByteInput src = in;
        long offset = wrapOffset;
        long last = lastT;
        int n = 0;
        long on = 0;
        long outOfBounds = 0;
        long backwards = 0;
        long external = 0;
        while (true) {
            final byte[] b = src.buf;
            final int end = src.limit - 7;
            int pos = src.pos;
            if (triggers) {
                // Trigger-only file: count the records, deliver nothing.
                int records = (src.limit - pos) / RECORD_BYTES;
                external += records;
                pos += records * RECORD_BYTES;
            }
            while (pos < end && n < cap) {
                long t = (ByteInput.intLE(b, pos) & 0xFFFFFFFFL) + offset;
                final int data = ByteInput.intLE(b, pos + 4);
                pos += RECORD_BYTES;
                if (t < last) {
                    if (last - t > WRAP_THRESHOLD_US) {
                        offset += TIME_PERIOD_US;
                        t += TIME_PERIOD_US;
                        last = t;
                    } else {
                        t = last;
                        backwards++;
                    }
                } else {
                    last = t;
                }
                final int x = data & xm;
                final int y = (data >>> ysh) & ym;
                if (x < w && y < h) {
                    final int p = ((data >>> psh) & 0xF) != 0 ? 1 : 0;
                    ts[n] = t;
                    xs[n] = (short) x;
                    ys[n] = (short) y;
                    ps[n] = (byte) p;
                    on += p;
                    n++;
                } else {
                    outOfBounds++;
                }
            }
            src.pos = pos;
            if (n >= cap && !triggers) {
                break;
            }
            if (!src.fill(RECORD_BYTES)) {
                int left = src.available();
                if (left == 0 || n > 0) {
                    break;
                }
                flush(offset, last, 0, on, outOfBounds, backwards, external);
                throw src.error("file truncated: the last DAT record has " + left + " of 8 bytes");
            }
        }
        flush(offset, last, n, on, outOfBounds, backwards, external);
        return n;
    }

    private void flush(
            long offset,
            long last,
            int n,
            long on,
            long outOfBounds,
            long backwards,
            long external) {
        wrapOffset = offset;
        lastT = last;
        stats.addEvents(n, on);
        stats.skip("out_of_bounds", outOfBounds);
        stats.skip("time_backwards", backwards);
        stats.skip("external", external);
    }
}
