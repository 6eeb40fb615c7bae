package io.dvsflow.connectors.formats.aedat4;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads AEDAT 4.0 recordings (iniVation DV, dv-processing): a 14-byte {@code #!AER-DAT4.0\r\n}
 * line, a length-prefixed IOHeader flatbuffer, then packets of interleaved streams.
 *
 * <p>Policies (see also the package documentation):
 *
 * <ul>
 *   <li><b>Event stream.</b> Events come from one stream: the {@code EVTS} stream with the lowest
 *       id in the description (the camera's {@code events} output in a DV recording). Its {@code
 *       sizeX}/{@code sizeY} give {@link RecordingInfo#width()}/{@link RecordingInfo#height()}, its
 *       {@code source} gives {@link RecordingInfo#device()}. Events of further {@code EVTS} streams
 *       are counted, per event, as skipped {@code other}.
 *   <li><b>Other streams</b> are skipped and counted: {@code IMUS} per IMU sample as {@code imu},
 *       {@code TRIG} per trigger as {@code external} (both are decompressed to read their element
 *       count), {@code FRME} per frame (one per packet, not decompressed) as {@code frame}, and
 *       packets of any other type or of a stream id absent from the description per packet as
 *       {@code other}.
 *   <li><b>Coordinates</b> outside the stream's {@code sizeX} x {@code sizeY} are skipped as {@code
 *       out_of_bounds}; {@code flipX}/{@code flipY} then mirror ({@code x' = sizeX - 1 - x}).
 *   <li><b>Time</b> is the 64-bit microsecond timestamp as stored. A timestamp smaller than the
 *       previous event's is clamped to it and counted as {@code time_backwards}, so the output
 *       never goes back in time.
 *   <li><b>End.</b> When the IOHeader gives a data table position, the packet walk stops there (the
 *       FileDataTable itself is not read); otherwise it runs to the end of the input. A truncated
 *       packet, a packet header cut short, or an input ending before the announced data table
 *       raises an {@link EventFormatException} naming the packet's offset, after every event of the
 *       complete packets before it has been returned.
 * </ul>
 *
 * <p>Limits: IOHeader at most {@link #MAX_HEADER_BYTES}, packets at most {@link #MAX_PACKET_BYTES}
 * as stored and {@link PacketDecompressor#MAX_DECODED_BYTES} decompressed; a larger size field
 * fails before anything is allocated for it.
 *
 * <pre>{@code
 * try (EventReader reader = new Aedat4Reader(in, "rec.aedat4", ReaderOptions.defaults())) {
 *     EventPacket packet = reader.newPacket();
 *     while (reader.read(packet)) {
 *         process(packet);
 *     }
 * }
 * }</pre>
 */
public final class Aedat4Reader extends ByteInputReader implements ApsFrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(Aedat4Reader.class);

    /** The first line of every AEDAT 4.0 file. */
    static final byte[] MAGIC = "#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Largest IOHeader accepted (16 MiB); real headers are a few KiB of XML. */
    public static final int MAX_HEADER_BYTES = 16 << 20;

    /** Largest stored (possibly compressed) packet accepted (256 MiB). */
    public static final int MAX_PACKET_BYTES = 256 << 20;

    /** Read window over the input (256 KiB: a few typical packets per refill). */
    static final int INPUT_BUFFER_BYTES = 1 << 18;

    /** Bytes of a packet header: int32 stream id, int32 size. */
    static final int PACKET_HEADER_BYTES = 8;

    /** Bytes of one {@code Event} struct: int64 t, int16 x, int16 y, bool on, 3 padding. */
    static final int EVENT_BYTES = 16;

    private enum Kind {
        EVENTS,
        OTHER_EVENTS,
        IMU,
        TRIGGER,
        FRAME,
        OTHER
    }

    private final String source;
    private final ReaderOptions options;
    private final RecordingInfo info;
    private final FlatTable flat;
    private final PacketDecompressor decompressor;
    private final Aedat4Compression compression;
    private final long dataTablePosition;
    private final int[] streamIds;
    private final Kind[] streamKinds;
    private final int width;
    private final int height;
    private final int xLimit;
    private final int yLimit;

    /** Stored bytes of the current packet. */
    private byte[] body = new byte[1 << 16];

    /** Decoded flatbuffer holding the current event packet's structs. */
    private byte[] events;

    private int eventBase;
    private int eventCount;
    private int eventIndex;
    private long eventPacketEnd;
    private long position;
    private long lastT = Long.MIN_VALUE;
    private boolean ended;
    private EventFormatException pending;

    /**
     * Reads the file prefix and IOHeader of {@code in}.
     *
     * @param sourceName the file name for error messages
     * @throws EventFormatException when the prefix or header is invalid
     */
    public Aedat4Reader(InputStream in, String sourceName, ReaderOptions options)
            throws IOException {
        super(new ByteInput(in, sourceName, INPUT_BUFFER_BYTES), options);
        this.source = sourceName;
        this.options = options;
        this.flat = new FlatTable(sourceName);
        this.decompressor = new PacketDecompressor(sourceName);

        this.in.require(MAGIC.length + 4, "AEDAT 4.0 prefix");
        byte[] b = this.in.buf;
        int p = this.in.pos;
        if (!Arrays.equals(b, p, p + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw this.in.errorAt(
                    0, "not an AEDAT 4.0 file: the first line is not '#!AER-DAT4.0\\r\\n'");
        }
        long headerLength = ByteInput.intLE(b, p + MAGIC.length) & 0xFFFFFFFFL;
        if (headerLength < 8 || headerLength > MAX_HEADER_BYTES) {
            throw this.in.errorAt(
                    MAGIC.length,
                    "IOHeader length "
                            + headerLength
                            + " outside [8, "
                            + MAX_HEADER_BYTES
                            + "] bytes");
        }
        this.in.pos += MAGIC.length + 4;
        long headerOffset = this.in.offset();
        byte[] header =
                readExactly(
                        new byte[(int) Math.min(headerLength, 1 << 16)],
                        (int) headerLength,
                        headerOffset,
                        "IOHeader");

        flat.reset(header, 0, (int) headerLength, headerOffset, "IOHeader");
        flat.requireIdentifier("IOHE");
        int table = flat.root();
        int compressionCode = flat.intField(table, 0, 0);
        this.compression = Aedat4Compression.ofCode(compressionCode);
        if (compression == null) {
            throw this.in.errorAt(
                    headerOffset, "IOHeader names unknown compression " + compressionCode);
        }
        this.dataTablePosition = flat.longField(table, 1, -1L);
        long firstPacket = this.in.offset();
        if (dataTablePosition != -1 && dataTablePosition < firstPacket) {
            throw this.in.errorAt(
                    headerOffset,
                    "IOHeader data table position "
                            + dataTablePosition
                            + " lies before the first packet at "
                            + firstPacket);
        }
        String description = flat.string(table, 2);
        if (description == null) {
            throw this.in.errorAt(headerOffset, "IOHeader has no stream description");
        }
        List<Aedat4Description.Stream> streams =
                Aedat4Description.parse(description, sourceName, headerOffset);

        this.streamIds = new int[streams.size()];
        this.streamKinds = new Kind[streams.size()];
        Aedat4Description.Stream eventStream = null;
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < streams.size(); i++) {
            Aedat4Description.Stream s = streams.get(i);
            streamIds[i] = s.id();
            Kind kind =
                    switch (s.type()) {
                        case "EVTS" -> eventStream == null ? Kind.EVENTS : Kind.OTHER_EVENTS;
                        case "IMUS" -> Kind.IMU;
                        case "TRIG" -> Kind.TRIGGER;
                        case "FRME" -> Kind.FRAME;
                        default -> Kind.OTHER;
                    };
            if (kind == Kind.EVENTS) {
                eventStream = s;
            }
            streamKinds[i] = kind;
            if (list.length() > 0) {
                list.append(", ");
            }
            list.append(s.id()).append(':').append(s.type().isEmpty() ? "?" : s.type());
            if (s.sizeX() > 0 || s.sizeY() > 0) {
                list.append(' ').append(s.sizeX()).append('x').append(s.sizeY());
            }
        }
        int sizeX = eventStream == null ? 0 : eventStream.sizeX();
        int sizeY = eventStream == null ? 0 : eventStream.sizeY();
        // a partial or impossible size (one side missing, negative, beyond 16-bit coordinates)
        // is treated as unknown: 0x0, no bounds check
        boolean knownSize =
                sizeX > 0 && sizeY > 0 && sizeX <= Short.MAX_VALUE && sizeY <= Short.MAX_VALUE;
        this.width = knownSize ? sizeX : 0;
        this.height = knownSize ? sizeY : 0;
        if ((options.flipX() && width == 0) || (options.flipY() && height == 0)) {
            throw this.in.errorAt(
                    headerOffset,
                    "flipX/flipY need the sensor size, but the description gives no"
                            + " sizeX/sizeY for the event stream");
        }
        // an unknown size only rules out negative coordinates
        this.xLimit = width > 0 ? width : Short.MAX_VALUE + 1;
        this.yLimit = height > 0 ? height : Short.MAX_VALUE + 1;

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("compression", compression.name());
        metadata.put("dataTablePosition", Long.toString(dataTablePosition));
        metadata.put("streams", list.toString());
        if (eventStream != null) {
            metadata.put("eventStream", Integer.toString(eventStream.id()));
        }
        this.info =
                new RecordingInfo(
                        EventFormat.AEDAT4,
                        "4.0",
                        width,
                        height,
                        eventStream == null ? "" : eventStream.source(),
                        metadata);
        this.position = firstPacket;
        if (eventStream == null) {
            LOG.warn("{}: no EVTS stream in the description ({}); no events", source, list);
        }
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
        if (pending != null) {
            EventFormatException e = pending;
            pending = null;
            ended = true;
            throw e;
        }
        while (!out.isFull()) {
            if (eventIndex < eventCount) {
                decodeEvents(out);
                if (eventIndex == eventCount) {
                    position = eventPacketEnd;
                }
                continue;
            }
            try {
                if (!nextEventPacket()) {
                    break;
                }
            } catch (EventFormatException e) {
                ended = true;
                if (out.isEmpty()) {
                    throw e;
                }
                pending = e;
                break;
            }
        }
        return !out.isEmpty();
    }

    /** Decodes events of the current packet into {@code out} until it is full. */
    private void decodeEvents(EventPacket out) {
        final byte[] b = events;
        final long[] ts = out.timestamps();
        final short[] xs = out.xs();
        final short[] ys = out.ys();
        final byte[] ps = out.polarities();
        final int cap = out.capacity();
        final int xl = xLimit;
        final int yl = yLimit;
        final boolean flipX = options.flipX();
        final boolean flipY = options.flipY();
        int size = out.size();
        int i = eventIndex;
        final int n = eventCount;
        long last = lastT;
        long on = 0;
        long outOfBounds = 0;
        long backwards = 0;
        int o = eventBase + i * EVENT_BYTES;
        for (; i < n && size < cap; i++, o += EVENT_BYTES) {
            long t = ByteInput.longLE(b, o);
            int x = ByteInput.shortLE(b, o + 8);
            int y = ByteInput.shortLE(b, o + 10);
            if (x < 0 || y < 0 || x >= xl || y >= yl) {
                outOfBounds++;
                continue;
            }
            if (t < last) {
                t = last;
                backwards++;
            }
            last = t;
            if (flipX) {
                x = xl - 1 - x;
            }
            if (flipY) {
                y = yl - 1 - y;
            }
            byte p = b[o + 12] != 0 ? (byte) 1 : (byte) 0;
            ts[size] = t;
            xs[size] = (short) x;
            ys[size] = (short) y;
            ps[size] = p;
            on += p;
            size++;
        }
        stats.addEvents(size - out.size(), on);
        stats.skip("out_of_bounds", outOfBounds);
        stats.skip("time_backwards", backwards);
        out.setSize(size);
        eventIndex = i;
        lastT = last;
    }

    /**
     * Walks packets until one of the event stream holds events.
     *
     * @return {@code false} at the end of the packets
     */
    private boolean nextEventPacket() throws IOException {
        while (!ended) {
            long start = in.offset();
            if (dataTablePosition >= 0 && start == dataTablePosition) {
                ended = true;
                position = start;
                return false;
            }
            if (!in.fill(1)) {
                ended = true;
                if (dataTablePosition >= 0) {
                    throw in.errorAt(
                            start,
                            "file ends before the file data table announced at byte "
                                    + dataTablePosition
                                    + " (truncated recording)");
                }
                return false;
            }
            if (!in.fill(PACKET_HEADER_BYTES)) {
                throw in.errorAt(
                        start,
                        "file truncated inside a packet header ("
                                + in.available()
                                + " of "
                                + PACKET_HEADER_BYTES
                                + " bytes)");
            }
            int id = ByteInput.intLE(in.buf, in.pos);
            int size = ByteInput.intLE(in.buf, in.pos + 4);
            if (size < 0 || size > MAX_PACKET_BYTES) {
                throw in.errorAt(
                        start,
                        "packet of stream "
                                + id
                                + " has size "
                                + Integer.toUnsignedString(size)
                                + ", outside [0, "
                                + MAX_PACKET_BYTES
                                + "] bytes");
            }
            long end = start + PACKET_HEADER_BYTES + size;
            if (dataTablePosition >= 0 && end > dataTablePosition) {
                throw in.errorAt(
                        start,
                        "packet of "
                                + size
                                + " bytes runs past the file data table at byte "
                                + dataTablePosition);
            }
            in.pos += PACKET_HEADER_BYTES;
            Kind kind = kindOf(id);
            if ((kind == Kind.FRAME && frameListener == null) || kind == Kind.OTHER) {
                in.skip(size, "packet");
                stats.skip(kind == Kind.FRAME ? "frame" : "other", 1);
                position = end;
                continue;
            }
            body = readExactly(body, size, start, "packet of stream " + id);
            byte[] data = body;
            int length = size;
            if (compression != Aedat4Compression.NONE) {
                decompressor.decompress(compression, body, 0, size, start);
                data = decompressor.output();
                length = decompressor.length();
            }
            flat.reset(data, 0, length, start, typeName(kind) + " packet of stream " + id);
            flat.enterSizePrefixed();
            flat.requireIdentifier(typeName(kind));
            int table = flat.root();
            if (kind == Kind.FRAME) {
                frameListener.accept(decodeFrame(table, start));
                stats.skip("frame", 1);
                position = end;
                continue;
            }
            if (kind == Kind.EVENTS) {
                int first = flat.vector(table, 0, EVENT_BYTES);
                int n = flat.vectorLength();
                position = end;
                if (n > 0) {
                    events = data;
                    eventBase = first;
                    eventCount = n;
                    eventIndex = 0;
                    eventPacketEnd = end;
                    return true;
                }
                continue;
            }
            flat.vector(table, 0, kind == Kind.OTHER_EVENTS ? EVENT_BYTES : 4);
            long n = flat.vectorLength();
            stats.skip(
                    switch (kind) {
                        case IMU -> "imu";
                        case TRIGGER -> "external";
                        default -> "other";
                    },
                    n);
            position = end;
        }
        return false;
    }

    /** Receives decoded FRME frames, or null to skip them. */
    private Consumer<ApsFrame> frameListener;

    /**
     * Decodes the frames of {@code FRME} streams (DV's {@code Frame} flatbuffer: {@code int64 t,
     * begin_t, end_t, exposure_begin_t, exposure_end_t}, {@code int8 format} (Gray 0, BGR 16, BGRA
     * 24), {@code int16 width, height, offset_x, offset_y}, {@code [ubyte] pixels}, row-major from
     * the top-left corner) while {@link #read} walks the file, and hands each to {@code listener}
     * with its luminance in [0, 1] (the mean of B, G and R for colour frames); without one (the
     * default) frame packets are skipped and counted as {@code frame}. A frame whose pixel count
     * does not match its size and format is an {@link EventFormatException}.
     */
    @Override
    public void setFrameListener(Consumer<ApsFrame> listener) {
        this.frameListener = listener;
    }

    private ApsFrame decodeFrame(int table, long start) throws EventFormatException {
        int format = flat.byteField(table, 5, 0);
        int channels =
                switch (format) {
                    case 0 -> 1;
                    case 16 -> 3;
                    case 24 -> 4;
                    default -> throw in.errorAt(start, "frame packet: unknown format " + format);
                };
        int w = flat.shortField(table, 6, 0);
        int h = flat.shortField(table, 7, 0);
        int first = flat.vector(table, 10, 1);
        long n = flat.vectorLength();
        if (w < 0 || h < 0 || n != (long) w * h * channels) {
            throw in.errorAt(
                    start,
                    "frame packet: "
                            + n
                            + " pixel bytes for a "
                            + w
                            + " x "
                            + h
                            + " frame of "
                            + channels
                            + " channel(s)");
        }
        byte[] b = flat.bytes();
        float[] px = new float[w * h];
        int colours = Math.min(channels, 3);
        for (int i = 0; i < px.length; i++) {
            int sum = 0;
            for (int c = 0; c < colours; c++) {
                sum += b[first + i * channels + c] & 0xFF;
            }
            px[i] = sum / (255f * colours);
        }
        return new ApsFrame(
                streamId(),
                flat.longField(table, 1, 0),
                flat.longField(table, 2, 0),
                flat.longField(table, 3, 0),
                flat.longField(table, 4, 0),
                w,
                h,
                flat.shortField(table, 8, 0),
                flat.shortField(table, 9, 0),
                px);
    }

    /**
     * Reads {@code size} bytes into {@code dst}, or into a larger copy that is returned; the array
     * grows only as bytes arrive, so a hostile size in a short file allocates no more than twice
     * what the file holds.
     *
     * @param start file offset of the enclosing structure, for the error message
     */
    private byte[] readExactly(byte[] dst, int size, long start, String what) throws IOException {
        int got = 0;
        while (got < size) {
            if (in.pos == in.limit && !in.fill(1)) {
                throw in.errorAt(
                        start,
                        "file truncated: "
                                + what
                                + " needs "
                                + size
                                + " bytes but only "
                                + got
                                + " remain");
            }
            if (got == dst.length) {
                dst = Arrays.copyOf(dst, (int) Math.min(size, Math.max(1 << 16, 2L * dst.length)));
            }
            int n = Math.min(Math.min(size - got, dst.length - got), in.limit - in.pos);
            System.arraycopy(in.buf, in.pos, dst, got, n);
            in.pos += n;
            got += n;
        }
        return dst;
    }

    private Kind kindOf(int id) {
        for (int i = 0; i < streamIds.length; i++) {
            if (streamIds[i] == id) {
                return streamKinds[i];
            }
        }
        return Kind.OTHER;
    }

    private static String typeName(Kind kind) {
        return switch (kind) {
            case EVENTS, OTHER_EVENTS -> "EVTS";
            case IMU -> "IMUS";
            case TRIGGER -> "TRIG";
            case FRAME -> "FRME";
            case OTHER -> "?";
        };
    }

    /**
     * Byte offset up to which the input has been consumed: the end of the last packet whose events
     * have all been returned (or which was skipped).
     */
}
