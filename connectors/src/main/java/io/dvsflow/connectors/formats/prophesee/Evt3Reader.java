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
 * Reads Prophesee RAW EVT 3.0: a {@code %} header, then little-endian 16-bit words whose type is in
 * bits 15..12. The decoder is stateful: y, polarity, the vector base x and the time carry from word
 * to word, across {@link #read} calls and across buffer refills.
 *
 * <ul>
 *   <li>EVT_ADDR_Y {@code 0x0}: {@code y} = bits 10..0 (bit 11, master/slave, ignored);
 *   <li>EVT_ADDR_X {@code 0x2}: one event at {@code x} = bits 10..0, polarity = bit 11;
 *   <li>VECT_BASE_X {@code 0x3}: base x = bits 10..0, polarity = bit 11 for later vectors;
 *   <li>VECT_12 {@code 0x4}: bits 11..0 are a mask, set bit {@code k} is an event at {@code base +
 *       k}; then {@code base += 12};
 *   <li>VECT_8 {@code 0x5}: the same with bits 7..0; then {@code base += 8};
 *   <li>EVT_TIME_LOW {@code 0x6} and EVT_TIME_HIGH {@code 0x8}: {@code t = wraps * 2^24 + (timeHigh
 *       << 12 | timeLow)} µs;
 *   <li>EXT_TRIGGER {@code 0xA}: skipped as {@code external};
 *   <li>CONTINUED_4 {@code 0x7}, OTHERS {@code 0xE}, CONTINUED_12 {@code 0xF} and undefined types:
 *       skipped as {@code other}.
 * </ul>
 *
 * <p>Time policies (see also the package documentation):
 *
 * <ul>
 *   <li><b>Wrap</b>: the 24-bit time wraps every 2^24 µs (16.777216 s). Only TIME_HIGH counts
 *       wraps: a TIME_HIGH more than 2048 (half its 12-bit range) below the previous one adds 2^24
 *       µs. TIME_LOW is <em>never</em> a wrap source.
 *   <li><b>A changed TIME_HIGH resets TIME_LOW to 0</b> (the next TIME_LOW gives the low bits); a
 *       repeated, unchanged TIME_HIGH (sensors emit them every few µs) changes nothing.
 *   <li><b>Non-decreasing time</b>: real recordings contain TIME_LOW steps back by a few µs under
 *       an unchanged TIME_HIGH (the expelliarmus sample has 9, each about 11 µs). A time word whose
 *       time is below the current output time leaves the output time unchanged (clamped) and is
 *       counted once as {@code time_backwards}; the output time advances again once the words catch
 *       up. Treating such a step as a wrap would shift all later events by 4096 µs.
 *   <li><b>Before the first time word</b> events have time 0.
 *   <li><b>Geometry</b>: as {@link Evt2Reader}; events outside a known geometry are skipped as
 *       {@code out_of_bounds}.
 *   <li>A trailing odd byte: the events before it are delivered, then the next {@link #read} throws
 *       an {@link io.dvsflow.connectors.formats.EventFormatException}.
 * </ul>
 */
public final class Evt3Reader extends PropheseeReader {

    private static final Logger LOG = LoggerFactory.getLogger(Evt3Reader.class);

    /** A TIME_HIGH this far below the previous one (half its 12-bit range) is a wrap. */
    static final int TIME_HIGH_WRAP_THRESHOLD = 1 << 11;

    /** Period of the 24-bit EVT 3.0 time, µs. */
    static final long TIME_PERIOD_US = 1L << 24;

    private final RecordingInfo info;

    private int y;
    private int polarity;
    private int baseX;

    /** Last TIME_HIGH payload (12 bits). */
    private int timeHigh;

    /** {@code wraps * 2^24 + (timeHigh << 12)}, µs. */
    private long highPart;

    /** Accumulated wrap offset, µs. */
    private long wrapOffset;

    /** Current output time, µs: never decreases. */
    private long now;

    /** Events of a vector word that did not fit in the previous packet: mask and base x. */
    private int pendingMask;

    private int pendingX;

    /**
     * Parses the header.
     *
     * @throws io.dvsflow.connectors.formats.EventFormatException when the header is corrupt or
     *     names another format
     */
    public Evt3Reader(InputStream in, String sourceName, ReaderOptions options) throws IOException {
        super(in, sourceName, options);
        header.requireFormat(this.in, EventFormat.EVT3);
        this.info =
                new RecordingInfo(
                        EventFormat.EVT3, "3.0", width, height, header.device(), header.metadata);
        LOG.debug("{}: EVT 3.0, {}x{}, device '{}'", sourceName, width, height, header.device());
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
        final int cap = out.capacity();
        final int w = xLimit;
        final int h = yLimit;
        final ByteInput src = in;
        int cy = y;
        int pol = polarity;
        int bx = baseX;
        long t = now;
        int n = 0;
        long on = 0;
        long outOfBounds = 0;
        long external = 0;
        long other = 0;
        long backwards = 0;

        // Events of a vector cut by the previous packet's end: same y, polarity and time.
        int mask = pendingMask;
        if (mask != 0) {
            final int vx = pendingX;
            if (cy >= h) {
                outOfBounds += Integer.bitCount(mask);
                mask = 0;
            }
            while (mask != 0 && n < cap) {
                final int x = vx + Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                if (x < w) {
                    ts[n] = t;
                    xs[n] = (short) x;
                    ys[n] = (short) cy;
                    ps[n] = (byte) pol;
                    on += pol;
                    n++;
                } else {
                    outOfBounds++;
                }
            }
            pendingMask = mask;
        }

        while (n < cap) {
            final byte[] b = src.buf;
            final int end = src.limit - 1;
            int pos = src.pos;
            while (pos < end && n < cap) {
                final int word = ByteInput.shortLE(b, pos) & 0xFFFF;
                pos += 2;
                switch (word >>> 12) {
                    case 0x0 -> cy = word & 0x7FF;
                    case 0x2 -> {
                        final int x = word & 0x7FF;
                        final int p = (word >>> 11) & 1;
                        if (x < w && cy < h) {
                            ts[n] = t;
                            xs[n] = (short) x;
                            ys[n] = (short) cy;
                            ps[n] = (byte) p;
                            on += p;
                            n++;
                        } else {
                            outOfBounds++;
                        }
                    }
                    case 0x3 -> {
                        bx = word & 0x7FF;
                        pol = (word >>> 11) & 1;
                    }
                    case 0x4, 0x5 -> {
                        int m;
                        final int vx = bx;
                        if ((word & 0x1000) == 0) {
                            m = word & 0xFFF;
                            bx += 12;
                        } else {
                            m = word & 0xFF;
                            bx += 8;
                        }
                        if (cy >= h) {
                            outOfBounds += Integer.bitCount(m);
                            break;
                        }
                        while (m != 0) {
                            if (n == cap) {
                                pendingMask = m;
                                pendingX = vx;
                                break;
                            }
                            final int x = vx + Integer.numberOfTrailingZeros(m);
                            m &= m - 1;
                            if (x < w) {
                                ts[n] = t;
                                xs[n] = (short) x;
                                ys[n] = (short) cy;
                                ps[n] = (byte) pol;
                                on += pol;
                                n++;
                            } else {
                                outOfBounds++;
                            }
                        }
                    }
                    case 0x6 -> {
                        final long tt = highPart | (word & 0xFFF);
                        if (tt < t) {
                            backwards++;
                        } else {
                            t = tt;
                        }
                    }
                    case 0x8 -> {
                        final int th = word & 0xFFF;
                        if (th != timeHigh) {
                            if (timeHigh - th > TIME_HIGH_WRAP_THRESHOLD) {
                                wrapOffset += TIME_PERIOD_US;
                            }
                            timeHigh = th;
                            highPart = wrapOffset + ((long) th << 12);
                            if (highPart < t) {
                                backwards++;
                            } else {
                                t = highPart;
                            }
                        }
                    }
                    case 0xA -> external++;
                    default -> other++;
                }
            }
            src.pos = pos;
            if (n >= cap) {
                break;
            }
            if (!src.fill(2)) {
                int left = src.available();
                if (left == 0 || n > 0) {
                    break;
                }
                save(cy, pol, bx, t);
                flushCounts(0, on, outOfBounds, external, other, backwards);
                throw src.error("file truncated: the last EVT 3.0 word has 1 of 2 bytes");
            }
        }
        save(cy, pol, bx, t);
        flushCounts(n, on, outOfBounds, external, other, backwards);
        return n;
    }

    private void save(int cy, int pol, int bx, long t) {
        y = cy;
        polarity = pol;
        baseX = bx;
        now = t;
    }

    private void flushCounts(
            int n, long on, long outOfBounds, long external, long other, long backwards) {
        stats.addEvents(n, on);
        stats.skip("out_of_bounds", outOfBounds);
        stats.skip("external", external);
        stats.skip("other", other);
        stats.skip("time_backwards", backwards);
    }
}
