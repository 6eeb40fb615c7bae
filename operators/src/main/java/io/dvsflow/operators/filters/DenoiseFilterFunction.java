package io.dvsflow.operators.filters;

import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs a {@link PacketFilter} per stream: packet in, packet out (input packets whose events are all
 * dropped produce no output). Use {@link #backgroundActivity} or {@link #refractory}; chain several
 * functions for several filters.
 *
 * <p><b>Input</b>: {@link EventPacket}s keyed by stream id, in event-time order per stream (the
 * filters are causal and see events in arrival order). <b>Output</b>: a new packet with the kept
 * events, same stream id and geometry, same record timestamp.
 *
 * <p><b>State</b> (per stream): the filter's per-pixel timestamp map ({@code long[W * H]}), the
 * latest event time seen, and one event-time cleanup timer at {@code latest + memory} (µs). When
 * the watermark passes it, every later on-time event lies beyond the filter's memory, so the state
 * is dropped without changing any decision; the final {@code Long.MAX_VALUE} watermark therefore
 * leaves no state and no timers.
 *
 * <p><b>Metrics</b>: {@code eventsIn}, {@code eventsDropped}. Events behind the watermark are
 * filtered like any other (late handling belongs to the windowed operators downstream).
 */
public final class DenoiseFilterFunction
        extends KeyedProcessFunction<String, EventPacket, EventPacket>
        implements ResultTypeQueryable<EventPacket> {

    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<long[]> LAST_TIMESTAMPS =
            new ValueStateDescriptor<>(
                    "denoise-last-timestamps",
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final ValueStateDescriptor<Long> LATEST =
            new ValueStateDescriptor<>("denoise-latest", Types.LONG);
    private static final ValueStateDescriptor<Long> CLEANUP_AT =
            new ValueStateDescriptor<>("denoise-cleanup-at", Types.LONG);

    private final PacketFilter filter;

    private transient ValueState<long[]> lastTimestamps;
    private transient ValueState<Long> latest;
    private transient ValueState<Long> cleanupAt;
    private transient Counter eventsIn;
    private transient Counter eventsDropped;

    /** Runs {@code filter}. */
    public DenoiseFilterFunction(PacketFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** A {@link BackgroundActivityFilter} with correlation time {@code window}. */
    public static DenoiseFilterFunction backgroundActivity(
            int sensorWidth, int sensorHeight, Duration window) {
        return new DenoiseFilterFunction(
                new BackgroundActivityFilter(sensorWidth, sensorHeight, window));
    }

    /** A {@link RefractoryFilter} with refractory period {@code period}. */
    public static DenoiseFilterFunction refractory(
            int sensorWidth, int sensorHeight, Duration period) {
        return new DenoiseFilterFunction(new RefractoryFilter(sensorWidth, sensorHeight, period));
    }

    @Override
    public void open(OpenContext openContext) {
        lastTimestamps = getRuntimeContext().getState(LAST_TIMESTAMPS);
        latest = getRuntimeContext().getState(LATEST);
        cleanupAt = getRuntimeContext().getState(CLEANUP_AT);
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        eventsDropped = getRuntimeContext().getMetricGroup().counter("eventsDropped");
    }

    @Override
    public void processElement(EventPacket packet, Context ctx, Collector<EventPacket> out)
            throws Exception {
        int n = packet.size();
        if (n == 0) {
            return;
        }
        long[] map = lastTimestamps.value();
        if (map == null) {
            map = filter.newTimestampMap();
        }
        EventPacket kept = new EventPacket(packet.streamId(), packet.width(), packet.height(), n);
        filter.filter(packet, map, kept);
        lastTimestamps.update(map);

        long packetMax = Long.MIN_VALUE;
        long[] t = packet.timestamps();
        for (int i = 0; i < n; i++) {
            packetMax = Math.max(packetMax, t[i]);
        }
        Long previous = latest.value();
        long newest = previous == null ? packetMax : Math.max(previous, packetMax);
        latest.update(newest);
        long memory = filter.memoryUs();
        long cleanup = newest > Long.MAX_VALUE - memory ? Long.MAX_VALUE : newest + memory;
        Long oldCleanup = cleanupAt.value();
        if (oldCleanup == null || oldCleanup != cleanup) {
            if (oldCleanup != null) {
                ctx.timerService().deleteEventTimeTimer(oldCleanup);
            }
            ctx.timerService().registerEventTimeTimer(cleanup);
            cleanupAt.update(cleanup);
        }

        eventsIn.inc(n);
        eventsDropped.inc(n - kept.size());
        if (!kept.isEmpty()) {
            out.collect(kept);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EventPacket> out)
            throws Exception {
        Long cleanup = cleanupAt.value();
        if (cleanup != null && cleanup == timestamp) {
            lastTimestamps.clear();
            latest.clear();
            cleanupAt.clear();
        }
    }

    @Override
    public TypeInformation<EventPacket> getProducedType() {
        return EventPacketTypeInfo.INSTANCE;
    }
}
