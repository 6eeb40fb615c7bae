package io.dvsflow.operators.filters;

import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.Objects;

/**
 * Refractory filter: after a pixel emits an event that passes, further events of that pixel are
 * dropped until {@code period} has elapsed, i.e. an event at {@code t} passes when the pixel's last
 * <em>passed</em> event {@code t_p} satisfies {@code t - t_p >= period} (or there was none).
 * Dropped events do not extend the dead time, so a pixel firing continuously passes one event per
 * period. Polarity is ignored.
 *
 * @param sensorWidth sensor width in pixels
 * @param sensorHeight sensor height in pixels
 * @param period the refractory period, a positive whole number of µs
 */
public record RefractoryFilter(int sensorWidth, int sensorHeight, Duration period)
        implements PacketFilter {

    private static final long serialVersionUID = 1L;

    /** Validates the settings. */
    public RefractoryFilter {
        FilterSettings.checkSensor(sensorWidth, sensorHeight);
        Objects.requireNonNull(period, "period");
        FilterSettings.checkPositiveMicros("period", period);
    }

    @Override
    public long memoryUs() {
        return period.toNanos() / 1_000L;
    }

    @Override
    public void filter(EventPacket in, long[] last, EventPacket out) {
        final int w = sensorWidth;
        final int h = sensorHeight;
        final long period = memoryUs();
        final int n = in.size();
        final long[] t = in.timestamps();
        final short[] xs = in.xs();
        final short[] ys = in.ys();
        final byte[] ps = in.polarities();
        out.ensureCapacity(out.size() + n);
        for (int i = 0; i < n; i++) {
            int x = xs[i];
            int y = ys[i];
            if (x < 0 || y < 0 || x >= w || y >= h) {
                continue;
            }
            int idx = y * w + x;
            long ti = t[i];
            long previous = last[idx];
            // previous == NEVER, or ti - previous >= period, written without overflow
            if (previous == NEVER || ti >= previous && ti - previous >= period) {
                last[idx] = ti;
                out.add(ti, x, y, ps[i]);
            }
        }
    }
}
