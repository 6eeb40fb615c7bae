package io.dvsflow.connectors.formats;

import io.dvsflow.connectors.formats.aedat2.Aedat2Reader;
import io.dvsflow.connectors.formats.aedat2.Aedat2Writer;
import io.dvsflow.connectors.formats.aedat3.Aedat3Reader;
import io.dvsflow.connectors.formats.aedat3.Aedat3Writer;
import io.dvsflow.connectors.formats.aedat4.Aedat4Reader;
import io.dvsflow.connectors.formats.aedat4.Aedat4Writer;
import io.dvsflow.connectors.formats.nmnist.NmnistReader;
import io.dvsflow.connectors.formats.prophesee.DatReader;
import io.dvsflow.connectors.formats.prophesee.Evt2Reader;
import io.dvsflow.connectors.formats.prophesee.Evt3Reader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Entry point to the readers and writers: detects a recording's format <em>by content</em> (never
 * by extension: {@code .aedat} names three different formats) and opens the matching reader.
 *
 * <p>Detection rules, in order:
 *
 * <ol>
 *   <li>{@code #!AER-DAT4}, {@code #!AER-DAT3}, {@code #!AER-DAT2}, {@code #!AER-DAT1}: that AEDAT
 *       version;
 *   <li>any other first line starting with {@code #}: AEDAT 1.0 (jAER writes no version line for
 *       1.0);
 *   <li>{@code %} header lines (Prophesee): {@code % evt 2.0} or {@code % format EVT2...}: EVT 2.0;
 *       {@code % evt 3.0} or {@code % format EVT3...}: EVT 3.0; otherwise a DAT header when the two
 *       bytes after the header are a DAT event type (0x00, 0x0C, 0x0E) and size 8;
 *   <li>no header: N-MNIST {@code .bin} when the length is a multiple of 5 and the first records
 *       carry non-decreasing 23-bit timestamps.
 * </ol>
 *
 * <pre>{@code
 * try (EventReader reader = EventFormats.open(Path.of("rec.aedat"), ReaderOptions.defaults())) {
 *     System.out.println(reader.info().format());
 * }
 * }</pre>
 */
public final class EventFormats {

    /** Bytes read from the start of a file to detect its format. */
    static final int PREFIX_BYTES = 1 << 16;

    private EventFormats() {}

    /** Detects the format of a file by its content. */
    public static EventFormat detect(Path file) throws IOException {
        byte[] prefix = readPrefix(file);
        return detect(prefix, Files.size(file), file.toString());
    }

    /**
     * Detects the format from the first bytes of an input.
     *
     * @param prefix the first bytes (up to 64 KiB)
     * @param length the input's total length, or {@code -1} when unknown
     * @param source name for the error message
     * @throws EventFormatException when no rule matches
     */
    public static EventFormat detect(byte[] prefix, long length, String source)
            throws EventFormatException {
        if (prefix.length == 0) {
            throw new EventFormatException(source, 0, "empty file: no event format to detect");
        }
        String head =
                new String(prefix, 0, Math.min(prefix.length, 16), StandardCharsets.ISO_8859_1);
        if (head.startsWith("#!AER-DAT4")) {
            return EventFormat.AEDAT4;
        }
        if (head.startsWith("#!AER-DAT3")) {
            return EventFormat.AEDAT3;
        }
        if (head.startsWith("#!AER-DAT2")) {
            return EventFormat.AEDAT2;
        }
        if (head.startsWith("#!AER-DAT1") || head.startsWith("#")) {
            return EventFormat.AEDAT1;
        }
        if (head.startsWith("%")) {
            return detectProphesee(prefix, source);
        }
        if (looksLikeNmnist(prefix, length)) {
            return EventFormat.NMNIST;
        }
        throw new EventFormatException(
                source,
                0,
                "unrecognised event format (no AEDAT '#!AER-DAT' line, no Prophesee '%' header,"
                        + " not N-MNIST 5-byte records); name the format explicitly");
    }

    private static EventFormat detectProphesee(byte[] prefix, String source)
            throws EventFormatException {
        int i = 0;
        boolean datHints = false;
        while (i < prefix.length && prefix[i] == '%') {
            int end = i;
            while (end < prefix.length && prefix[end] != '\n') {
                end++;
            }
            String line =
                    new String(prefix, i, end - i, StandardCharsets.ISO_8859_1)
                            .trim()
                            .toLowerCase(Locale.ROOT);
            if (line.startsWith("% evt 2") || line.startsWith("% format evt2")) {
                return EventFormat.EVT2;
            }
            if (line.startsWith("% evt 3") || line.startsWith("% format evt3")) {
                return EventFormat.EVT3;
            }
            if (line.contains("data file containing") || line.startsWith("% version")) {
                datHints = true;
            }
            i = end + 1;
        }
        if (i + 1 < prefix.length) {
            int type = prefix[i] & 0xFF;
            int size = prefix[i + 1] & 0xFF;
            if ((type == 0x00 || type == 0x0C || type == 0x0E) && size == 8) {
                return EventFormat.DAT;
            }
        } else if (datHints) {
            return EventFormat.DAT;
        }
        throw new EventFormatException(
                source,
                i,
                "Prophesee '%' header without an 'evt' line and not followed by a DAT type/size"
                        + " pair; name the format explicitly (evt2, evt3 or dat)");
    }

    private static boolean looksLikeNmnist(byte[] prefix, long length) {
        if (length >= 0 && length % 5 != 0) {
            return false;
        }
        int records = Math.min(prefix.length / 5, 2000);
        if (records == 0) {
            return false;
        }
        long previous = -1;
        long wraps = 0;
        for (int r = 0; r < records; r++) {
            int o = 5 * r;
            int y = prefix[o + 1] & 0xFF;
            int b2 = prefix[o + 2] & 0xFF;
            if (y == 240) {
                wraps++;
                continue;
            }
            long ts =
                    (wraps << 23)
                            + (((long) (b2 & 0x7F) << 16)
                                    | ((prefix[o + 3] & 0xFF) << 8)
                                    | (prefix[o + 4] & 0xFF));
            if (ts < previous) {
                return false;
            }
            previous = ts;
        }
        return true;
    }

    private static byte[] readPrefix(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(PREFIX_BYTES, ch.size()));
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // keep reading
            }
            byte[] out = new byte[b.position()];
            b.flip();
            b.get(out);
            return out;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /** Opens a reader for a file, detecting its format unless {@code options.format()} is set. */
    public static EventReader open(Path file, ReaderOptions options) throws IOException {
        EventFormat format = options.format() != null ? options.format() : detect(file);
        String streamId =
                options.streamId() != null ? options.streamId() : file.getFileName().toString();
        InputStream in = Files.newInputStream(file);
        try {
            return open(in, file.toString(), format, options.withStreamId(streamId));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Opens a reader over a stream of a known format; the reader closes the stream. */
    public static EventReader open(
            InputStream in, String sourceName, EventFormat format, ReaderOptions options)
            throws IOException {
        ReaderOptions o = options.streamId() == null ? options.withStreamId(sourceName) : options;
        return switch (format) {
            case AEDAT1, AEDAT2 -> new Aedat2Reader(in, sourceName, o);
            case AEDAT3 -> new Aedat3Reader(in, sourceName, o);
            case AEDAT4 -> new Aedat4Reader(in, sourceName, o);
            case EVT2 -> new Evt2Reader(in, sourceName, o);
            case EVT3 -> new Evt3Reader(in, sourceName, o);
            case DAT -> new DatReader(in, sourceName, o);
            case NMNIST -> new NmnistReader(in, sourceName, o);
        };
    }

    /** The formats dvsflow writes. */
    public static boolean canWrite(EventFormat format) {
        return format == EventFormat.AEDAT2
                || format == EventFormat.AEDAT3
                || format == EventFormat.AEDAT4;
    }

    /**
     * Creates a writer to a file (replacing it).
     *
     * @throws IllegalArgumentException for a format dvsflow does not write
     */
    public static EventWriter writer(Path file, EventFormat format, WriterOptions options)
            throws IOException {
        if (!canWrite(format)) {
            throw new IllegalArgumentException(
                    "dvsflow writes aedat2, aedat3 and aedat4, not " + format.shortName());
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        try {
            return writer(out, format, options);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Creates a writer over a stream; the writer closes the stream. */
    public static EventWriter writer(OutputStream out, EventFormat format, WriterOptions options)
            throws IOException {
        return switch (format) {
            case AEDAT2 -> new Aedat2Writer(out, options);
            case AEDAT3 -> new Aedat3Writer(out, options);
            case AEDAT4 -> new Aedat4Writer(out, options);
            default ->
                    throw new IllegalArgumentException(
                            "dvsflow writes aedat2, aedat3 and aedat4, not " + format.shortName());
        };
    }
}
