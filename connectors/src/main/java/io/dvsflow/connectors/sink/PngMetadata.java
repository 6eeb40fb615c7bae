package io.dvsflow.connectors.sink;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.LayerSpikes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * What a frame's PNG file knows about the frame beyond its pixels, stored in the PNG itself as one
 * {@code tEXt} chunk (PNG 1.2 section 4.2.3.1: length, type {@code tEXt}, keyword, NUL, Latin-1
 * text, CRC-32 of type and data) with the keyword {@value #KEYWORD}, placed right after {@code
 * IHDR}. Image viewers ignore it; {@code dvsflow view --dir} reads it back.
 *
 * <p>Text: {@code key=value} pairs separated by {@code ;}: {@code windowEndUs}, {@code eventCount},
 * {@code modelVersion} (absent for non-learned images) and {@code spikes} (absent without spike
 * statistics): per layer {@code name:rate:activeRatio:burstingRatio}, layers separated by {@code
 * ,}, unknown values as {@code -}.
 */
public final class PngMetadata {

    private PngMetadata() {}

    /** The {@code tEXt} keyword of dvsflow's metadata. */
    public static final String KEYWORD = "dvsflow";

    /** Largest metadata text read back, bytes (a bound on an untrusted chunk length). */
    public static final int MAX_TEXT = 1 << 16;

    private static final int SIGNATURE = 8;
    private static final int IHDR_CHUNK = 4 + 4 + 13 + 4;

    /** The metadata text of {@code frame}. */
    public static String text(Frame frame) {
        StringBuilder b = new StringBuilder(128);
        b.append("windowEndUs=").append(frame.getWindowEndUs());
        b.append(";eventCount=").append(frame.getEventCount());
        if (frame.getModelVersion() != null) {
            b.append(";modelVersion=").append(frame.getModelVersion());
        }
        List<LayerSpikes> spikes = frame.getSpikeStats();
        if (spikes != null && !spikes.isEmpty()) {
            b.append(";spikes=");
            for (int i = 0; i < spikes.size(); i++) {
                LayerSpikes l = spikes.get(i);
                if (i > 0) {
                    b.append(',');
                }
                b.append(l.getLayer().toString().replaceAll("[^A-Za-z0-9_.-]", "_"))
                        .append(':')
                        .append(number(l.getRate()))
                        .append(':')
                        .append(number(l.getActiveRatio()))
                        .append(':')
                        .append(number(l.getBurstingRatio()));
            }
        }
        return b.toString();
    }

    private static String number(Float v) {
        return v == null || !Float.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.5f", v);
    }

    /** {@code png} with a {@code tEXt} chunk holding {@code text} inserted after {@code IHDR}. */
    public static byte[] withText(byte[] png, String text) {
        byte[] data = (KEYWORD + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
        int at = SIGNATURE + IHDR_CHUNK;
        byte[] out = new byte[png.length + 12 + data.length];
        System.arraycopy(png, 0, out, 0, at);
        int p = at;
        putInt(out, p, data.length);
        byte[] type = "tEXt".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(type, 0, out, p + 4, 4);
        System.arraycopy(data, 0, out, p + 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, p + 4, 4 + data.length);
        putInt(out, p + 8 + data.length, (int) crc.getValue());
        System.arraycopy(png, at, out, p + 12 + data.length, png.length - at);
        return out;
    }

    /**
     * The dvsflow metadata of a PNG as {@code key -> value}; empty when the file holds none (or is
     * not a well-formed PNG up to its first {@code IDAT}).
     */
    public static Map<String, String> read(byte[] png) {
        int p = SIGNATURE;
        while (p + 12 <= png.length) {
            long len = getInt(png, p) & 0xFFFF_FFFFL;
            String type = new String(png, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            if (len > png.length - p - 12) {
                break; // truncated or corrupt: no metadata
            }
            if (type.equals("tEXt") && len <= MAX_TEXT) {
                String s = new String(png, p + 8, (int) len, StandardCharsets.ISO_8859_1);
                int nul = s.indexOf('\0');
                if (nul > 0 && s.substring(0, nul).equals(KEYWORD)) {
                    return parse(s.substring(nul + 1));
                }
            }
            p += 12 + (int) len;
        }
        return Map.of();
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return m;
    }

    /**
     * The spike statistics of a {@code spikes} value ({@link #text}), or null when absent or
     * malformed.
     */
    public static List<LayerSpikes> spikes(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        List<LayerSpikes> out = new ArrayList<>();
        try {
            for (String layer : value.split(",")) {
                String[] f = layer.split(":");
                if (f.length != 4) {
                    return null;
                }
                Float rate = parseNumber(f[1]);
                out.add(
                        new LayerSpikes(
                                f[0],
                                rate == null ? Float.NaN : rate,
                                parseNumber(f[2]),
                                parseNumber(f[3])));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }

    private static Float parseNumber(String s) {
        return s.equals("-") ? null : Float.parseFloat(s);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24
                | (b[at + 1] & 0xFF) << 16
                | (b[at + 2] & 0xFF) << 8
                | (b[at + 3] & 0xFF);
    }
}
