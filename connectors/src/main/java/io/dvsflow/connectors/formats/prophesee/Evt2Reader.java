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
 * Reads Prophesee RAW EVT 2.0: a {@code %} header, then little-endian 32-bit words whose type is in
 * bits 31..28.
 *
 * <ul>
 *   <li>CD_OFF {@code 0x0} / CD_ON {@code 0x1}: one event, polarity = type; {@code x} = bits
 *       21..11, {@code y} = bits 10..0, and {@code t = timeBase + bits 27..22} (µs);
 *   <li>EVT_TIME_HIGH {@code 0x8}: bits 27..0 are timestamp bits 33..6, so {@code timeBase = wraps
 *       * 2^34 + (timeHigh << 6)} µs;
 *   <li>EXT_TRIGGER {@code 0xA}: skipped, counted as {@code external};
 *   <li>every other type (OTHERS {@code 0xE}, CONTINUED {@code 0xF}, undefined types): skipped,
 *       counted as {@code other}.
 * </ul>
 *
 * <p>Policies (see also the package documentation):
 *
 * <ul>
 *   <li><b>34-bit wrap</b>: the timestamp wraps every 2^34 µs (about 4 h 46 min). A TIME_HIGH more
 *       than 2^27 (half its 28-bit range) below the previous one adds 2^34 µs to all later times; a
 *       smaller step back is not a wrap (see the next point).
 *   <li><b>Non-decreasing time</b>: an event whose time is below the previous delivered event's is
 *       given that event's time and counted as {@code time_backwards} (skipped events are not).
 *   <li><b>Events before the first TIME_HIGH</b> use time high 0 (their time is the 6 low bits
 *       only). Real recordings start with a TIME_HIGH word.
 *   <li><b>Geometry</b> from the header ({@code % geometry}, {@code % format ...;width;height}),
 *       else from the plugin name (Gen3 VGA 640x480, Gen4/IMX636 1280x720), else {@code 0x0}
 *       unknown. With a known geometry, events outside it are skipped as {@code out_of_bounds}.
 *   <li>A final word with fewer than 4 bytes: the events before it are delivered, then the next
 *       {@link #read} throws an {@link io.dvsflow.connectors.formats.EventFormatException}.
 * </ul>
 *
 * <pre>{@code
 * try (EventReader r = new Evt2Reader(in, "rec.raw", ReaderOptions.defaults())) {
 *     EventPacket p = r.newPacket();
 *     while (r.read(p)) { ... }
 * }
 * }</pre>
 */
public final class Evt2Reader extends PropheseeReader {

    private static final Logger LOG = LoggerFactory.getLogger(Evt2Reader.class);

    /** A TIME_HIGH this far below the previous one (half the 28-bit range) is a 2^34 µs wrap. */
    static final long TIME_HIGH_WRAP_THRESHOLD = 1L << 27;

    /** Period of the EVT 2.0 timestamp, µs. */
    static final long TIME_PERIOD_US = 1L << 34;

    /**
     * Whether the JVM runs with {@code --add-modules jdk.incubator.vector} (the launcher, the tests
     * and the deploy configurations add it), so that {@link Evt2VectorKernel} can be loaded.
     */
    static final boolean VECTOR_API =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && !Boolean.getBoolean("dvsflow.scalarDecode");

    private final RecordingInfo info;

    /** Decode blocks of eight CD words with {@link Evt2VectorKernel}. */
    private boolean vectorized = VECTOR_API;

    /** Last TIME_HIGH payload (28 bits), 0 before the first. */
    private long timeHigh;

    /** {@code wraps * 2^34 + (timeHigh << 6)}, µs. */
    private long timeBase;

    /** Accumulated wrap offset, µs. */
    private long wrapOffset;

    /** Time of the last decoded event (µs); output time never goes below it. */
    private long lastT = Long.MIN_VALUE;

    /**
     * Parses the header.
     *
     * @throws io.dvsflow.connectors.formats.EventFormatException when the header is corrupt or
     *     names another format
     */
    public Evt2Reader(InputStream in, String sourceName, ReaderOptions options) throws IOException {
        super(in, sourceName, options);
        header.requireFormat(this.in, EventFormat.EVT2);
        this.info =
                new RecordingInfo(
                        EventFormat.EVT2, "2.0", width, height, header.device(), header.metadata);
        LOG.debug("{}: EVT 2.0, {}x{}, device '{}'", sourceName, width, height, header.device());
    }

    /**
     * Turns the vector kernel off (or on, where the module is present) for this reader; both paths
     * decode the same events.
     *
     * @return this reader
     */
    Evt2Reader vectorized(boolean on) {
        vectorized = on && VECTOR_API;
        return this;
    }

    /** Whether this reader decodes with the vector kernel. */
    boolean vectorized() {
        return vectorized;
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
        long base = timeBase;
        long last = lastT;
        int n = 0;
        long on = 0;
        long outOfBounds = 0;
        long external = 0;
        long other = 0;
        long backwards = 0;
        while (n < cap) {
            final byte[] b = src.buf;
            int pos = src.pos;
            // a word yields at most one event: stop where the packet could be full, so the loop
            // tests one bound per word
            final int end = (int) Math.min(src.limit - 3L, pos + 4L * (cap - n));
            // the vector kernel writes 8 events at once: it needs 8 words and 8 free slots
            final int vectorEnd = vectorized ? end - 4 * (Evt2VectorKernel.WORDS - 1) : pos;
            while (pos < end) {
                if (pos < vectorEnd) {
                    int onBlock =
                            Evt2VectorKernel.decode8(b, pos, base, last, w, h, ts, xs, ys, ps, n);
                    if (onBlock >= 0) {
                        last = base | ((ByteInput.intLE(b, pos + 28) >>> 22) & 0x3F);
                        on += onBlock;
                        n += Evt2VectorKernel.WORDS;
                        pos += 4 * Evt2VectorKernel.WORDS;
                        continue;
                    }
                }
                final int word = ByteInput.intLE(b, pos);
                pos += 4;
                final int type = word >>> 28;
                if (type <= 1) {
                    final int x = (word >>> 11) & 0x7FF;
                    final int y = word & 0x7FF;
                    // x, y >= 0: both (x - w) and (y - h) are negative iff x < w and y < h
                    if (((x - w) & (y - h)) < 0) {
                        final long raw = base | ((word >>> 22) & 0x3F);
                        // branch-free clamp: time never goes below the last event's
                        backwards += raw < last ? 1 : 0;
                        last = Math.max(raw, last);
                        ts[n] = last;
                        xs[n] = (short) x;
                        ys[n] = (short) y;
                        ps[n] = (byte) type;
                        on += type;
                        n++;
                    } else {
                        outOfBounds++;
                    }
                } else if (type == 0x8) {
                    final long th = word & 0x0FFFFFFFL;
                    if (timeHigh - th > TIME_HIGH_WRAP_THRESHOLD) {
                        wrapOffset += TIME_PERIOD_US;
                    }
                    timeHigh = th;
                    base = wrapOffset + (th << 6);
                } else if (type == 0xA) {
                    external++;
                } else {
                    other++;
                }
            }
            src.pos = pos;
            if (n >= cap) {
                break;
            }
            if (!src.fill(4)) {
                int left = src.available();
                if (left == 0 || n > 0) {
                    break;
                }
                flush(base, last, on, outOfBounds, external, other, backwards, 0);
                throw src.error(
                        "file truncated: the last EVT 2.0 word has " + left + " of 4 bytes");
            }
        }
        flush(base, last, on, outOfBounds, external, other, backwards, n);
        return n;
    }

    private void flush(
            long base,
            long last,
            long on,
            long outOfBounds,
            long external,
            long other,
            long backwards,
            int n) {
        timeBase = base;
        lastT = last;
        stats.addEvents(n, on);
        stats.skip("out_of_bounds", outOfBounds);
        stats.skip("external", external);
        stats.skip("other", other);
        stats.skip("time_backwards", backwards);
    }
}
