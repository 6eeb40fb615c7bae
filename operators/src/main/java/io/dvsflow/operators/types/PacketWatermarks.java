package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermark strategy for packet streams, in the time unit of the data: <b>Flink timestamps and
 * watermarks of dvsflow packet streams are microseconds of event time</b>, the unit of {@link
 * EventPacket#timestamps()}. The operators compare event timestamps with the watermark directly.
 *
 * <p>The record timestamp of a packet is its last event's timestamp ({@link
 * EventPacket#lastTimestamp()}; an empty packet keeps the previous timestamp). The watermark is
 * {@code maxTimestamp - maxDisorder - 1} (µs), emitted periodically, so an event {@code t} counts
 * as late once some packet carried a timestamp above {@code t + maxDisorder}. Idleness is
 * wall-clock time, as in Flink's {@link WatermarkStrategy#withIdleness}.
 *
 * <pre>{@code
 * stream.assignTimestampsAndWatermarks(
 *         PacketWatermarks.boundedDisorder(Duration.ofMillis(5), Duration.ofSeconds(10)));
 * }</pre>
 */
public final class PacketWatermarks {

    private PacketWatermarks() {}

    /**
     * A strategy tolerating {@code maxDisorder} of event time between packets of one source split.
     *
     * @param maxDisorder event-time disorder tolerated (>= 0; truncated to whole µs)
     * @param idleness wall-clock time after which a silent split stops holding back the watermark
     */
    public static WatermarkStrategy<EventPacket> boundedDisorder(
            Duration maxDisorder, Duration idleness) {
        if (maxDisorder.isNegative()) {
            throw new IllegalArgumentException("maxDisorder must be >= 0, was " + maxDisorder);
        }
        long disorderUs = maxDisorder.toNanos() / 1_000L;
        WatermarkStrategy<EventPacket> strategy =
                WatermarkStrategy.<EventPacket>forGenerator(
                                ctx -> new BoundedDisorderGenerator(disorderUs))
                        .withTimestampAssigner(
                                (packet, previous) ->
                                        packet.isEmpty() ? previous : packet.lastTimestamp());
        return strategy.withIdleness(idleness);
    }

    /** Emits {@code max - disorder - 1}, never moving backwards. */
    static final class BoundedDisorderGenerator implements WatermarkGenerator<EventPacket> {
        private final long disorderUs;
        private long maxTimestamp;

        BoundedDisorderGenerator(long disorderUs) {
            this.disorderUs = disorderUs;
            this.maxTimestamp = Long.MIN_VALUE + disorderUs + 1;
        }

        @Override
        public void onEvent(EventPacket packet, long timestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTimestamp - disorderUs - 1));
        }
    }
}
