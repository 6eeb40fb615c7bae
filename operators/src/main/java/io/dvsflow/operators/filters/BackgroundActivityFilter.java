package io.dvsflow.operators.filters;

import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.Objects;

/**
 * Background-activity (correlation) filter: an event passes when at least one of the 8 pixels
 * around it (the 3 x 3 neighbourhood without the centre, clipped at the sensor border) had an event
 * at time {@code t_n >= t - window}. Real edges move across neighbouring pixels, whereas noise
 * events are isolated in space and time.
 *
 * <p>The map holds each pixel's last event time; every event (kept or not) records its own time.
 * The pixel itself does not support its events, so a lone hot pixel is removed. A neighbour event
 * later than {@code t} (disorder inside the watermark) also supports the event. Polarity is
 * ignored.
 *
 * @param sensorWidth sensor width in pixels
 * @param sensorHeight sensor height in pixels
 * @param window the correlation time {@code dt}, a positive whole number of µs
 */
public record BackgroundActivityFilter(int sensorWidth, int sensorHeight, Duration window)
        implements PacketFilter {

    private static final long serialVersionUID = 1L;

    /** Validates the settings. */
    public BackgroundActivityFilter {
        FilterSettings.checkSensor(sensorWidth, sensorHeight);
        Objects.requireNonNull(window, "window");
        FilterSettings.checkPositiveMicros("window", window);
    }

    @Override
    public long memoryUs() {
        return window.toNanos() / 1_000L;
    }

    @Override
    public void filter(EventPacket in, long[] last, EventPacket out) {
        final int w = sensorWidth;
        final int h = sensorHeight;
        final long dt = memoryUs();
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
            long ti = t[i];
            long threshold = ti < Long.MIN_VALUE + dt + 1 ? Long.MIN_VALUE + 1 : ti - dt;
            int x0 = Math.max(0, x - 1);
            int x1 = Math.min(w - 1, x + 1);
            int y0 = Math.max(0, y - 1);
            int y1 = Math.min(h - 1, y + 1);
            boolean supported = false;
            for (int yy = y0; yy <= y1 && !supported; yy++) {
                int row = yy * w;
                for (int xx = x0; xx <= x1; xx++) {
                    if ((xx != x || yy != y) && last[row + xx] >= threshold) {
                        supported = true;
                        break;
                    }
                }
            }
            last[y * w + x] = ti;
            if (supported) {
                out.add(ti, x, y, ps[i]);
            }
        }
    }
}
