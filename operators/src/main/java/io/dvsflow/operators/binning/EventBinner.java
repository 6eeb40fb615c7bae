package io.dvsflow.operators.binning;

import io.dvsflow.operators.metrics.EventTimeLag;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import io.dvsflow.operators.types.StreamClock;
import io.dvsflow.schemas.EventPacket;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Bins a stream's events into aligned, half-open event-time windows {@code [k dt, (k + 1) dt)} and
 * emits one {@link ImageFrame} per window that received at least one event (see {@link
 * BinnerConfig} for windows, crop and downsampling, {@link FrameKind} for the frame contents).
 *
 * <p><b>Input</b>: {@link EventPacket}s keyed by stream id (use {@code StreamIdKeySelector}), with
 * Flink timestamps and watermarks in µs of event time. A packet may span several windows and events
 * of one packet may be out of order.
 *
 * <p><b>Emission</b>: each stream runs on its own clock ({@link StreamClock}): a window {@code [s,
 * e)} is emitted once the stream's largest event time minus the tolerated disorder reaches {@code e
 * - 1}, at the end of the input (the final watermark {@code Long.MAX_VALUE}), or when the stream
 * has been silent for the idle time (wall clock). The job's watermark does not emit windows: a
 * stream may run far behind it (cameras start their clocks independently; a file source reads the
 * recordings of a reader one after another, each from its own time zero). An empty packet (the file
 * source's end-of-stream marker) emits the stream's open windows and drops its state at once.
 * Windows without events emit nothing.
 *
 * <p><b>State</b> (per stream): one map entry per open window ({@code windowStart ->} frame and
 * event count, or for {@link FrameKind#VOXEL} the window's events in output coordinates), the
 * stream clock, one end-of-input timer and one idle timer. At the end of the input and after the
 * idle time the open windows are emitted and the key's state is dropped, so the key then holds no
 * state and no timers.
 *
 * <p><b>Late events</b>: an event whose window has already been emitted (or lies before one that
 * was) is not binned; it goes, in its original coordinates, to the side output {@link #LATE_EVENTS}
 * (one packet per input packet that had late events) and is counted by the metric {@code
 * lateEvents}. Events outside the sensor (or with timestamps above {@code Long.MAX_VALUE - dt}) are
 * dropped and counted by {@code invalidEvents}; events outside the crop are excluded by design.
 *
 * <p><b>Determinism</b>: the frame of a window depends only on the stream's own events, in their
 * arrival order; how they were split into packets, how streams interleave and the replay speed do
 * not matter.
 */
public final class EventBinner extends KeyedProcessFunction<String, EventPacket, ImageFrame>
        implements ResultTypeQueryable<ImageFrame> {

    private static final long serialVersionUID = 1L;

    /** Side output of late events (their windows were already emitted). */
    public static final OutputTag<EventPacket> LATE_EVENTS =
            new OutputTag<>("binner-late-events", EventPacketTypeInfo.INSTANCE);

    private static final MapStateDescriptor<Long, float[]> FRAMES =
            new MapStateDescriptor<>(
                    "binner-frames",
                    Types.LONG,
                    PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final MapStateDescriptor<Long, Long> COUNTS =
            new MapStateDescriptor<>("binner-counts", Types.LONG, Types.LONG);
    private static final MapStateDescriptor<Long, EventPacket> EVENTS =
            new MapStateDescriptor<>("binner-events", Types.LONG, EventPacketTypeInfo.INSTANCE);

    private static final ValueStateDescriptor<long[]> CLOCK =
            new ValueStateDescriptor<>(
                    "binner-clock", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final int INITIAL_WINDOW_EVENTS = 1024;

    private final BinnerConfig config;
    private final StreamClock.Settings clockSettings;

    private transient WindowAccumulator accumulator;
    private transient MapState<Long, float[]> frames;
    private transient MapState<Long, Long> counts;
    private transient MapState<Long, EventPacket> events;
    private transient ValueState<long[]> clock;
    private transient Counter lateEvents;
    private transient Counter eventsIn;
    private transient EventTimeLag lag;
    private transient Counter invalidEvents;
    private transient Counter framesEmitted;

    /** A binner with the given settings and the default {@link StreamClock.Settings}. */
    public EventBinner(BinnerConfig config) {
        this(config, StreamClock.Settings.DEFAULT);
    }

    /** A binner with the given settings and stream clock settings. */
    public EventBinner(BinnerConfig config, StreamClock.Settings clockSettings) {
        this.config = Objects.requireNonNull(config, "config");
        this.clockSettings = Objects.requireNonNull(clockSettings, "clockSettings");
    }

    @Override
    public void open(OpenContext openContext) {
        accumulator = new WindowAccumulator(config);
        frames = getRuntimeContext().getMapState(FRAMES);
        counts = getRuntimeContext().getMapState(COUNTS);
        events = getRuntimeContext().getMapState(EVENTS);
        clock = getRuntimeContext().getState(CLOCK);
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        lag = new EventTimeLag(getRuntimeContext().getMetricGroup());
        invalidEvents = getRuntimeContext().getMetricGroup().counter("invalidEvents");
        framesEmitted = getRuntimeContext().getMetricGroup().counter("framesEmitted");
    }

    @Override
    public void processElement(EventPacket packet, Context ctx, Collector<ImageFrame> out)
            throws Exception {
        final WindowAccumulator acc = accumulator;
        final boolean voxel = config.kind() == FrameKind.VOXEL;
        final long dt = acc.windowUs();
        final long watermark = ctx.timerService().currentWatermark();
        final int n = packet.size();
        if (n == 0) {
            endOfStream(ctx, out);
            return;
        }
        if (n > 0) {
            eventsIn.inc(n);
            lag.observe(packet.streamId(), packet.lastTimestamp(), watermark);
        }
        final long[] t = packet.timestamps();
        final short[] xs = packet.xs();
        final short[] ys = packet.ys();
        final byte[] ps = packet.polarities();

        long[] c0 = clock.value();
        final long[] clk = c0 == null ? StreamClock.fresh() : c0;
        final long openFrom = clk[StreamClock.OPEN_FROM];
        final long before = clk[StreamClock.MAX_TIME];
        long maxTime = before;
        Map<Long, OpenWindow> touched = new HashMap<>();
        OpenWindow current = null;
        long currentStart = 0;
        EventPacket late = null;
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            long ti = t[i];
            int pixel = acc.pixel(xs[i], ys[i]);
            if (ti > maxTime && acc.validTimestamp(ti)) {
                maxTime = ti;
            }
            if (pixel < 0 || !acc.validTimestamp(ti)) {
                if (pixel != WindowAccumulator.EXCLUDED) {
                    invalid++;
                }
                continue;
            }
            // one 64-bit division per window change, not per event
            if (current == null || ti < currentStart || ti - currentStart >= dt) {
                long start = acc.windowStart(ti);
                if (start < openFrom) {
                    if (late == null) {
                        late =
                                new EventPacket(
                                        packet.streamId(), packet.width(), packet.height(), 16);
                    }
                    late.add(ti, xs[i], ys[i], ps[i]);
                    continue;
                }
                current = touched.get(start);
                if (current == null) {
                    current = load(start, ctx, voxel);
                    touched.put(start, current);
                }
                currentStart = start;
            }
            current.count++;
            if (voxel) {
                current.events.add(ti, acc.outputX(xs[i]), acc.outputY(ys[i]), ps[i]);
            } else {
                acc.add(current.frame, pixel, ps[i]);
            }
        }
        for (Map.Entry<Long, OpenWindow> e : touched.entrySet()) {
            OpenWindow w = e.getValue();
            if (voxel) {
                events.put(e.getKey(), w.events);
            } else {
                frames.put(e.getKey(), w.frame);
                counts.put(e.getKey(), w.count);
            }
        }
        if (late != null) {
            lateEvents.inc(late.size());
            ctx.output(LATE_EVENTS, late);
        }
        if (invalid > 0) {
            invalidEvents.inc(invalid);
        }
        if (maxTime != before) {
            long limit =
                    StreamClock.advance(
                            clk, before, maxTime, dt, ctx.timerService(), clockSettings);
            clock.update(clk);
            if (limit != Long.MIN_VALUE) {
                emitUpTo(limit, ctx, out);
            }
        }
    }

    /**
     * Closes the stream (its end-of-stream marker, the end of the input, or idleness): emits what
     * is open and drops the key.
     */
    private void endOfStream(Context ctx, Collector<ImageFrame> out) throws Exception {
        emitUpTo(Long.MAX_VALUE, ctx, out);
        StreamClock.release(clock.value(), ctx.timerService());
        frames.clear();
        counts.clear();
        events.clear();
        clock.clear();
    }

    /** Emits, in event-time order, every open window ending at or before {@code limit} (µs). */
    private void emitUpTo(long limit, Context ctx, Collector<ImageFrame> out) throws Exception {
        long dt = accumulator.windowUs();
        TreeSet<Long> due = new TreeSet<>();
        Iterable<Long> open = config.kind() == FrameKind.VOXEL ? events.keys() : frames.keys();
        for (Long start : open) {
            if (start + dt - 1 <= limit) {
                due.add(start);
            }
        }
        for (Long start : due) {
            emit(start, ctx, out);
        }
    }

    private OpenWindow load(long start, Context ctx, boolean voxel) throws Exception {
        OpenWindow w = new OpenWindow();
        if (voxel) {
            w.events = events.get(start);
            if (w.events == null) {
                w.events =
                        new EventPacket(
                                ctx.getCurrentKey(),
                                config.outputWidth(),
                                config.outputHeight(),
                                INITIAL_WINDOW_EVENTS);
                ctx.timerService().registerEventTimeTimer(StreamClock.END_OF_INPUT);
            }
            w.count = w.events.size();
        } else {
            w.frame = frames.get(start);
            if (w.frame == null) {
                w.frame = new float[accumulator.frameLength()];
                ctx.timerService().registerEventTimeTimer(StreamClock.END_OF_INPUT);
            } else {
                Long c = counts.get(start);
                w.count = c == null ? 0 : c;
            }
        }
        return w;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ImageFrame> out)
            throws Exception {
        long[] clk = clock.value();
        switch (StreamClock.classify(
                clk, timestamp, ctx.timeDomain(), ctx.timerService(), clockSettings)) {
            case KEEP -> {
                if (clk != null) {
                    clock.update(clk);
                }
            }
            case OTHER -> emitUpTo(timestamp, ctx, out); // a window timer of an older job
            case CLOSE -> endOfStream(ctx, out); // end of the input, or an idle stream
        }
    }

    private void emit(long start, Context ctx, Collector<ImageFrame> out) throws Exception {
        long dt = accumulator.windowUs();
        float[] pixels;
        long count;
        if (config.kind() == FrameKind.VOXEL) {
            EventPacket windowEvents = events.get(start);
            if (windowEvents == null) {
                return;
            }
            pixels = accumulator.voxelGrid(windowEvents);
            count = windowEvents.size();
            events.remove(start);
        } else {
            pixels = frames.get(start);
            if (pixels == null) {
                return;
            }
            Long c = counts.get(start);
            count = c == null ? 0 : c;
            frames.remove(start);
            counts.remove(start);
        }
        out.collect(
                new ImageFrame(
                        ctx.getCurrentKey(),
                        start,
                        start + dt,
                        config.outputWidth(),
                        config.outputHeight(),
                        config.channels(),
                        pixels,
                        config.kind().wireName(),
                        count));
        framesEmitted.inc();
        long[] clk = clock.value();
        if (clk != null && clk[StreamClock.OPEN_FROM] < start + dt) {
            clk[StreamClock.OPEN_FROM] = start + dt;
            clock.update(clk);
        }
    }

    @Override
    public TypeInformation<ImageFrame> getProducedType() {
        return ImageFrameTypeInfo.INSTANCE;
    }

    /** A window touched by the packet being processed. */
    private static final class OpenWindow {
        float[] frame;
        EventPacket events;
        long count;
    }
}
