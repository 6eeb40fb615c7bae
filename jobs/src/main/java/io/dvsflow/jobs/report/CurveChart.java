package io.dvsflow.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A line chart of one series {@code y(x)} drawn with {@code java.awt}: axes with about five "nice"
 * ticks each (steps of 1, 2 or 5 times a power of ten), the series as a polyline (gaps where a
 * value is not finite) and a title. A constant series is drawn in the middle of a unit range.
 */
public final class CurveChart {

    static final int LEFT = 64;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 36;

    private CurveChart() {}

    /**
     * Draws the chart.
     *
     * @param x abscissae (same length as {@code y})
     * @param y values; NaN or infinite ones are skipped
     */
    public static BufferedImage render(
            String title, String xLabel, double[] x, double[] y, int width, int height) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y need the same length");
        }
        if (width < LEFT + RIGHT + 10 || height < TOP + BOTTOM + 10) {
            throw new IllegalArgumentException("a chart needs at least 100 x 80 pixels");
        }
        double[] xr = range(x, y, true);
        double[] yr = range(x, y, false);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int pw = width - LEFT - RIGHT;
            int ph = height - TOP - BOTTOM;
            g.setColor(new Color(0xe4e4e4));
            for (double t : ticks(xr[0], xr[1])) {
                int px = LEFT + (int) Math.round((t - xr[0]) / (xr[1] - xr[0]) * pw);
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                Text.drawCentred(g, label(t), px, TOP + ph + 14, 11);
                g.setColor(new Color(0xe4e4e4));
            }
            for (double t : ticks(yr[0], yr[1])) {
                int py = TOP + ph - (int) Math.round((t - yr[0]) / (yr[1] - yr[0]) * ph);
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.DARK_GRAY);
                Text.drawRight(g, label(t), LEFT - 4, py + 4, 11);
                g.setColor(new Color(0xe4e4e4));
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            Text.drawCentred(g, title, LEFT + pw / 2, TOP - 10, 13);
            Text.drawCentred(g, xLabel, LEFT + pw / 2, height - 6, 11);
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    pen = false;
                    continue;
                }
                double px = LEFT + (x[i] - xr[0]) / (xr[1] - xr[0]) * pw;
                double py = TOP + ph - (y[i] - yr[0]) / (yr[1] - yr[0]) * ph;
                if (pen) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    pen = true;
                }
            }
            g.setColor(new Color(0x1f77b4));
            g.setStroke(new BasicStroke(1.6f));
            g.draw(path);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** [min, max] of the finite points' x (or y), widened to a unit range when empty or flat. */
    static double[] range(double[] x, double[] y, boolean ofX) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double v = ofX ? x[i] : y[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            return new double[] {lo - 0.5, hi + 0.5};
        }
        return new double[] {lo, hi};
    }

    /** Ticks inside [lo, hi] at a step of 1, 2 or 5 times a power of ten, about five of them. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
        double k0 = Math.ceil(lo / step);
        int n = (int) Math.floor((hi - k0 * step) / step + 1e-9) + 1;
        double[] out = new double[Math.max(0, Math.min(n, 50))];
        for (int i = 0; i < out.length; i++) {
            out[i] = (k0 + i) * step; // integer multiples: 0 is exactly 0
        }
        return out;
    }

    static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
