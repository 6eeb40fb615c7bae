package io.dvsflow.jobs.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr: items done of total, items/s, events/s and the estimated time left.
 * Printed at most once per {@link #INTERVAL_NANOS} and once at the end.
 */
final class ProgressLine {

    /** Shortest interval between two lines (1 s). */
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final String unit;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPrint = start;

    ProgressLine(PrintWriter err, String unit, int total) {
        this.err = err;
        this.unit = unit;
        this.total = total;
    }

    /** Reports {@code done} items and {@code events} events so far. */
    void update(int done, long events) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < INTERVAL_NANOS) {
            return;
        }
        lastPrint = now;
        double s = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / s;
        double eta = rate > 0 ? (total - done) / rate : 0;
        err.println(
                String.format(
                        Locale.ROOT,
                        "%d/%d %s, %.1f %s/s, %.0f kev/s, %.1f s elapsed, ETA %.0f s",
                        done,
                        total,
                        unit,
                        rate,
                        unit,
                        events / s / 1e3,
                        s,
                        eta));
        err.flush();
    }
}
