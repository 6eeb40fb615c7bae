package io.dvsflow.jobs.naturalize;

import io.dvsflow.operators.vdib.VdibDecoderFunction;
import java.util.Map;
import java.util.TreeMap;

/**
 * Percentiles of the event-to-image latency from the job accumulator {@link
 * VdibDecoderFunction#LATENCY_ACCUMULATOR} (counts per 100 µs bucket; see {@link
 * VdibDecoderFunction} for what the latency measures).
 */
public final class LatencyHistogram {

    private LatencyHistogram() {}

    /**
     * The {@code q}-quantile in milliseconds (upper edge of the bucket holding it, nearest-rank),
     * or NaN for an empty histogram.
     */
    public static double quantileMs(Map<Integer, Integer> buckets, double q) {
        long total = 0;
        for (int c : buckets.values()) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(buckets).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return (e.getKey() + 1) / 10.0;
            }
        }
        return Double.NaN;
    }
}
