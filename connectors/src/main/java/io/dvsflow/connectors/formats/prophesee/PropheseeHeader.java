package io.dvsflow.connectors.formats.prophesee;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.internal.ByteInput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code % } text header shared by Prophesee RAW (EVT 2.0 / 3.0) and DAT files, and the sensor
 * geometry it implies.
 *
 * <p>Lines are read while the next byte is {@code '%'}, and up to and including a {@code % end}
 * line. At most {@link #MAX_HEADER_LINES} lines of at most {@link #MAX_LINE_BYTES} bytes each are
 * accepted. Geometry, first source that states it wins:
 *
 * <ol>
 *   <li>{@code % geometry WxH};
 *   <li>{@code % format NAME;height=H;width=W};
 *   <li>{@code % Width W} and {@code % Height H} (DAT);
 *   <li>the plugin name ({@code % plugin_name}) or {@code % sensor_generation}, see {@link
 *       #geometryFromSensorName};
 *   <li>otherwise {@code 0x0}, unknown (no bounds check is then possible).
 * </ol>
 */
final class PropheseeHeader {

    /** Most header lines accepted before the header is declared corrupt. */
    static final int MAX_HEADER_LINES = 10_000;

    /** Longest header line accepted, in bytes. */
    static final int MAX_LINE_BYTES = 4096;

    /** Largest sensor width or height accepted from a header (DAT v2 coordinates are 14 bits). */
    static final int MAX_SENSOR_DIMENSION = 1 << 14;

    /** Header key-value pairs in file order (first occurrence of a key wins). */
    final Map<String, String> metadata = new LinkedHashMap<>();

    /** Value of {@code % evt}, or {@code null}. */
    String evtVersion;

    /** Format name of {@code % format} (e.g. {@code EVT3}), upper case, or {@code null}. */
    String formatName;

    /** Value of {@code % Version} (DAT), or {@code null}. */
    String datVersion;

    /** Value of {@code % plugin_name}, or {@code null}. */
    String pluginName;

    /** Sensor width and height, {@code 0} when unknown. */
    int width;

    int height;

    private PropheseeHeader() {}

    /** Reads the header lines from {@code in}, leaving it at the first data byte. */
    static PropheseeHeader parse(ByteInput in) throws IOException {
        PropheseeHeader h = new PropheseeHeader();
        int geometryW = 0;
        int geometryH = 0;
        int formatW = 0;
        int formatH = 0;
        int datW = 0;
        int datH = 0;
        String sensorGeneration = null;
        int lines = 0;
        while (in.peek() == '%') {
            long lineStart = in.offset();
            if (++lines > MAX_HEADER_LINES) {
                throw in.errorAt(
                        lineStart,
                        "more than " + MAX_HEADER_LINES + " '%' header lines; header is corrupt");
            }
            String line = in.readLine(MAX_LINE_BYTES).substring(1).trim();
            if (line.equalsIgnoreCase("end")) {
                break;
            }
            if (line.isEmpty()) {
                continue;
            }
            int space = indexOfWhitespace(line);
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1).trim();
            h.metadata.putIfAbsent(key, value);
            switch (key.toLowerCase(Locale.ROOT)) {
                case "evt" -> h.evtVersion = value;
                case "version" -> h.datVersion = value;
                case "plugin_name" -> h.pluginName = value;
                case "sensor_generation" -> sensorGeneration = value;
                case "geometry" -> {
                    int x = value.toLowerCase(Locale.ROOT).indexOf('x');
                    if (x < 0) {
                        throw in.errorAt(
                                lineStart, "geometry '" + value + "' is not of the form WxH");
                    }
                    geometryW = dimension(in, lineStart, "width", value.substring(0, x));
                    geometryH = dimension(in, lineStart, "height", value.substring(x + 1));
                }
                case "format" -> {
                    String[] parts = value.split(";");
                    h.formatName = parts[0].trim().toUpperCase(Locale.ROOT);
                    for (int i = 1; i < parts.length; i++) {
                        String part = parts[i].trim();
                        int eq = part.indexOf('=');
                        if (eq < 0) {
                            continue;
                        }
                        String k = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                        String v = part.substring(eq + 1);
                        if (k.equals("width")) {
                            formatW = dimension(in, lineStart, "width", v);
                        } else if (k.equals("height")) {
                            formatH = dimension(in, lineStart, "height", v);
                        }
                    }
                }
                case "width" -> datW = dimension(in, lineStart, "width", value);
                case "height" -> datH = dimension(in, lineStart, "height", value);
                default -> {}
            }
        }
        if (geometryW > 0) {
            h.width = geometryW;
            h.height = geometryH;
        } else if (formatW > 0 && formatH > 0) {
            h.width = formatW;
            h.height = formatH;
        } else if (datW > 0 && datH > 0) {
            h.width = datW;
            h.height = datH;
        } else {
            int[] wh = geometryFromSensorName(h.pluginName);
            if (wh == null) {
                wh = geometryFromSensorName(sensorGeneration);
            }
            if (wh != null) {
                h.width = wh[0];
                h.height = wh[1];
            }
        }
        return h;
    }

    /**
     * Geometry of the sensors that Prophesee plugin names (e.g. {@code hal_plugin_gen3_fx3}, {@code
     * hal_plugin_gen41_evk3}, {@code hal_plugin_imx636_evk4}) or sensor generations ({@code 3.1},
     * {@code 4.1}) identify without doubt:
     *
     * <ul>
     *   <li>Gen3 / Gen3.1 VGA ({@code gen3}, {@code gen31}, generation {@code 3.0}/{@code 3.1}):
     *       640x480 (names containing {@code atis}, the 480x360 Gen3 ATIS, are left unknown);
     *   <li>Gen4 / Gen4.1 HD and Sony IMX636 ({@code gen4}, {@code gen41}, {@code imx636},
     *       generation {@code 4.0}/{@code 4.1}): 1280x720.
     * </ul>
     *
     * @return {@code {width, height}}, or {@code null} when the name is absent or not in the table
     */
    static int[] geometryFromSensorName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT).trim();
        if (n.contains("atis")) {
            return null;
        }
        if (n.contains("gen3") || n.equals("3") || n.equals("3.0") || n.equals("3.1")) {
            return new int[] {640, 480};
        }
        if (n.contains("gen4")
                || n.contains("imx636")
                || n.equals("4")
                || n.equals("4.0")
                || n.equals("4.1")) {
            return new int[] {1280, 720};
        }
        return null;
    }

    /**
     * The sensor name to show: the plugin name, else empty.
     *
     * @return never {@code null}
     */
    String device() {
        return pluginName == null ? "" : pluginName;
    }

    private static int dimension(ByteInput in, long lineStart, String what, String text)
            throws IOException {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw in.errorAt(
                    lineStart, "header " + what + " '" + text.trim() + "' is not a number");
        }
        if (v < 1 || v > MAX_SENSOR_DIMENSION) {
            throw in.errorAt(
                    lineStart,
                    "header "
                            + what
                            + " "
                            + v
                            + " outside [1, "
                            + MAX_SENSOR_DIMENSION
                            + "]; header is corrupt");
        }
        return v;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Checks that an {@code evt}/{@code format} line, if any, names {@code expected}. */
    void requireFormat(ByteInput in, EventFormat expected) throws IOException {
        String wantEvt = expected == EventFormat.EVT2 ? "2.0" : "3.0";
        String wantName = expected == EventFormat.EVT2 ? "EVT2" : "EVT3";
        if (evtVersion != null && !evtVersion.equals(wantEvt)) {
            throw in.errorAt(
                    0,
                    "header says '% evt "
                            + evtVersion
                            + "' but this reader decodes EVT "
                            + wantEvt
                            + " only");
        }
        if (formatName != null && !formatName.equals(wantName)) {
            throw in.errorAt(
                    0,
                    "header says '% format "
                            + formatName
                            + "' but this reader decodes "
                            + wantName
                            + " only");
        }
    }
}
