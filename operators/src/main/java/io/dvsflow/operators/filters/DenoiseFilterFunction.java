package io.dvsflow.operators.filters;

import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.StreamClock;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
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
 * <p><b>State</b> (per stream): the filter's per-pixel timestamp map ({@code long[W * H]}) and the
 * stream's clock ({@link StreamClock}). The state is dropped at the end of the input (the final
 * watermark) and after the stream's idle time (wall clock, one processing-time timer per key), so
 * the end of the input leaves no state and no timers. The job's watermark does not drop it: a
 * stream may run far behind it (a file source reads recordings one after another), and forgetting
 * the map mid-stream would change the filter's decisions.
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
    private static final ValueStateDescriptor<long[]> CLOCK =
            new ValueStateDescriptor<>(
                    "denoise-clock", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private final PacketFilter filter;
    private final StreamClock.Settings clockSettings;

    private transient ValueState<long[]> lastTimestamps;
    private transient ValueState<long[]> clock;
    private transient Counter eventsIn;
    private transient Counter eventsDropped;

    /** Runs {@code filter}. */
    public DenoiseFilterFunction(PacketFilter filter) {
        this(filter, StreamClock.Settings.DEFAULT);
    }

    /** Runs {@code filter} with the given stream clock settings (idle time). */
    public DenoiseFilterFunction(PacketFilter filter, StreamClock.Settings clockSettings) {
        this.filter = Objects.requireNonNull(filter, "filter");
        this.clockSettings = Objects.requireNonNull(clockSettings, "clockSettings");
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
        clock = getRuntimeContext().getState(CLOCK);
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        eventsDropped = getRuntimeContext().getMetricGroup().counter("eventsDropped");
    }

    @Override
    public void processElement(EventPacket packet, Context ctx, Collector<EventPacket> out)
            throws Exception {
        int n = packet.size();
        if (n == 0) {
            // the end-of-stream marker: pass it on, drop the key's state
            dropKey(ctx.timerService());
            out.collect(packet);
            return;
        }
        long[] map = lastTimestamps.value();
        if (map == null) {
            map = filter.newTimestampMap();
        }
        EventPacket kept = new EventPacket(packet.streamId(), packet.width(), packet.height(), n);
        filter.filter(packet, map, kept);
        lastTimestamps.update(map);

        long[] clk = clock.value();
        if (clk == null) {
            clk = StreamClock.fresh();
            ctx.timerService().registerEventTimeTimer(StreamClock.END_OF_INPUT);
        }
        StreamClock.touch(clk, ctx.timerService(), clockSettings);
        clock.update(clk);

        eventsIn.inc(n);
        eventsDropped.inc(n - kept.size());
        if (!kept.isEmpty()) {
            out.collect(kept);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EventPacket> out)
            throws Exception {
        long[] clk = clock.value();
        switch (StreamClock.classify(
                clk, timestamp, ctx.timeDomain(), ctx.timerService(), clockSettings)) {
            case KEEP -> {
                if (clk != null) {
                    clock.update(clk);
                }
            }
            case OTHER -> {} // a cleanup timer of an older job
            case CLOSE -> dropKey(ctx.timerService());
        }
    }

    private void dropKey(TimerService timers) throws Exception {
        StreamClock.release(clock.value(), timers);
        lastTimestamps.clear();
        clock.clear();
    }

    @Override
    public TypeInformation<EventPacket> getProducedType() {
        return EventPacketTypeInfo.INSTANCE;
    }
}
