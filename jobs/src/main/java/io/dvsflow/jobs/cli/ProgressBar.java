package io.dvsflow.jobs.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on standard error with rate and estimated time left, for commands that
 * run longer than a few seconds.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.create("convert", totalBytes, "B", quiet)) {
 *     while (...) { bar.advance(n); }
 * }
 * }</pre>
 *
 * <p>Line ({@link #format}): {@code convert [#########-----------] 45% 1.23M/2.70M B 352k B/s ETA
 * 0:04}; with an unknown total ({@code total < 0}) the bar and ETA give way to the elapsed time.
 * Rate {@code = done / elapsed seconds} (the average since the start, which is steadier than an
 * instantaneous rate); ETA {@code = (total - done) / rate}. Quantities use SI prefixes (k, M, G, T)
 * with three significant digits.
 *
 * <p>Policies: the bar is silent when {@code quiet} is set or when the JVM has no console (output
 * redirected to a file or a pipe, e.g. in CI), so logs never fill with carriage returns; it redraws
 * at most every {@value #REDRAW_NANOS} ns; {@link #close()} draws the final state and ends the
 * line.
 */
public final class ProgressBar implements AutoCloseable {

    /** Least time between two redraws (ns). */
    public static final long REDRAW_NANOS = 100_000_000L;

    /** Characters of the bar itself. */
    public static final int BAR_WIDTH = 24;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long done;
    private long lastDrawNanos = Long.MIN_VALUE;
    private int lastLength;

    /**
     * @param total units of work, or -1 when unknown
     * @param unit the unit's name, e.g. "events" or "B"
     * @param out where to draw (standard error in commands)
     * @param enabled false for a silent bar
     * @param nanoClock time source in ns (System::nanoTime)
     */
    ProgressBar(
            String label,
            long total,
            String unit,
            PrintStream out,
            boolean enabled,
            LongSupplier nanoClock) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.enabled = enabled;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /**
     * A bar on standard error, silent with {@code quiet} or when there is no console.
     *
     * @param total units of work, or -1 when unknown
     */
    public static ProgressBar create(String label, long total, String unit, boolean quiet) {
        return new ProgressBar(
                label,
                total,
                unit,
                System.err,
                !quiet && System.console() != null,
                System::nanoTime);
    }

    /** Adds {@code n} units of work done. */
    public synchronized void advance(long n) {
        set(done + n);
    }

    /** Sets the work done so far. */
    public synchronized void set(long newDone) {
        done = newDone;
        long now = nanoClock.getAsLong();
        if (enabled && (lastDrawNanos == Long.MIN_VALUE || now - lastDrawNanos >= REDRAW_NANOS)) {
            draw(now);
        }
    }

    public synchronized long done() {
        return done;
    }

    private void draw(long now) {
        lastDrawNanos = now;
        String line = format(label, done, total, unit, (now - startNanos) / 1e9, BAR_WIDTH);
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    /** Draws the final state and ends the line (nothing when silent). */
    @Override
    public synchronized void close() {
        if (enabled) {
            draw(nanoClock.getAsLong());
            out.println();
            out.flush();
        }
    }

    /**
     * The progress line (a pure function).
     *
     * @param total units in all, or negative when unknown
     * @param elapsedSeconds time since the start
     * @param barWidth characters of the bar
     */
    public static String format(
            String label, long done, long total, String unit, double elapsedSeconds, int barWidth) {
        StringBuilder b = new StringBuilder(label);
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        String u = unit.isEmpty() ? "" : " " + unit;
        if (total > 0) {
            double fraction = Math.min(1.0, Math.max(0.0, (double) done / total));
            int filled = (int) Math.floor(fraction * barWidth);
            b.append(" [")
                    .append("#".repeat(filled))
                    .append("-".repeat(barWidth - filled))
                    .append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)))
                    .append("  ")
                    .append(si(done))
                    .append('/')
                    .append(si(total))
                    .append(u);
        } else {
            b.append("  ").append(si(done)).append(u);
        }
        b.append("  ").append(rate > 0 ? si(rate) : "-").append(u).append("/s");
        if (total > 0) {
            b.append("  ETA ");
            if (done >= total) {
                b.append(clock(0));
            } else if (rate > 0) {
                b.append(clock((total - done) / rate));
            } else {
                b.append('-');
            }
        } else {
            b.append("  ").append(clock(elapsedSeconds)).append(" elapsed");
        }
        return b.toString();
    }

    /** {@code v} with an SI prefix and three significant digits: 999, 1.23k, 45.6M, 789G. */
    static String si(double v) {
        if (v < 0) {
            return "-" + si(-v);
        }
        String[] prefixes = {"", "k", "M", "G", "T", "P"};
        int p = 0;
        while (v >= 999.5 && p < prefixes.length - 1) {
            v /= 1000;
            p++;
        }
        if (p == 0) {
            return v == Math.rint(v)
                    ? Long.toString((long) v)
                    : String.format(
                            Locale.ROOT, v < 9.995 ? "%.2f" : v < 99.95 ? "%.1f" : "%.0f", v);
        }
        String f = v < 9.995 ? "%.2f" : v < 99.95 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, f, v) + prefixes[p];
    }

    /** Seconds as {@code m:ss}, or {@code h:mm:ss} from one hour on (rounded up). */
    static String clock(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
