package io.dvsflow.connectors.formats.aedat2;

import io.dvsflow.connectors.formats.Aedat2Layout;
import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.connectors.formats.ApsFrameSource;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingInfo;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.connectors.formats.internal.ByteInputReader;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads jAER AEDAT 1.0 and 2.0 recordings: a header of {@code #} lines, then big-endian records of
 * 6 bytes (1.0: int16 address, int32 timestamp) or 8 bytes (2.0: int32 address, int32 timestamp).
 *
 * <p><b>Header.</b> Every line starting with {@code #} (ended by LF or CRLF) belongs to the header;
 * the body starts at the first byte that is not {@code #}, or at a {@code #} whose line holds a
 * control character other than tab and CR before its line feed (binary data: a first DVS128 1.0
 * event with y = 35, or a DAVIS event with y in 140..143, starts with the byte {@code '#'}; its
 * timestamp bytes almost always include such a character). The version comes from a {@code
 * #!AER-DATx.y} line; without one the file is 1.0, unless {@link ReaderOptions#format()} forces
 * {@link EventFormat#AEDAT2}. The header is bounded by {@link #MAX_HEADER_BYTES} in total and
 * {@link #MAX_HEADER_LINE} per line; a line that the file ends inside is an error. Known lines go
 * into {@link RecordingInfo}: {@code # AEChip: <class>} gives the device (simple class name), the
 * layout under {@link Aedat2Layout#AUTO} and the sensor size (see {@code JaerChip}); {@code #
 * Creation time: System.currentTimeMillis() <ms>} gives metadata {@code creation_time_ms}; {@code #
 * Timestamps tick is <n> us} gives {@code timestamp_tick_us} (timestamps are multiplied by it;
 * default 1). Metadata also holds {@code aechip} (full class name), {@code layout} and {@code
 * header_bytes}.
 *
 * <p><b>Layouts</b> (address bits; skipped records are counted in {@link #statistics()} under the
 * reason in quotes):
 *
 * <ul>
 *   <li>{@link Aedat2Layout#DVS128}, 128 x 128: bit 31 set (2.0 only) -> "special"; bit 15 set ->
 *       "external"; else polarity = bit 0, x = bits 7..1, y = bits 14..8. Bits 30..16 are ignored.
 *   <li>{@link Aedat2Layout#DAVIS} (2.0 only): bit 31 set -> an APS/ADC or IMU sample: "imu" when
 *       bits 11..10 are both set, else "aps"; bit 31 clear and bit 10 set -> "external"; else
 *       polarity = bit 11, x = bits 21..12, y = bits 30..22. A coordinate outside the sensor is
 *       skipped as "out_of_bounds". When the chip's size is unknown (a DAVIS class name without a
 *       known size, or DAVIS forced on a file that names no DAVIS chip) the geometry is {@code 0 x
 *       0} and no bounds check is made.
 *   <li>{@link Aedat2Layout#AUTO}: DVS128 for DVS128/Tmpdiff128 chips and when there is no {@code
 *       AEChip} line; DAVIS for {@code Davis*}/{@code DAVIS*} chips; DVS128 (with a logged warning)
 *       for any other chip.
 * </ul>
 *
 * <p><b>Options.</b> Defaults: raw polarity bit 1 is ON ({@link ReaderOptions#rawOneIsOn()}, the
 * iniVation documentation; jAER's DVS128 extractor reads raw 0 as ON), applied to both layouts; no
 * flips: coordinates are returned as stored, which in jAER means the origin is at the
 * <em>lower</em> left (set {@code flipY} for the upper-left origin of {@link EventPacket}). A flip
 * maps {@code x' = width - 1 - x} / {@code y' = height - 1 - y} after the bounds check; a flip with
 * an unknown sensor size is an error.
 *
 * <p><b>Time.</b> The 32-bit timestamp field is read as <em>unsigned</em> and unwrapped to 64 bits:
 * when the raw value {@code r} drops below the previous raw value {@code r'} by more than {@link
 * #WRAP_THRESHOLD_US} (2^30 µs), a wrap is assumed and 2^32 µs is added to the running base, so
 * {@code t = (base + r) * tick}. A smaller backwards step is not a wrap: the event is kept with its
 * timestamp clamped to the previous event's ({@code t = max(t, t_previous)}), and counted under
 * "time_backwards", so the output never decreases. Only emitted events take part; skipped records'
 * timestamps are ignored. A clock reset in the file therefore shows as a run of clamped events
 * (drop of at most 2^30 µs) or as an assumed wrap (larger drop).
 *
 * <p><b>Errors.</b> A file whose body length is not a multiple of the record size ends in a partial
 * record: all complete events are returned first, then the next {@link #read} throws an {@link
 * EventFormatException} with the offset of the partial record.
 *
 * <pre>{@code
 * ReaderOptions options = ReaderOptions.defaults().withFlipY(true);
 * try (EventReader reader = new Aedat2Reader(Files.newInputStream(path), "rec.aedat", options)) {
 *     EventPacket packet = reader.newPacket();
 *     while (reader.read(packet)) {
 *         process(packet);
 *     }
 * }
 * }</pre>
 */
public final class Aedat2Reader extends ByteInputReader implements ApsFrameSource {

    /** Longest header accepted, in bytes (16 MiB); jAER headers with chip preferences ~200 KB. */
    public static final int MAX_HEADER_BYTES = 16 << 20;

    /** Longest header line accepted, in bytes (1 MiB). */
    public static final int MAX_HEADER_LINE = 1 << 20;

    /** A backwards step of the raw 32-bit timestamp larger than this (2^30 µs) is a wrap. */
    public static final long WRAP_THRESHOLD_US = 1L << 30;

    /** Largest {@code Timestamps tick} accepted, in µs. */
    static final int MAX_TICK_US = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(Aedat2Reader.class);

    private static final long WRAP = 1L << 32;

    private final RecordingInfo info;

    private final boolean wide;
    private final int recordSize;
    private final boolean davis;
    private final int width;
    private final int height;
    private final int polarityXor;
    private final boolean flipX;
    private final boolean flipY;
    private final long tick;

    private long previousRaw;
    private long wrapBase;
    private long lastTime;

    /**
     * Opens a recording and parses its header.
     *
     * @param in the recording, positioned at its first byte; closed by {@link #close()}
     * @param sourceName name used in error messages and as default stream id
     * @param options layout, polarity, flips and packet size
     * @throws EventFormatException when the header is malformed, too large, names an unsupported
     *     version, or the options do not fit the file
     */
    public Aedat2Reader(InputStream in, String sourceName, ReaderOptions options)
            throws IOException {
        super(new ByteInput(in, sourceName), options);

        String version = null;
        String chipClass = null;
        long tickUs = 1;
        Map<String, String> metadata = new LinkedHashMap<>();
        while (this.in.peek() == '#') {
            long lineStart = this.in.offset();
            int length = headerLineLength(this.in);
            if (length < 0) {
                break; // binary data that starts with '#': the body
            }
            String line = headerLine(this.in, length);
            if (this.in.offset() > MAX_HEADER_BYTES) {
                throw this.in.errorAt(
                        lineStart,
                        "header longer than " + MAX_HEADER_BYTES + " bytes (MAX_HEADER_BYTES)");
            }
            String text = line.substring(1).trim();
            if (text.startsWith("!AER-DAT")) {
                version = text.substring("!AER-DAT".length()).trim();
                if (!version.startsWith("1.") && !version.startsWith("2.")) {
                    throw this.in.errorAt(
                            lineStart,
                            "AEDAT version '"
                                    + version
                                    + "' is not jAER AEDAT 1.x or 2.x; open it as its own"
                                    + " format");
                }
            } else if (text.startsWith("AEChip:")) {
                chipClass = text.substring("AEChip:".length()).trim();
            } else if (text.startsWith("Creation time:")) {
                String value = lastToken(text);
                try {
                    metadata.put("creation_time_ms", Long.toString(Long.parseLong(value)));
                } catch (NumberFormatException e) {
                    LOG.warn("{}: unreadable creation time line '{}'", sourceName, text);
                }
            } else if (text.startsWith("Timestamps tick")) {
                tickUs = parseTick(text, lineStart, sourceName);
            }
        }
        long headerBytes = this.in.offset();

        if (version == null) {
            version = options.format() == EventFormat.AEDAT2 ? "2.0" : "1.0";
        }
        this.wide = version.startsWith("2.");
        this.recordSize = wide ? 8 : 6;

        JaerChip chip = JaerChip.of(chipClass);
        Aedat2Layout layout = options.aedat2Layout();
        if (layout == Aedat2Layout.AUTO) {
            if (chip.layout() != null) {
                layout = chip.layout();
            } else {
                if (chipClass != null) {
                    LOG.warn(
                            "{}: AEChip '{}' is not a known DVS128 or DAVIS chip; decoding with"
                                    + " the DVS128 layout (choose the layout explicitly to"
                                    + " override)",
                            sourceName,
                            chipClass);
                }
                layout = Aedat2Layout.DVS128;
            }
        }
        this.davis = layout == Aedat2Layout.DAVIS;
        if (davis && !wide) {
            throw this.in.errorAt(
                    headerBytes,
                    "the DAVIS layout needs 32-bit addresses (AEDAT 2.0) but the file is AEDAT "
                            + version);
        }
        if (davis) {
            boolean known = chip.layout() == Aedat2Layout.DAVIS;
            this.width = known ? chip.width() : 0;
            this.height = known ? chip.height() : 0;
        } else {
            this.width = 128;
            this.height = 128;
        }
        if ((options.flipX() || options.flipY()) && (width == 0 || height == 0)) {
            throw this.in.errorAt(
                    headerBytes,
                    "cannot flip coordinates: the sensor size is unknown (AEChip '"
                            + (chipClass == null ? "" : chipClass)
                            + "')");
        }
        this.polarityXor = options.rawOneIsOn() ? 0 : 1;
        this.flipX = options.flipX();
        this.flipY = options.flipY();
        this.tick = tickUs;

        if (chipClass != null) {
            metadata.put("aechip", chipClass);
        }
        metadata.put("timestamp_tick_us", Long.toString(tickUs));
        metadata.put("layout", layout.name());
        metadata.put("header_bytes", Long.toString(headerBytes));
        this.info =
                new RecordingInfo(
                        wide ? EventFormat.AEDAT2 : EventFormat.AEDAT1,
                        version,
                        width,
                        height,
                        chip.simpleName(),
                        metadata);
    }

    /**
     * The length, line feed included, of the header line at the window's position, or {@code -1}
     * when a byte before the line feed is a control character other than tab and carriage return
     * (binary event data that happens to start with {@code '#'}).
     */
    private static int headerLineLength(ByteInput in) throws IOException {
        int len = 0;
        while (true) {
            if (in.pos + len == in.limit && !in.fill(len + 1)) {
                throw in.error(
                        "header line is not ended by a line feed before the end of the file");
            }
            int c = in.buf[in.pos + len] & 0xFF;
            len++;
            if (c == '\n') {
                return len;
            }
            if (c < 0x20 && c != '\t' && c != '\r') {
                return -1;
            }
            if (len >= MAX_HEADER_LINE) {
                throw in.error(
                        "header line longer than "
                                + MAX_HEADER_LINE
                                + " bytes (MAX_HEADER_LINE) or no line feed");
            }
        }
    }

    /** Consumes a header line of {@code length} bytes, returned without its line end. */
    private static String headerLine(ByteInput in, int length) {
        int end = length - 1;
        if (end > 0 && in.buf[in.pos + end - 1] == '\r') {
            end--;
        }
        String line = new String(in.buf, in.pos, end, StandardCharsets.ISO_8859_1);
        in.pos += length;
        return line;
    }

    private static String lastToken(String text) {
        int space = text.lastIndexOf(' ');
        return text.substring(space + 1);
    }

    private long parseTick(String text, long lineStart, String sourceName)
            throws EventFormatException {
        // "Timestamps tick is 1 us" or "Timestamps tick: 1 us"
        String rest = text.substring("Timestamps tick".length()).trim();
        if (rest.startsWith(":")) {
            rest = rest.substring(1).trim();
        } else if (rest.startsWith("is ")) {
            rest = rest.substring(3).trim();
        }
        String[] parts = rest.split("\\s+");
        if (parts.length != 2 || !parts[1].toLowerCase(Locale.ROOT).equals("us")) {
            LOG.warn("{}: unreadable timestamp tick line '{}'; assuming 1 us", sourceName, text);
            return 1;
        }
        long value;
        try {
            value = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            LOG.warn("{}: unreadable timestamp tick line '{}'; assuming 1 us", sourceName, text);
            return 1;
        }
        if (value < 1 || value > MAX_TICK_US) {
            throw in.errorAt(
                    lineStart,
                    "timestamp tick " + value + " us outside [1, " + MAX_TICK_US + "] us");
        }
        return value;
    }

    @Override
    public RecordingInfo info() {
        return info;
    }

    @Override
    public boolean read(EventPacket out) throws IOException {
        out.clear();
        out.setStreamId(streamId());
        out.setGeometry(width, height);
        int capacity = out.capacity();
        while (out.size() < capacity) {
            if (!in.fill(recordSize)) {
                int left = in.available();
                if (left == 0 || out.size() > 0) {
                    break;
                }
                throw in.error(
                        "file truncated: the last record has "
                                + left
                                + " of "
                                + recordSize
                                + " bytes");
            }
            int n = Math.min(in.available() / recordSize, capacity - out.size());
            if (davis) {
                decodeDavis(out, n);
            } else {
                decodeDvs128(out, n);
            }
        }
        return out.size() > 0;
    }

    /** Decodes {@code n} complete records from the window with the DVS128 layout. */
    private void decodeDvs128(EventPacket out, int n) {
        final byte[] b = in.buf;
        final long[] ts = out.timestamps();
        final short[] xs = out.xs();
        final short[] ys = out.ys();
        final byte[] ps = out.polarities();
        final boolean wideAddress = wide;
        final int rec = recordSize;
        final int pXor = polarityXor;
        final int xMax = flipX ? width - 1 : -1;
        final int yMax = flipY ? height - 1 : -1;
        final long tk = tick;
        long prevRaw = previousRaw;
        long base = wrapBase;
        long last = lastTime;
        long backwards = 0;
        long special = 0;
        long external = 0;
        long on = 0;
        int k = out.size();
        final int start = k;
        int i = in.pos;
        final int end = i + n * rec;
        for (; i < end; i += rec) {
            int address;
            long raw;
            if (wideAddress) {
                address = ByteInput.intBE(b, i);
                raw = ByteInput.intBE(b, i + 4) & 0xFFFF_FFFFL;
            } else {
                address = ByteInput.shortBE(b, i) & 0xFFFF;
                raw = ByteInput.intBE(b, i + 2) & 0xFFFF_FFFFL;
            }
            if (address < 0) {
                special++;
                continue;
            }
            if ((address & 0x8000) != 0) {
                external++;
                continue;
            }
            if (raw < prevRaw && prevRaw - raw > WRAP_THRESHOLD_US) {
                base += WRAP;
            }
            prevRaw = raw;
            long t = (base + raw) * tk;
            if (t < last) {
                t = last;
                backwards++;
            }
            last = t;
            int x = (address >>> 1) & 0x7F;
            int y = (address >>> 8) & 0x7F;
            int p = (address & 1) ^ pXor;
            ts[k] = t;
            xs[k] = (short) (xMax < 0 ? x : xMax - x);
            ys[k] = (short) (yMax < 0 ? y : yMax - y);
            ps[k] = (byte) p;
            on += p;
            k++;
        }
        in.pos = end;
        previousRaw = prevRaw;
        wrapBase = base;
        lastTime = last;
        out.setSize(k);
        stats.addEvents(k - start, on);
        stats.skip("special", special);
        stats.skip("external", external);
        stats.skip("time_backwards", backwards);
    }

    /** Assembles APS frames when a listener is set (DAVIS layout with a known sensor size). */
    private ApsAssembler assembler;

    /**
     * Assembles the APS samples of a DAVIS recording into frames ({@link ApsAssembler}: reset read
     * minus signal read per pixel, complete when every pixel has both) while {@link #read} walks
     * the file and hands each frame to {@code listener}. Needs the DAVIS layout and a known sensor
     * size (from the AEChip line); otherwise the samples stay skipped and counted as {@code aps}.
     */
    @Override
    public void setFrameListener(Consumer<ApsFrame> listener) {
        if (listener == null
                || width == 0
                || height == 0
                || (long) width * height > ApsAssembler.MAX_PIXELS) {
            assembler = null;
            return;
        }
        assembler = new ApsAssembler(streamId(), width, height, listener);
    }

    /** Decodes {@code n} complete 8-byte records from the window with the DAVIS layout. */
    private void decodeDavis(EventPacket out, int n) {
        final byte[] b = in.buf;
        final long[] ts = out.timestamps();
        final short[] xs = out.xs();
        final short[] ys = out.ys();
        final byte[] ps = out.polarities();
        final int pXor = polarityXor;
        // without a known size, the field widths bound the coordinates (no skip possible)
        final int w = width == 0 ? Integer.MAX_VALUE : width;
        final int h = height == 0 ? Integer.MAX_VALUE : height;
        final int xMax = flipX ? width - 1 : -1;
        final int yMax = flipY ? height - 1 : -1;
        final long tk = tick;
        long prevRaw = previousRaw;
        long base = wrapBase;
        long last = lastTime;
        long backwards = 0;
        long imu = 0;
        long aps = 0;
        long external = 0;
        long outOfBounds = 0;
        long on = 0;
        int k = out.size();
        final int start = k;
        int i = in.pos;
        final int end = i + n * 8;
        for (; i < end; i += 8) {
            int address = ByteInput.intBE(b, i);
            if (address < 0) {
                if ((address & 0xC00) == 0xC00) {
                    imu++;
                } else {
                    aps++;
                    if (assembler != null) {
                        int ax = (address >>> 12) & 0x3FF;
                        int ay = (address >>> 22) & 0x1FF;
                        long raw = ByteInput.intBE(b, i + 4) & 0xFFFF_FFFFL;
                        assembler.add(
                                (address >>> 10) & 3,
                                xMax < 0 ? ax : xMax - ax,
                                yMax < 0 ? ay : yMax - ay,
                                address & 0x3FF,
                                (base + raw) * tk);
                    }
                }
                continue;
            }
            if ((address & 0x400) != 0) {
                external++;
                continue;
            }
            int x = (address >>> 12) & 0x3FF;
            int y = (address >>> 22) & 0x1FF;
            if (x >= w || y >= h) {
                outOfBounds++;
                continue;
            }
            long raw = ByteInput.intBE(b, i + 4) & 0xFFFF_FFFFL;
            if (raw < prevRaw && prevRaw - raw > WRAP_THRESHOLD_US) {
                base += WRAP;
            }
            prevRaw = raw;
            long t = (base + raw) * tk;
            if (t < last) {
                t = last;
                backwards++;
            }
            last = t;
            int p = ((address >>> 11) & 1) ^ pXor;
            ts[k] = t;
            xs[k] = (short) (xMax < 0 ? x : xMax - x);
            ys[k] = (short) (yMax < 0 ? y : yMax - y);
            ps[k] = (byte) p;
            on += p;
            k++;
        }
        in.pos = end;
        previousRaw = prevRaw;
        wrapBase = base;
        lastTime = last;
        out.setSize(k);
        stats.addEvents(k - start, on);
        stats.skip("imu", imu);
        stats.skip("aps", aps);
        stats.skip("external", external);
        stats.skip("out_of_bounds", outOfBounds);
        stats.skip("time_backwards", backwards);
    }
}
