package io.dvsflow.jobs.report;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;

/**
 * Draws labels into report images. A headless JDK without any font installed cannot draw text at
 * all (it throws from deep inside AWT); then labels are left out and the pictures are still made.
 */
final class Text {

    private static final boolean FONTS = probeFonts();

    private Text() {}

    private static boolean probeFonts() {
        try {
            return GraphicsEnvironment.getLocalGraphicsEnvironment()
                            .getAvailableFontFamilyNames()
                            .length
                    > 0;
        } catch (Throwable t) { // NOPMD: AWT reports missing fonts as Errors
            return false;
        }
    }

    /** Whether labels can be drawn. */
    static boolean available() {
        return FONTS;
    }

    /** Draws {@code s} with its baseline at {@code (x, y)}; a no-op without fonts. */
    static void draw(Graphics2D g, String s, int x, int y, int size) {
        if (!FONTS) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        g.drawString(s, x, y);
    }

    /** Draws {@code s} centred on {@code cx}. */
    static void drawCentred(Graphics2D g, String s, int cx, int y, int size) {
        if (!FONTS) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        FontMetrics m = g.getFontMetrics();
        g.drawString(s, cx - m.stringWidth(s) / 2, y);
    }

    /** Draws {@code s} ending at {@code right}. */
    static void drawRight(Graphics2D g, String s, int right, int y, int size) {
        if (!FONTS) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        FontMetrics m = g.getFontMetrics();
        g.drawString(s, right - m.stringWidth(s), y);
    }
}
