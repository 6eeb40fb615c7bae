package io.dvsflow.connectors.formats.aedat2;

import io.dvsflow.connectors.formats.Aedat2Layout;
import java.util.Locale;

/**
 * What dvsflow knows about a jAER {@code # AEChip:} class: its address layout family and sensor
 * size.
 *
 * <p>Recognition works on the simple class name (after the last {@code .}), case-insensitively:
 *
 * <ul>
 *   <li>contains {@code dvs128} or {@code tmpdiff128}: {@link Aedat2Layout#DVS128}, 128 x 128;
 *   <li>contains {@code davis}: {@link Aedat2Layout#DAVIS}; the size comes from the first number
 *       after {@code davis}: 128 -> 128 x 128, 208 -> 208 x 192, 240 -> 240 x 180 (DAVIS240A/B/C),
 *       346 -> 346 x 260 (Davis346red/blue/B/C...), 640 -> 640 x 480; any other or no number: size
 *       unknown ({@code 0 x 0});
 *   <li>anything else: not recognised ({@link #layout()} is {@code null}, size unknown).
 * </ul>
 *
 * @param className the class name as written in the header (may be empty)
 * @param layout the layout family, or {@code null} when the chip is not recognised
 * @param width sensor width in pixels, {@code 0} when unknown
 * @param height sensor height in pixels, {@code 0} when unknown
 */
record JaerChip(String className, Aedat2Layout layout, int width, int height) {

    /** Recognises a jAER chip class name ({@code null} or empty: not recognised). */
    static JaerChip of(String className) {
        String full = className == null ? "" : className.trim();
        String simple = full.substring(full.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (simple.contains("dvs128") || simple.contains("tmpdiff128")) {
            return new JaerChip(full, Aedat2Layout.DVS128, 128, 128);
        }
        int davis = simple.indexOf("davis");
        if (davis >= 0) {
            int number = firstNumber(simple, davis + "davis".length());
            return switch (number) {
                case 128 -> new JaerChip(full, Aedat2Layout.DAVIS, 128, 128);
                case 208 -> new JaerChip(full, Aedat2Layout.DAVIS, 208, 192);
                case 240 -> new JaerChip(full, Aedat2Layout.DAVIS, 240, 180);
                case 346 -> new JaerChip(full, Aedat2Layout.DAVIS, 346, 260);
                case 640 -> new JaerChip(full, Aedat2Layout.DAVIS, 640, 480);
                default -> new JaerChip(full, Aedat2Layout.DAVIS, 0, 0);
            };
        }
        return new JaerChip(full, null, 0, 0);
    }

    /** The simple class name (after the last dot), or empty. */
    String simpleName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The first decimal number (at most 6 digits) at or after {@code from}, or -1. */
    private static int firstNumber(String s, int from) {
        int i = from;
        while (i < s.length() && !isDigit(s.charAt(i))) {
            i++;
        }
        int value = -1;
        int digits = 0;
        while (i < s.length() && isDigit(s.charAt(i)) && digits < 6) {
            value = (value < 0 ? 0 : value * 10) + (s.charAt(i) - '0');
            i++;
            digits++;
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
