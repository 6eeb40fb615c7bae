package io.dvsflow.operators.binning;

import io.dvsflow.operators.metrics.EventTimeLag;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import io.dvsflow.schemas.EventPacket;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * <p><b>Emission</b>: a window {@code [s, e)} is emitted by an event-time timer at {@code e - 1}
 * (Flink's window convention), i.e. as soon as the watermark reaches {@code e - 1}; the final
 * watermark {@code Long.MAX_VALUE} at the end of a bounded input flushes every open window. Windows
 * without events emit nothing.
 *
 * <p><b>State</b> (per stream): one map entry per open window ({@code windowStart ->} frame and
 * event count, or for {@link FrameKind#VOXEL} the window's events in output coordinates) and one
 * timer per open window. Emitting a window removes its entries, so once the watermark has passed
 * the last window the key holds no state and no timers.
 *
 * <p><b>Late events</b>: an event whose window would already have fired ({@code e - 1 <=
 * watermark}) is not binned; it goes, in its original coordinates, to the side output {@link
 * #LATE_EVENTS} (one packet per input packet that had late events) and is counted by the metric
 * {@code lateEvents}. Events outside the sensor (or with timestamps above {@code Long.MAX_VALUE -
 * dt}) are dropped and counted by {@code invalidEvents}; events outside the crop are excluded by
 * design.
 *
 * <p><b>Determinism</b>: the frame of a window depends only on which events arrived before its
 * timer fired, in their arrival order; how they were split into packets does not matter.
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

    private static final int INITIAL_WINDOW_EVENTS = 1024;

    private final BinnerConfig config;

    private transient WindowAccumulator accumulator;
    private transient MapState<Long, float[]> frames;
    private transient MapState<Long, Long> counts;
    private transient MapState<Long, EventPacket> events;
    private transient Counter lateEvents;
    private transient Counter eventsIn;
    private transient EventTimeLag lag;
    private transient Counter invalidEvents;
    private transient Counter framesEmitted;

    /** A binner with the given settings. */
    public EventBinner(BinnerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void open(OpenContext openContext) {
        accumulator = new WindowAccumulator(config);
        frames = getRuntimeContext().getMapState(FRAMES);
        counts = getRuntimeContext().getMapState(COUNTS);
        events = getRuntimeContext().getMapState(EVENTS);
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
        if (n > 0) {
            eventsIn.inc(n);
            lag.observe(packet.streamId(), packet.lastTimestamp(), watermark);
        }
        final long[] t = packet.timestamps();
        final short[] xs = packet.xs();
        final short[] ys = packet.ys();
        final byte[] ps = packet.polarities();

        Map<Long, OpenWindow> touched = new HashMap<>();
        OpenWindow current = null;
        long currentStart = 0;
        EventPacket late = null;
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            long ti = t[i];
            int pixel = acc.pixel(xs[i], ys[i]);
            if (pixel < 0 || !acc.validTimestamp(ti)) {
                if (pixel != WindowAccumulator.EXCLUDED) {
                    invalid++;
                }
                continue;
            }
            // one 64-bit division per window change, not per event
            if (current == null || ti < currentStart || ti - currentStart >= dt) {
                long start = acc.windowStart(ti);
                if (start + dt - 1 <= watermark) {
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
                ctx.timerService().registerEventTimeTimer(start + accumulator.windowUs() - 1);
            }
            w.count = w.events.size();
        } else {
            w.frame = frames.get(start);
            if (w.frame == null) {
                w.frame = new float[accumulator.frameLength()];
                ctx.timerService().registerEventTimeTimer(start + accumulator.windowUs() - 1);
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
        long dt = accumulator.windowUs();
        long start = timestamp + 1 - dt;
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
