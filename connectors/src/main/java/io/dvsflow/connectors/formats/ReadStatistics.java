package io.dvsflow.connectors.formats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of what a reader decoded and what it skipped, by reason.
 *
 * <p>Reasons used by the readers (documented in connectors/README.md): {@code aps} (DAVIS APS/ADC
 * samples), {@code imu} (IMU samples or packets), {@code external} (external input / trigger
 * events), {@code special} (special events other than timestamp wraps), {@code invalid} (events
 * whose valid bit is clear), {@code out_of_bounds} (coordinates outside the sensor), {@code frame}
 * (frame packets), {@code other} (other event types or packets skipped by size), {@code overflow}
 * (time overflow markers), {@code time_backwards} (timestamps clamped because they stepped back).
 */
public final class ReadStatistics {

    private long events;
    private long onEvents;
    private final TreeMap<String, Long> skipped = new TreeMap<>();

    /** Adds {@code n} decoded events of which {@code on} are ON. */
    public void addEvents(long n, long on) {
        events += n;
        onEvents += on;
    }

    /** Adds {@code n} skipped items for {@code reason}; ignored when {@code n == 0}. */
    public void skip(String reason, long n) {
        if (n != 0) {
            skipped.merge(reason, n, Long::sum);
        }
    }

    public long events() {
        return events;
    }

    public long onEvents() {
        return onEvents;
    }

    public long offEvents() {
        return events - onEvents;
    }

    /** Skipped items by reason, sorted by reason. */
    public Map<String, Long> skipped() {
        return Collections.unmodifiableMap(skipped);
    }

    /** Skipped items for one reason. */
    public long skipped(String reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /** All skipped items. */
    public long skippedTotal() {
        long s = 0;
        for (long v : skipped.values()) {
            s += v;
        }
        return s;
    }

    @Override
    public String toString() {
        return "ReadStatistics{events="
                + events
                + ", on="
                + onEvents
                + ", skipped="
                + skipped
                + "}";
    }
}
