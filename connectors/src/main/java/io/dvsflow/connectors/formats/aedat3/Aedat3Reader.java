package io.dvsflow.connectors.formats.aedat3;

import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.COORD_MASK;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.EVENT_BYTES;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.PACKET_HEADER_BYTES;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.TS_BITS;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.TS_OFFSET;
import static io.dvsflow.connectors.formats.internal.ByteInput.intLE;
import static io.dvsflow.connectors.formats.internal.ByteInput.shortLE;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads cAER AEDAT 3.0 / 3.1 recordings (e.g. DVS Gesture): a {@code #} text header, then packets
 * of a 28-byte little-endian header followed by {@code eventCapacity * eventSize} bytes of events.
 * Only polarity events become {@link EventPacket} events; everything else is skipped and counted.
 *
 * <pre>{@code
 * try (EventReader reader = new Aedat3Reader(in, "user01_fluorescent.aedat", ReaderOptions.defaults())) {
 *     EventPacket packet = reader.newPacket();
 *     while (reader.read(packet)) {
 *         process(packet); // 128x128 for DVS Gesture
 *     }
 * }
 * }</pre>
 *
 * <h2>Header</h2>
 *
 * The first line must be {@code #!AER-DAT3.1} or {@code #!AER-DAT3.0}. In 3.1 the header ends at
 * {@code #!END-HEADER}. AEDAT 3.0 has no end marker: the header ends at the first line that does
 * not start with {@code #}. That is ambiguous only when the first packet's first byte is {@code
 * '#'} (0x23), i.e. an event type whose low byte is 35; the defined types 0..13 never are, so the
 * rule is safe for real files. A 3.1 header that reaches binary data without {@code #!END-HEADER}
 * is accepted with the same rule (and a logged warning); a 3.1 header that reaches the end of the
 * file without {@code #!END-HEADER} is a truncated header ({@link EventFormatException}). The
 * header may hold at most {@link #MAX_HEADER_BYTES} bytes, each line at most {@link
 * #MAX_HEADER_LINE_BYTES}.
 *
 * <p>{@code #Source <id>: <device>} gives {@link RecordingInfo#device()} (the first such line;
 * {@code #-Source} lines of old sources are kept in the metadata only). Every {@code #Key: value}
 * line (e.g. {@code Start-Time}, {@code Format}, {@code Source 1}) goes into {@link
 * RecordingInfo#metadata()}. {@code #Format:} other than {@code RAW} (compressed cAER output) is
 * rejected.
 *
 * <h2>Sensor size</h2>
 *
 * AEDAT 3 headers do not state the sensor size. Policy: a {@code #Sensor-Size: WxH} line (written
 * by {@link Aedat3Writer} when the device name does not imply the size) wins; otherwise the size
 * comes from the device name: DVS128 and DAVIS128 128x128, DAVIS240 240x180, DAVIS346 346x260,
 * DAVIS640 and DVXplorer 640x480, DVXplorer Lite/Mini 320x240; otherwise 0x0 (unknown). Coordinates
 * are bounds-checked (skip reason {@code out_of_bounds}) only when the size is known.
 *
 * <h2>Packets</h2>
 *
 * Every header is validated before anything is read: {@code eventSize} in [1, {@link
 * #MAX_EVENT_SIZE}], {@code eventCapacity >= 0}, {@code eventCapacity * eventSize <=} {@link
 * #MAX_PACKET_BYTES}, {@code 0 <= eventNumber <= eventCapacity}; violations are an {@link
 * EventFormatException} naming the header's offset. Nothing is allocated from these fields: packets
 * are decoded or skipped in place through the input window, so a hostile 2 GB capacity fails fast.
 * {@code eventValid} is not trusted; the per-event valid bit decides.
 *
 * <ul>
 *   <li>The block after a header holds {@code eventCapacity * eventSize} bytes (what libcaer writes
 *       and SpikingJelly reads). The first {@code eventNumber} events are decoded; the remaining
 *       {@code eventCapacity - eventNumber} slots are skipped and counted as {@code invalid}.
 *   <li>POLARITY (type 1; eventSize must be 8 and eventTSOffset 4): events with the valid bit clear
 *       or a negative 32-bit timestamp are skipped as {@code invalid}. {@code t = (eventTSOverflow
 *       << 31) | ts32} µs, plus the reset offset below. A packet may span several {@link #read}
 *       calls; the decode position inside it is kept between calls.
 *   <li>SPECIAL (type 0; eventSize 8): bit 0 valid, bits 7..1 type. TIMESTAMP_WRAP (0) is not
 *       counted (the overflow field carries time). TIMESTAMP_RESET (1) restarts the device time
 *       base: policy, the reader adds a running offset equal to the last emitted timestamp to all
 *       later packets, so output time stays non-decreasing; counted as {@code special}. External
 *       inputs (2, 3, 4) are counted as {@code external}, other special types as {@code special},
 *       invalid special events as {@code invalid}.
 *   <li>FRAME (2) packets are skipped as {@code frame}, IMU6 / IMU9 (3, 4) as {@code imu}, every
 *       other type as {@code other}; each counts {@code eventNumber} items.
 * </ul>
 *
 * <p>Time order: a polarity timestamp earlier than the previous emitted one (e.g. packets of two
 * sources interleaved) is clamped to the previous one and counted as {@code time_backwards}; the
 * event itself is kept. All sources of a multi-source file are merged in file order.
 *
 * <h2>Coordinates</h2>
 *
 * Output origin is the upper left. AEDAT 3.1 stores the upper-left origin. AEDAT 3.0 stored the
 * lower-left origin: when the height is known, 3.0 rows are converted with {@code y' = height - 1 -
 * y}; when it is unknown they are kept as stored (logged). {@link ReaderOptions#flipX()} ({@code x'
 * = width - 1 - x}) and {@link ReaderOptions#flipY()} ({@code y' = height - 1 - y}) then apply to
 * the upper-left coordinates; they are ignored, with a warning, when the size is unknown.
 *
 * <h2>Errors</h2>
 *
 * A truncated packet header or event block is an {@link EventFormatException} naming the offset.
 * When the break is found after some events were already placed in the caller's packet, {@link
 * #read} returns those events first and throws on the next call.
 */
public final class Aedat3Reader extends ByteInputReader implements ApsFrameSource {

    /** Largest header accepted (bytes); cAER headers are a few hundred bytes. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    /** Longest header line accepted (bytes). */
    public static final int MAX_HEADER_LINE_BYTES = 1 << 16;

    /**
     * Largest {@code eventSize} accepted (bytes). FRAME events embed their pixels, so they can be
     * large (a 640x480 RGB frame of 16-bit samples is about 1.8 MB).
     */
    public static final int MAX_EVENT_SIZE = 1 << 26;

    /** Largest {@code eventCapacity * eventSize} accepted for one packet (256 MiB). */
    public static final long MAX_PACKET_BYTES = 1L << 28;

    private static final Logger LOG = LoggerFactory.getLogger(Aedat3Reader.class);

    private static final String MAGIC = "#!AER-DAT";
    private static final String END_HEADER = "#!END-HEADER";

    private final String source;
    private final RecordingInfo info;
    private final int width;
    private final int height;
    private final boolean boundsKnown;
    private final boolean mirrorX;
    private final boolean mirrorY;

    /** Polarity events of the current file packet still to decode. */
    private int polarityLeft;

    /** Offset of the current polarity packet's header, for error messages. */
    private long packetStart;

    /** Events the current polarity packet declares ({@code eventNumber}). */
    private int packetNumber;

    /** Time of the current polarity packet's epoch: {@code resetOffset + (overflow << 31)} µs. */
    private long packetBase;

    /** Bytes of unused capacity after the decoded events of the current packet. */
    private long tailBytes;

    /** Offset added after TIMESTAMP_RESET events so that output time stays non-decreasing (µs). */
    private long resetOffset;

    /** Last emitted timestamp (µs). */
    private long lastT;

    /** Error found after events had been placed; thrown by the next {@link #read}. */
    private EventFormatException failure;

    /** Receives decoded FRAME events, or null to skip them. */
    private Consumer<ApsFrame> frameListener;

    /** Bytes of a FRAME event before its pixels (libcaer {@code caer_frame_event}). */
    public static final int FRAME_HEADER_BYTES = 36;

    /**
     * Decodes the APS frames of {@code FRAME} packets (type 2) while {@link #read} walks the file
     * and hands each valid one to {@code listener}; with none (the default) frames are skipped and
     * counted as {@code frame}. A frame event: {@code uint32 info} (bit 0 valid, bits 1-3 colour
     * channels, bits 4-6 colour filter, bits 7-13 ROI), {@code int32} start and end of the frame
     * and of the exposure (µs, 31-bit, with the packet's {@code eventTSOverflow}), {@code int32
     * lengthX, lengthY, positionX, positionY}, then {@code lengthX x lengthY x channels} {@code
     * uint16} samples, row-major from the top-left corner. A frame whose pixels do not fit its
     * {@code eventSize} is an {@link EventFormatException}.
     */
    @Override
    public void setFrameListener(Consumer<ApsFrame> listener) {
        this.frameListener = listener;
    }

    /**
     * Opens a reader and parses the header.
     *
     * @param in the recording's bytes; closed by {@link #close()}
     * @param sourceName file name for error messages
     * @param options reader options ({@code streamId} defaults to {@code sourceName})
     * @throws EventFormatException when the header is not AEDAT 3.0 / 3.1 or breaks a bound
     */
    public Aedat3Reader(InputStream in, String sourceName, ReaderOptions options)
            throws IOException {
        super(new ByteInput(Objects.requireNonNull(in, "in"), sourceName), options);
        this.source = Objects.requireNonNull(sourceName, "sourceName");
        this.info = parseHeader();
        this.width = info.width();
        this.height = info.height();
        this.boundsKnown = width > 0 && height > 0;
        boolean lowerLeft = info.version().equals("3.0");
        if (!boundsKnown) {
            if (options.flipX() || options.flipY()) {
                LOG.warn(
                        "{}: sensor size unknown (device '{}'): flipX/flipY ignored",
                        source,
                        info.device());
            }
            if (lowerLeft) {
                LOG.warn(
                        "{}: AEDAT 3.0 stores a lower-left origin but the sensor height is"
                                + " unknown (device '{}'): rows kept as stored",
                        source,
                        info.device());
            }
        }
        this.mirrorX = boundsKnown && options.flipX();
        this.mirrorY = boundsKnown && (options.flipY() ^ lowerLeft);
    }

    private RecordingInfo parseHeader() throws IOException {
        String first = in.readLine(MAX_HEADER_LINE_BYTES);
        if (first == null) {
            throw in.errorAt(0, "empty file: expected an '#!AER-DAT3.x' line");
        }
        if (!first.startsWith(MAGIC + "3")) {
            throw in.errorAt(
                    0,
                    "not an AEDAT 3 file: first line is '"
                            + abbreviate(first)
                            + "', expected '#!AER-DAT3.1' or '#!AER-DAT3.0'");
        }
        String version = first.substring(MAGIC.length()).trim();
        if (!version.equals("3.1") && !version.equals("3.0")) {
            throw in.errorAt(
                    0, "unsupported AEDAT version '" + version + "' (dvsflow reads 3.0 and 3.1)");
        }
        boolean v31 = version.equals("3.1");
        Map<String, String> metadata = new LinkedHashMap<>();
        String device = "";
        int[] declaredSize = null;
        while (true) {
            long lineStart = in.offset();
            int c = in.peek();
            if (c < 0) {
                if (v31) {
                    throw in.errorAt(
                            lineStart,
                            "file truncated in the header: no '" + END_HEADER + "' line");
                }
                break;
            }
            if (c != '#') {
                if (v31) {
                    LOG.warn(
                            "{}: AEDAT 3.1 header has no '{}' line; header taken to end at byte {}"
                                    + " (first line not starting with '#')",
                            source,
                            END_HEADER,
                            lineStart);
                    metadata.put("header-warning", "missing " + END_HEADER);
                }
                break;
            }
            String line = in.readLine(MAX_HEADER_LINE_BYTES);
            if (in.offset() > MAX_HEADER_BYTES) {
                throw in.errorAt(
                        lineStart,
                        "header longer than "
                                + MAX_HEADER_BYTES
                                + " bytes (MAX_HEADER_BYTES) without an end");
            }
            if (line.trim().equals(END_HEADER)) {
                break;
            }
            if (line.startsWith("#!")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 1) {
                continue;
            }
            String key = line.substring(1, colon).trim();
            String value = line.substring(colon + 1).trim();
            metadata.putIfAbsent(key, value);
            if (key.equals("Format") && !value.equalsIgnoreCase("RAW")) {
                throw in.errorAt(
                        lineStart,
                        "unsupported '#Format: "
                                + abbreviate(value)
                                + "' (dvsflow reads RAW only)");
            }
            if (key.startsWith("Source ") && device.isEmpty()) {
                device = value;
            }
            if (key.equals(Aedat3Layout.SENSOR_SIZE_KEY)) {
                declaredSize = parseSize(value, lineStart);
            }
        }
        int[] size = declaredSize != null ? declaredSize : Aedat3Layout.geometryOf(device);
        return new RecordingInfo(EventFormat.AEDAT3, version, size[0], size[1], device, metadata);
    }

    private int[] parseSize(String value, long offset) throws EventFormatException {
        int x = value.indexOf('x');
        try {
            int w = Integer.parseInt(value.substring(0, Math.max(x, 0)).trim());
            int h = Integer.parseInt(value.substring(x + 1).trim());
            if (w >= 1 && h >= 1 && w <= COORD_MASK && h <= COORD_MASK) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw in.errorAt(
                offset,
                "bad '#"
                        + Aedat3Layout.SENSOR_SIZE_KEY
                        + ": "
                        + abbreviate(value)
                        + "', expected WIDTHxHEIGHT in [1, 32767]");
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
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
        if (failure != null) {
            throw failure;
        }
        int cap = out.capacity();
        if (cap == 0) {
            throw new IllegalArgumentException("packet capacity is 0: no event fits");
        }
        try {
            while (out.size() < cap) {
                if (polarityLeft > 0) {
                    decodePolarity(out, cap);
                } else if (tailBytes > 0) {
                    long t = tailBytes;
                    tailBytes = 0;
                    in.skip(t, "unused capacity of the packet at byte " + packetStart);
                } else if (!nextPacket()) {
                    break;
                }
            }
        } catch (EventFormatException e) {
            failure = e;
            if (out.size() > 0) {
                return true;
            }
            throw e;
        }
        return out.size() > 0;
    }

    /**
     * Decodes polarity events of the current file packet into {@code out} up to {@code cap}, in
     * chunks of what the input window holds (no per-event call or allocation).
     */
    private void decodePolarity(EventPacket out, int cap) throws IOException {
        long[] ts = out.timestamps();
        short[] xs = out.xs();
        short[] ys = out.ys();
        byte[] ps = out.polarities();
        int n = out.size();
        long base = packetBase;
        long last = lastT;
        int xMax = width - 1;
        int yMax = height - 1;
        while (polarityLeft > 0 && n < cap) {
            int avail = in.available() / EVENT_BYTES;
            if (avail == 0) {
                if (!in.fill(EVENT_BYTES)) {
                    throw in.error(
                            "file truncated: polarity packet at byte "
                                    + packetStart
                                    + " declares "
                                    + packetNumber
                                    + " events but the data ends after "
                                    + (packetNumber - polarityLeft));
                }
                continue;
            }
            int chunk = Math.min(Math.min(polarityLeft, cap - n), avail);
            byte[] b = in.buf;
            int i = in.pos;
            int end = i + chunk * EVENT_BYTES;
            int n0 = n;
            long on = 0;
            long invalid = 0;
            long outOfBounds = 0;
            long backwards = 0;
            for (; i < end; i += EVENT_BYTES) {
                int data = intLE(b, i);
                int ts32 = intLE(b, i + TS_OFFSET);
                if ((data & 1) == 0 || ts32 < 0) {
                    invalid++;
                    continue;
                }
                int x = (data >>> 17) & COORD_MASK;
                int y = (data >>> 2) & COORD_MASK;
                if (boundsKnown && (x > xMax || y > yMax)) {
                    outOfBounds++;
                    continue;
                }
                if (mirrorX) {
                    x = xMax - x;
                }
                if (mirrorY) {
                    y = yMax - y;
                }
                long t = base + ts32;
                if (t < last) {
                    t = last;
                    backwards++;
                }
                last = t;
                int p = (data >>> 1) & 1;
                on += p;
                ts[n] = t;
                xs[n] = (short) x;
                ys[n] = (short) y;
                ps[n] = (byte) p;
                n++;
            }
            in.pos = end;
            polarityLeft -= chunk;
            lastT = last;
            out.setSize(n);
            stats.addEvents(n - n0, on);
            stats.skip("invalid", invalid);
            stats.skip("out_of_bounds", outOfBounds);
            stats.skip("time_backwards", backwards);
        }
    }

    /**
     * Reads and validates the next packet header; decodes special packets and skips packets of
     * other types at once; prepares a polarity packet for {@link #decodePolarity}.
     *
     * @return {@code false} at a clean end of the input (no byte left)
     */
    private boolean nextPacket() throws IOException {
        if (!in.fill(1)) {
            return false;
        }
        long start = in.offset();
        if (!in.fill(PACKET_HEADER_BYTES)) {
            throw in.errorAt(
                    start,
                    "file truncated: packet header needs "
                            + PACKET_HEADER_BYTES
                            + " bytes but only "
                            + in.available()
                            + " remain");
        }
        byte[] b = in.buf;
        int h = in.pos;
        int type = shortLE(b, h + Aedat3Layout.OFF_TYPE);
        int size = intLE(b, h + Aedat3Layout.OFF_SIZE);
        int tsOffset = intLE(b, h + Aedat3Layout.OFF_TS_OFFSET);
        int overflow = intLE(b, h + Aedat3Layout.OFF_TS_OVERFLOW);
        int capacity = intLE(b, h + Aedat3Layout.OFF_CAPACITY);
        int number = intLE(b, h + Aedat3Layout.OFF_NUMBER);
        if (size <= 0 || size > MAX_EVENT_SIZE) {
            throw in.errorAt(
                    start,
                    "packet header: eventSize "
                            + size
                            + " outside [1, "
                            + MAX_EVENT_SIZE
                            + "] (MAX_EVENT_SIZE)");
        }
        if (capacity < 0 || (long) capacity * size > MAX_PACKET_BYTES) {
            throw in.errorAt(
                    start,
                    "packet header: eventCapacity "
                            + capacity
                            + " x eventSize "
                            + size
                            + " is outside [0, "
                            + MAX_PACKET_BYTES
                            + "] bytes (MAX_PACKET_BYTES)");
        }
        if (number < 0 || number > capacity) {
            throw in.errorAt(
                    start,
                    "packet header: eventNumber "
                            + number
                            + " outside [0, eventCapacity "
                            + capacity
                            + "]");
        }
        long blockBytes = (long) capacity * size;
        if (type == Aedat3Layout.TYPE_POLARITY || type == Aedat3Layout.TYPE_SPECIAL) {
            if (size != EVENT_BYTES || tsOffset != TS_OFFSET) {
                throw in.errorAt(
                        start,
                        (type == Aedat3Layout.TYPE_POLARITY ? "polarity" : "special")
                                + " packet header: eventSize "
                                + size
                                + " / eventTSOffset "
                                + tsOffset
                                + ", expected "
                                + EVENT_BYTES
                                + " / "
                                + TS_OFFSET);
            }
            if (overflow < 0) {
                throw in.errorAt(start, "packet header: negative eventTSOverflow " + overflow);
            }
        }
        in.pos += PACKET_HEADER_BYTES;
        packetStart = start;
        if (type == Aedat3Layout.TYPE_POLARITY) {
            packetNumber = number;
            polarityLeft = number;
            packetBase = resetOffset + ((long) overflow << TS_BITS);
            tailBytes = (long) (capacity - number) * size;
            stats.skip("invalid", capacity - number);
            return true;
        }
        if (type == Aedat3Layout.TYPE_SPECIAL) {
            decodeSpecial(number);
            tailBytes = (long) (capacity - number) * size;
            stats.skip("invalid", capacity - number);
            return true;
        }
        if (type == Aedat3Layout.TYPE_FRAME && frameListener != null) {
            decodeFrames(start, size, overflow, capacity, number);
            return true;
        }
        String reason =
                switch (type) {
                    case Aedat3Layout.TYPE_FRAME -> "frame";
                    case Aedat3Layout.TYPE_IMU6, Aedat3Layout.TYPE_IMU9 -> "imu";
                    default -> "other";
                };
        stats.skip(reason, number);
        in.skip(blockBytes, "packet of type " + type + " at byte " + start);
        return true;
    }

    private void decodeFrames(long start, int size, int overflow, int capacity, int number)
            throws IOException {
        if (size < FRAME_HEADER_BYTES || overflow < 0) {
            throw in.errorAt(
                    start,
                    "frame packet header: eventSize "
                            + size
                            + " below the "
                            + FRAME_HEADER_BYTES
                            + "-byte frame header, or negative eventTSOverflow "
                            + overflow);
        }
        long base = resetOffset + ((long) overflow << TS_BITS);
        byte[] head = new byte[FRAME_HEADER_BYTES];
        long invalid = 0;
        for (int e = 0; e < number; e++) {
            long at = in.offset();
            in.readFully(head, 0, FRAME_HEADER_BYTES, "a frame event header");
            int info = intLE(head, 0);
            int channels = (info >>> 1) & 0x7;
            int lx = intLE(head, 20);
            int ly = intLE(head, 24);
            long pixelBytes = 2L * Math.max(lx, 0) * Math.max(ly, 0) * channels;
            if (lx < 0 || ly < 0 || pixelBytes > size - FRAME_HEADER_BYTES) {
                throw in.errorAt(
                        at,
                        "frame event: "
                                + lx
                                + " x "
                                + ly
                                + " x "
                                + channels
                                + " 16-bit samples do not fit its eventSize "
                                + size);
            }
            if ((info & 1) == 0 || channels == 0) {
                invalid++;
                in.skip(size - FRAME_HEADER_BYTES, "an invalid frame event");
                continue;
            }
            // bounded: pixelBytes <= eventSize <= MAX_EVENT_SIZE
            byte[] raw = new byte[(int) pixelBytes];
            in.readFully(raw, 0, raw.length, "the pixels of a frame event");
            in.skip(size - FRAME_HEADER_BYTES - pixelBytes, "the padding of a frame event");
            float[] px = new float[lx * ly];
            for (int i = 0; i < px.length; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum +=
                            ((raw[2 * (i * channels + c)] & 0xFF))
                                    | ((raw[2 * (i * channels + c) + 1] & 0xFF) << 8);
                }
                px[i] = sum / (65535f * channels);
            }
            frameListener.accept(
                    new ApsFrame(
                            streamId(),
                            base + intLE(head, 4),
                            base + intLE(head, 8),
                            base + intLE(head, 12),
                            base + intLE(head, 16),
                            lx,
                            ly,
                            intLE(head, 28),
                            intLE(head, 32),
                            px));
        }
        stats.skip("frame", number - invalid);
        stats.skip("invalid", invalid + capacity - number);
        in.skip((long) (capacity - number) * size, "unused capacity of the frame packet");
    }

    private void decodeSpecial(int number) throws IOException {
        long invalid = 0;
        long external = 0;
        long special = 0;
        int left = number;
        while (left > 0) {
            int avail = in.available() / EVENT_BYTES;
            if (avail == 0) {
                if (!in.fill(EVENT_BYTES)) {
                    throw in.error(
                            "file truncated: special packet at byte "
                                    + packetStart
                                    + " declares "
                                    + number
                                    + " events but the data ends after "
                                    + (number - left));
                }
                continue;
            }
            int chunk = Math.min(left, avail);
            byte[] b = in.buf;
            int end = in.pos + chunk * EVENT_BYTES;
            for (int i = in.pos; i < end; i += EVENT_BYTES) {
                int data = intLE(b, i);
                if ((data & 1) == 0) {
                    invalid++;
                    continue;
                }
                int kind = (data >>> 1) & 0x7F;
                if (kind == Aedat3Layout.SPECIAL_TIMESTAMP_WRAP) {
                    continue;
                }
                if (kind == Aedat3Layout.SPECIAL_TIMESTAMP_RESET) {
                    resetOffset = lastT;
                    special++;
                    LOG.debug(
                            "{}: TIMESTAMP_RESET at byte {}: later times offset by {} us",
                            source,
                            in.offsetOf(i),
                            resetOffset);
                } else if (kind >= Aedat3Layout.SPECIAL_EXTERNAL_INPUT_RISING
                        && kind <= Aedat3Layout.SPECIAL_EXTERNAL_INPUT_PULSE) {
                    external++;
                } else {
                    special++;
                }
            }
            in.pos = end;
            left -= chunk;
        }
        stats.skip("invalid", invalid);
        stats.skip("external", external);
        stats.skip("special", special);
    }
}
