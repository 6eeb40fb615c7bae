package io.dvsflow.connectors.formats.aedat3;

import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.EVENT_BYTES;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.PACKET_HEADER_BYTES;
import static io.dvsflow.connectors.formats.aedat3.Aedat3Layout.TS_BITS;
import static io.dvsflow.connectors.formats.internal.ByteInput.putIntLE;
import static io.dvsflow.connectors.formats.internal.ByteInput.putShortLE;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes AEDAT 3.1 recordings of polarity packets, readable by {@link Aedat3Reader}, cAER and the
 * common DVS Gesture loaders.
 *
 * <pre>{@code
 * try (EventWriter writer = new Aedat3Writer(out, WriterOptions.of(128, 128).withDevice("DVS128"))) {
 *     writer.write(packet);
 * }
 * }</pre>
 *
 * <p>Header (CRLF line ends):
 *
 * <pre>
 * #!AER-DAT3.1
 * #Format: RAW
 * #Source 1: &lt;device&gt;
 * #Start-Time: 1970-01-01 00:00:00 (TZ+0000)
 * [#Sensor-Size: WxH]
 * #!END-HEADER
 * </pre>
 *
 * <ul>
 *   <li>{@code device}: {@link WriterOptions#device()}; when empty, the cAER name implied by the
 *       sensor size ({@code DVS128} for 128x128, {@code DAVIS240C}, {@code DAVIS346}, {@code
 *       DVXplorer}, {@code DVXplorer Lite}), else {@code DVS128}.
 *   <li>{@code Start-Time} is the wall-clock start of the recording in cAER files. Event timestamps
 *       are on the sensor clock and {@link WriterOptions} carries no wall-clock time, so the writer
 *       writes the fixed epoch above: it means "unknown" and keeps the output byte-for-byte
 *       deterministic for the same input.
 *   <li>{@code #Sensor-Size} is written only when the device name does not imply the options'
 *       sensor size (AEDAT 3 has no standard size line); {@link Aedat3Reader} honours it, other
 *       readers skip it as a comment.
 * </ul>
 *
 * <p>Packets: {@code eventType} 1 (POLARITY), {@code eventSource} 1, {@code eventSize} 8, {@code
 * eventTSOffset} 4, {@code eventTSOverflow = t >> 31}, {@code eventCapacity = eventNumber =
 * eventValid =} the number of events, at most {@link WriterOptions#eventsPerPacket()}. A packet
 * never straddles an overflow boundary (a multiple of 2^31 µs): a new packet starts there. Each
 * event is {@code data = x << 17 | y << 2 | p << 1 | 1} then {@code ts32 = t & 0x7FFFFFFF}.
 *
 * <p>Input checks ({@link IllegalArgumentException}, nothing of the offending packet written):
 * timestamps in [0, 2^62) µs and non-decreasing across all writes, {@code 0 <= x < width}, {@code 0
 * <= y < height}. Any non-zero polarity is written as ON.
 */
public final class Aedat3Writer implements EventWriter {

    /** Largest timestamp + 1 the 32-bit overflow field can express: 2^62 µs. */
    public static final long TIME_LIMIT_US = 1L << (TS_BITS + 31);

    /** Wall-clock start written in the header: the epoch, meaning "unknown". */
    static final String START_TIME = "1970-01-01 00:00:00 (TZ+0000)";

    private final OutputStream out;
    private final int width;
    private final int height;
    private final int eventsPerPacket;
    private final byte[] packet;
    private int count;
    private int packetOverflow;
    private long lastT;
    private boolean closed;

    /**
     * Writes the header to {@code out}.
     *
     * @param out destination; closed by {@link #close()}
     * @param options sensor size, device and events per packet
     */
    public Aedat3Writer(OutputStream out, WriterOptions options) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        this.width = options.width();
        this.height = options.height();
        this.eventsPerPacket = options.eventsPerPacket();
        this.packet = new byte[PACKET_HEADER_BYTES + eventsPerPacket * EVENT_BYTES];
        out.write(header(options).getBytes(StandardCharsets.ISO_8859_1));
    }

    static String header(WriterOptions options) {
        String device = options.device().strip();
        if (device.isEmpty()) {
            String implied = Aedat3Layout.deviceFor(options.width(), options.height());
            device = implied != null ? implied : "DVS128";
        }
        if (device.indexOf('\n') >= 0 || device.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("device name must be one line: " + device);
        }
        StringBuilder h = new StringBuilder();
        h.append("#!AER-DAT3.1\r\n");
        h.append("#Format: RAW\r\n");
        h.append("#Source 1: ").append(device).append("\r\n");
        h.append("#Start-Time: ").append(START_TIME).append("\r\n");
        int[] implied = Aedat3Layout.geometryOf(device);
        if (implied[0] != options.width() || implied[1] != options.height()) {
            h.append('#')
                    .append(Aedat3Layout.SENSOR_SIZE_KEY)
                    .append(": ")
                    .append(options.width())
                    .append('x')
                    .append(options.height())
                    .append("\r\n");
        }
        h.append("#!END-HEADER\r\n");
        return h.toString();
    }

    @Override
    public void write(EventPacket events) throws IOException {
        if (closed) {
            throw new IOException("writer is closed");
        }
        int n = events.size();
        long[] ts = events.timestamps();
        short[] xs = events.xs();
        short[] ys = events.ys();
        byte[] ps = events.polarities();
        long prev = lastT;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            if (t < 0 || t >= TIME_LIMIT_US) {
                throw new IllegalArgumentException(
                        "event " + i + ": timestamp " + t + " us outside [0, 2^62)");
            }
            if (t < prev) {
                throw new IllegalArgumentException(
                        "event " + i + ": timestamp " + t + " us before the previous " + prev);
            }
            prev = t;
            if (xs[i] < 0 || xs[i] >= width || ys[i] < 0 || ys[i] >= height) {
                throw new IllegalArgumentException(
                        "event "
                                + i
                                + ": ("
                                + xs[i]
                                + ", "
                                + ys[i]
                                + ") outside the "
                                + width
                                + "x"
                                + height
                                + " sensor");
            }
        }
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            int overflow = (int) (t >>> TS_BITS);
            if (count > 0 && (count == eventsPerPacket || overflow != packetOverflow)) {
                flush();
            }
            if (count == 0) {
                packetOverflow = overflow;
            }
            int data = (xs[i] << 17) | (ys[i] << 2) | ((ps[i] != 0 ? 1 : 0) << 1) | 1;
            int o = PACKET_HEADER_BYTES + count * EVENT_BYTES;
            putIntLE(packet, o, data);
            putIntLE(packet, o + Aedat3Layout.TS_OFFSET, (int) (t & 0x7FFF_FFFFL));
            count++;
        }
        if (n > 0) {
            lastT = prev;
        }
    }

    /** Writes the pending events as one packet. */
    private void flush() throws IOException {
        if (count == 0) {
            return;
        }
        putShortLE(packet, Aedat3Layout.OFF_TYPE, (short) Aedat3Layout.TYPE_POLARITY);
        putShortLE(packet, Aedat3Layout.OFF_SOURCE, (short) 1);
        putIntLE(packet, Aedat3Layout.OFF_SIZE, EVENT_BYTES);
        putIntLE(packet, Aedat3Layout.OFF_TS_OFFSET, Aedat3Layout.TS_OFFSET);
        putIntLE(packet, Aedat3Layout.OFF_TS_OVERFLOW, packetOverflow);
        putIntLE(packet, Aedat3Layout.OFF_CAPACITY, count);
        putIntLE(packet, Aedat3Layout.OFF_NUMBER, count);
        putIntLE(packet, Aedat3Layout.OFF_VALID, count);
        out.write(packet, 0, PACKET_HEADER_BYTES + count * EVENT_BYTES);
        count = 0;
    }

    @Override
    public EventFormat format() {
        return EventFormat.AEDAT3;
    }

    /** Writes the last, partial packet and closes the stream; later calls do nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
