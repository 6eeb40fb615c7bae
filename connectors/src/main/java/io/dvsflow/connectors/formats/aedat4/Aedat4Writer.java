package io.dvsflow.connectors.formats.aedat4;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.formats.internal.ByteInput;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes AEDAT 4.0 files readable by DV, dv-processing and {@link Aedat4Reader}.
 *
 * <p>What is written:
 *
 * <ul>
 *   <li>the line {@code #!AER-DAT4.0\r\n}, the IOHeader length and the IOHeader: {@code
 *       compression} from {@link WriterOptions#compression()} (NONE = 0, LZ4 = 1, ZSTD = 3), {@code
 *       dataTablePosition = -1} and a DV-style XML description of <b>one {@code EVTS} stream with
 *       id 0</b>, whose {@code sizeX}/{@code sizeY} are the options' width/height and whose {@code
 *       source} is {@link WriterOptions#device()};
 *   <li>one packet per {@link WriterOptions#eventsPerPacket()} events (the last one may be
 *       shorter): an 8-byte header (stream 0, size) and a size-prefixed {@code EventPacket}
 *       flatbuffer, compressed as one LZ4 frame (64 KiB independent blocks, no checksums,
 *       lz4-java's pure-Java fast compressor) or one Zstandard frame (level {@value #ZSTD_LEVEL},
 *       content size recorded).
 * </ul>
 *
 * <p><b>No FileDataTable.</b> The header comes first and the output stream cannot seek back to
 * patch its position, and buffering the whole recording would break the bounded-memory promise; so
 * the file carries {@code dataTablePosition = -1}, which DV and dv-processing read as "no table"
 * and answer by walking the packets (as they do for an interrupted recording).
 *
 * <p>Output bytes depend only on the input events and options (no timestamps, no native-library
 * choice), so the same input gives the same file. Events must have {@code 0 <= x < width}, {@code 0
 * <= y < height} and non-decreasing timestamps across all packets written; polarity {@code 1} is
 * written as {@code on = true}, anything else as {@code false}.
 *
 * <pre>{@code
 * WriterOptions o = WriterOptions.of(320, 240).withCompression(WriterOptions.Compression.LZ4);
 * try (EventWriter writer = new Aedat4Writer(Files.newOutputStream(path), o)) {
 *     writer.write(packet);
 * }
 * }</pre>
 */
public final class Aedat4Writer implements EventWriter {

    /** Stream id of the single event stream written. */
    public static final int STREAM_ID = 0;

    /** Zstandard compression level. */
    static final int ZSTD_LEVEL = 3;

    /** LZ4 block size: 64 KiB (BD byte {@code 0x40}). */
    static final int LZ4_BLOCK_BYTES = 1 << 16;

    /** LZ4 FLG byte: version 01, independent blocks, no checksums, no content size. */
    static final int LZ4_FLG = 0x60;

    /** LZ4 BD byte: 64 KiB maximum block size. */
    static final int LZ4_BD = 0x40;

    private static final XXHash32 XXH32 = XXHashFactory.fastestJavaInstance().hash32();

    private final OutputStream out;
    private final WriterOptions options;
    private final Aedat4Compression compression;
    private final byte[] packet;
    private final byte[] header = new byte[Aedat4Reader.PACKET_HEADER_BYTES];
    private byte[] compressed = new byte[0];
    private LZ4Compressor lz4;
    private ZstdCompressCtx zstd;
    private int count;
    private long lastT = Long.MIN_VALUE;
    private boolean closed;

    /**
     * Writes the file prefix and IOHeader to {@code out}; the writer owns and closes {@code out}.
     */
    public Aedat4Writer(OutputStream out, WriterOptions options) throws IOException {
        this.out = out;
        this.options = options;
        this.compression =
                switch (options.compression()) {
                    case NONE -> Aedat4Compression.NONE;
                    case LZ4 -> Aedat4Compression.LZ4;
                    case ZSTD -> Aedat4Compression.ZSTD;
                };
        this.packet = new byte[FlatBufferWriter.eventPacketBytes(options.eventsPerPacket())];
        byte[] io = FlatBufferWriter.ioHeader(compression, -1L, description(options, compression));
        byte[] length = new byte[4];
        ByteInput.putIntLE(length, 0, io.length);
        out.write(Aedat4Reader.MAGIC);
        out.write(length);
        out.write(io);
    }

    /** The DV-style XML description of the single event stream. */
    static String description(WriterOptions options, Aedat4Compression compression) {
        String path = "/mainloop/Recorder/outInfo/";
        return "<dv version=\"2.0\">\n"
                + "    <node name=\"outInfo\" path=\""
                + path
                + "\">\n"
                + "        <node name=\""
                + STREAM_ID
                + "\" path=\""
                + path
                + STREAM_ID
                + "/\">\n"
                + "            <attr key=\"compression\" type=\"string\">"
                + compression.name()
                + "</attr>\n"
                + "            <attr key=\"originalOutputName\" type=\"string\">events</attr>\n"
                + "            <attr key=\"typeDescription\" type=\"string\">"
                + "Array of events (polarity ON/OFF).</attr>\n"
                + "            <attr key=\"typeIdentifier\" type=\"string\">EVTS</attr>\n"
                + "            <node name=\"info\" path=\""
                + path
                + STREAM_ID
                + "/info/\">\n"
                + "                <attr key=\"sizeX\" type=\"int\">"
                + options.width()
                + "</attr>\n"
                + "                <attr key=\"sizeY\" type=\"int\">"
                + options.height()
                + "</attr>\n"
                + "                <attr key=\"source\" type=\"string\">"
                + escapeXml(options.device())
                + "</attr>\n"
                + "                <attr key=\"tsOffset\" type=\"long\">0</attr>\n"
                + "            </node>\n"
                + "        </node>\n"
                + "    </node>\n"
                + "</dv>\n";
    }

    /** Escapes XML markup characters; control characters that XML 1.0 forbids become spaces. */
    static String escapeXml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }

    /**
     * Appends the packet's events, emitting a file packet whenever {@code eventsPerPacket} have
     * accumulated.
     *
     * @throws IllegalArgumentException for an event outside the sensor or earlier than the previous
     *     event
     */
    @Override
    public void write(EventPacket events) throws IOException {
        if (closed) {
            throw new IOException("AEDAT 4.0 writer is closed");
        }
        final long[] ts = events.timestamps();
        final short[] xs = events.xs();
        final short[] ys = events.ys();
        final byte[] ps = events.polarities();
        final int width = options.width();
        final int height = options.height();
        final int perPacket = options.eventsPerPacket();
        final int n = events.size();
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            int x = xs[i];
            int y = ys[i];
            if (x < 0 || y < 0 || x >= width || y >= height) {
                throw new IllegalArgumentException(
                        "event "
                                + i
                                + " at ("
                                + x
                                + ", "
                                + y
                                + ") lies outside the "
                                + width
                                + "x"
                                + height
                                + " sensor");
            }
            if (t < lastT) {
                throw new IllegalArgumentException(
                        "event "
                                + i
                                + " at t="
                                + t
                                + " us precedes the previous event at "
                                + lastT);
            }
            lastT = t;
            FlatBufferWriter.putEvent(packet, count++, t, x, y, ps[i] == 1);
            if (count == perPacket) {
                flushPacket();
            }
        }
    }

    private void flushPacket() throws IOException {
        FlatBufferWriter.putEventPacketHeader(packet, count);
        int length = FlatBufferWriter.eventPacketBytes(count);
        byte[] payload = packet;
        int size = length;
        switch (compression) {
            case NONE -> {}
            case LZ4 -> {
                size = lz4Frame(length);
                payload = compressed;
            }
            case ZSTD -> {
                size = zstdFrame(length);
                payload = compressed;
            }
            default -> throw new IllegalStateException("not written: " + compression);
        }
        ByteInput.putIntLE(header, 0, STREAM_ID);
        ByteInput.putIntLE(header, 4, size);
        out.write(header);
        out.write(payload, 0, size);
        count = 0;
    }

    /** Compresses {@code packet[0, length)} into one LZ4 frame in {@link #compressed}. */
    private int lz4Frame(int length) {
        if (lz4 == null) {
            lz4 = LZ4Factory.fastestJavaInstance().fastCompressor();
        }
        int blocks = (length + LZ4_BLOCK_BYTES - 1) / LZ4_BLOCK_BYTES;
        int bound = 11 + blocks * 4 + lz4.maxCompressedLength(length) + blocks * 16;
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        byte[] c = compressed;
        ByteInput.putIntLE(c, 0, PacketDecompressor.LZ4_MAGIC);
        c[4] = (byte) LZ4_FLG;
        c[5] = (byte) LZ4_BD;
        c[6] = (byte) (XXH32.hash(c, 4, 2, 0) >>> 8);
        int p = 7;
        for (int off = 0; off < length; off += LZ4_BLOCK_BYTES) {
            int n = Math.min(LZ4_BLOCK_BYTES, length - off);
            int z = lz4.compress(packet, off, n, c, p + 4, c.length - p - 4);
            if (z >= n) {
                ByteInput.putIntLE(c, p, n | 0x80000000);
                System.arraycopy(packet, off, c, p + 4, n);
                z = n;
            } else {
                ByteInput.putIntLE(c, p, z);
            }
            p += 4 + z;
        }
        ByteInput.putIntLE(c, p, 0);
        return p + 4;
    }

    /** Compresses {@code packet[0, length)} into one Zstandard frame in {@link #compressed}. */
    private int zstdFrame(int length) {
        if (zstd == null) {
            zstd = new ZstdCompressCtx();
            zstd.setLevel(ZSTD_LEVEL);
            zstd.setContentSize(true);
            zstd.setChecksum(false);
        }
        int bound = (int) Zstd.compressBound(length);
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        return zstd.compressByteArray(compressed, 0, compressed.length, packet, 0, length);
    }

    @Override
    public EventFormat format() {
        return EventFormat.AEDAT4;
    }

    /** Writes the last, partial packet and closes the stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (count > 0) {
                flushPacket();
            }
            out.flush();
        } finally {
            if (zstd != null) {
                zstd.close();
            }
            out.close();
        }
    }
}
