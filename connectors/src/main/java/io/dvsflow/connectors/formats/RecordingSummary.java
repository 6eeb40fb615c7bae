package io.dvsflow.connectors.formats;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one pass over a recording finds: counts, time span and the coordinate bounds.
 *
 * @param info the header's information
 * @param events decoded events
 * @param onEvents decoded ON events
 * @param tFirstUs first timestamp (µs), {@code 0} when there is no event
 * @param tLastUs last timestamp (µs), {@code 0} when there is no event
 * @param maxX largest x seen, {@code -1} when there is no event
 * @param maxY largest y seen, {@code -1} when there is no event
 * @param backwardSteps events whose timestamp is smaller than the previous event's
 * @param skipped skipped items by reason (see {@link ReadStatistics})
 */
public record RecordingSummary(
        RecordingInfo info,
        long events,
        long onEvents,
        long tFirstUs,
        long tLastUs,
        int maxX,
        int maxY,
        long backwardSteps,
        Map<String, Long> skipped) {

    /** OFF events. */
    public long offEvents() {
        return events - onEvents;
    }

    /** Skipped items of all reasons. */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code tLastUs - tFirstUs} in µs. */
    public long durationUs() {
        return tLastUs - tFirstUs;
    }

    /** Mean event rate over the recording in events per second, {@code 0} when undefined. */
    public double meanRateHz() {
        return durationUs() > 0 ? events * 1e6 / durationUs() : 0.0;
    }

    /** Sensor width: the header's when known, else {@code maxX + 1}. */
    public int effectiveWidth() {
        return info.width() > 0 ? info.width() : maxX + 1;
    }

    /** Sensor height: the header's when known, else {@code maxY + 1}. */
    public int effectiveHeight() {
        return info.height() > 0 ? info.height() : maxY + 1;
    }

    /** Reads the whole recording once. */
    public static RecordingSummary scan(Path file, ReaderOptions options) throws IOException {
        try (EventReader reader = EventFormats.open(file, options)) {
            return scan(reader);
        }
    }

    /** Reads the rest of {@code reader} (without closing it). */
    public static RecordingSummary scan(EventReader reader) throws IOException {
        EventPacket packet = reader.newPacket();
        long events = 0;
        long on = 0;
        long first = 0;
        long last = 0;
        long previous = Long.MIN_VALUE;
        long backwards = 0;
        int maxX = -1;
        int maxY = -1;
        while (reader.read(packet)) {
            int n = packet.size();
            long[] t = packet.timestamps();
            short[] xs = packet.xs();
            short[] ys = packet.ys();
            byte[] ps = packet.polarities();
            if (events == 0) {
                first = t[0];
            }
            for (int i = 0; i < n; i++) {
                long ti = t[i];
                if (ti < previous) {
                    backwards++;
                }
                previous = ti;
                on += ps[i];
                maxX = Math.max(maxX, xs[i]);
                maxY = Math.max(maxY, ys[i]);
            }
            last = t[n - 1];
            events += n;
        }
        return new RecordingSummary(
                reader.info(),
                events,
                on,
                first,
                last,
                maxX,
                maxY,
                backwards,
                Map.copyOf(reader.statistics().skipped()));
    }
}
