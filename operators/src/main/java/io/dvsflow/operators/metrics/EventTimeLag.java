package io.dvsflow.operators.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-stream event-time lag gauges: for each stream id a subtask has seen, the gauge {@code
 * <operator>.stream.<id>.eventTimeLagUs} reports {@code t_latest - watermark} in µs, how far the
 * newest event of that stream is ahead of the operator's watermark (how much event time is
 * buffered, waiting for windows to close). A stream that stops sending keeps its last value.
 *
 * <p>At most {@link #MAX_STREAMS} streams get a gauge per subtask (bounding the metric registry).
 */
public final class EventTimeLag {

    /** Streams tracked per subtask. */
    public static final int MAX_STREAMS = 1024;

    private final MetricGroup group;
    private final Map<String, long[]> latest = new HashMap<>();
    private long watermark = Long.MIN_VALUE;

    public EventTimeLag(MetricGroup group) {
        this.group = group;
    }

    /** Records the newest event time of a stream and the operator's current watermark. */
    public void observe(String streamId, long latestEventUs, long currentWatermarkUs) {
        watermark = currentWatermarkUs;
        long[] cell = latest.get(streamId);
        if (cell == null) {
            if (latest.size() >= MAX_STREAMS) {
                return;
            }
            long[] fresh = {latestEventUs};
            latest.put(streamId, fresh);
            group.addGroup("stream", streamId)
                    .gauge("eventTimeLagUs", (Gauge<Long>) () -> lag(fresh[0]));
        } else if (latestEventUs > cell[0]) {
            cell[0] = latestEventUs;
        }
    }

    private long lag(long latestEventUs) {
        return watermark == Long.MIN_VALUE ? 0 : Math.max(0, latestEventUs - watermark);
    }

    /** The current lag of a stream in µs, or {@code -1} when it was never seen. */
    public long lagUs(String streamId) {
        long[] cell = latest.get(streamId);
        return cell == null ? -1 : lag(cell[0]);
    }
}
