package io.dvsflow.operators.naturalize;

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
 * Turns a stream's events into images without learning: direct integration or the high-pass filter
 * of Scheerlinck et al. (ACCV 2018), see {@link NaturalizerConfig} and {@link HighPassIntegrator}
 * for the equations.
 *
 * <p><b>Input</b>: {@link EventPacket}s keyed by stream id, Flink time in µs of event time.
 * <b>Output</b>: one single-channel {@link ImageFrame} of the sensor size per aligned window {@code
 * [k dt, (k + 1) dt)} that received at least one event, emitted when the stream's own clock passes
 * the window end minus one ({@link StreamClock}: the stream's largest event time minus the
 * tolerated disorder), at the end of the input, or after the stream's idle time; the image is the
 * filter state at the window end (decay applied to every pixel). {@code kind} is {@code integrate}
 * or {@code highpass}, {@code eventCount} the window's events. Windows without events emit nothing;
 * the next emitted image includes the decay across the gap, unless the stream was silent for the
 * state retention ({@link NaturalizerConfig#stateRetention()}, stream time): then it starts from a
 * zero image.
 *
 * <p><b>State</b> (per stream): per open window a delta image and an event count (map state); the
 * image and the time it refers to; the stream clock. An empty packet (the file source's
 * end-of-stream marker) emits the open windows and drops the key's state at once. At the end of the
 * input and after the idle time (wall clock, one processing-time timer per key) the open windows
 * are emitted and the key's state is dropped, so after the end of the stream the key holds no state
 * and no timers.
 *
 * <p><b>Late events</b> (window already emitted, or older than one that was) go to {@link
 * #LATE_EVENTS} and the counter {@code lateEvents}; events outside the sensor are dropped and
 * counted by {@code invalidEvents}.
 */
public final class NaturalizerFunction extends KeyedProcessFunction<String, EventPacket, ImageFrame>
        implements ResultTypeQueryable<ImageFrame> {

    private static final long serialVersionUID = 1L;

    /** Side output of late events. */
    public static final OutputTag<EventPacket> LATE_EVENTS =
            new OutputTag<>("naturalizer-late-events", EventPacketTypeInfo.INSTANCE);

    private static final MapStateDescriptor<Long, float[]> DELTAS =
            new MapStateDescriptor<>(
                    "naturalizer-deltas",
                    Types.LONG,
                    PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final MapStateDescriptor<Long, Long> COUNTS =
            new MapStateDescriptor<>("naturalizer-counts", Types.LONG, Types.LONG);
    private static final ValueStateDescriptor<float[]> IMAGE =
            new ValueStateDescriptor<>(
                    "naturalizer-image", PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final ValueStateDescriptor<Long> IMAGE_TIME =
            new ValueStateDescriptor<>("naturalizer-image-time", Types.LONG);
    private static final ValueStateDescriptor<long[]> CLOCK =
            new ValueStateDescriptor<>(
                    "naturalizer-clock", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private final NaturalizerConfig config;
    private final StreamClock.Settings clockSettings;

    private transient HighPassIntegrator integrator;
    private transient long windowUs;
    private transient MapState<Long, float[]> deltas;
    private transient MapState<Long, Long> counts;
    private transient ValueState<float[]> image;
    private transient ValueState<Long> imageTime;
    private transient ValueState<long[]> clock;
    private transient Counter lateEvents;
    private transient Counter eventsIn;
    private transient EventTimeLag lag;
    private transient Counter invalidEvents;
    private transient Counter framesEmitted;

    /** A naturalizer with the given settings and the default {@link StreamClock.Settings}. */
    public NaturalizerFunction(NaturalizerConfig config) {
        this(config, StreamClock.Settings.DEFAULT);
    }

    /** A naturalizer with the given settings and stream clock settings. */
    public NaturalizerFunction(NaturalizerConfig config, StreamClock.Settings clockSettings) {
        this.config = Objects.requireNonNull(config, "config");
        this.clockSettings = Objects.requireNonNull(clockSettings, "clockSettings");
    }

    @Override
    public void open(OpenContext openContext) {
        integrator = new HighPassIntegrator(config);
        windowUs = config.windowUs();
        deltas = getRuntimeContext().getMapState(DELTAS);
        counts = getRuntimeContext().getMapState(COUNTS);
        image = getRuntimeContext().getState(IMAGE);
        imageTime = getRuntimeContext().getState(IMAGE_TIME);
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
        final HighPassIntegrator hpf = integrator;
        final long dt = windowUs;
        final long lastValid = Long.MAX_VALUE - dt;
        final long watermark = ctx.timerService().currentWatermark();
        final int n = packet.size();
        if (n == 0) {
            closeStream(ctx, out); // the end-of-stream marker
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
        Map<Long, float[]> touched = new HashMap<>();
        Map<Long, long[]> touchedCounts = new HashMap<>();
        float[] current = null;
        long[] currentCount = null;
        long currentStart = 0;
        EventPacket late = null;
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            long ti = t[i];
            int pixel = hpf.pixel(xs[i], ys[i]);
            if (pixel < 0 || ti > lastValid) {
                invalid++;
                continue;
            }
            if (ti > maxTime) {
                maxTime = ti;
            }
            long start = Math.floorDiv(ti, dt) * dt;
            if (current == null || start != currentStart) {
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
                    current = deltas.get(start);
                    Long c = null;
                    if (current == null) {
                        current = new float[hpf.pixels()];
                        ctx.timerService().registerEventTimeTimer(StreamClock.END_OF_INPUT);
                    } else {
                        c = counts.get(start);
                    }
                    touched.put(start, current);
                    touchedCounts.put(start, new long[] {c == null ? 0 : c});
                }
                currentCount = touchedCounts.get(start);
                currentStart = start;
            }
            currentCount[0]++;
            hpf.accumulate(current, pixel, ps[i], ti, start + dt);
        }
        for (Map.Entry<Long, float[]> e : touched.entrySet()) {
            deltas.put(e.getKey(), e.getValue());
            counts.put(e.getKey(), touchedCounts.get(e.getKey())[0]);
        }
        if (late != null) {
            lateEvents.inc(late.size());
            ctx.output(LATE_EVENTS, late);
        }
        if (invalid > 0) {
            invalidEvents.inc(invalid);
        }
        if (n > 0) {
            long limit =
                    StreamClock.advance(
                            clk, before, maxTime, dt, ctx.timerService(), clockSettings);
            clock.update(clk);
            if (limit != Long.MIN_VALUE) {
                emitUpTo(limit, ctx, out);
            }
        }
    }

    /** Emits, in event-time order, every open window ending at or before {@code limit} (µs). */
    private void emitUpTo(long limit, Context ctx, Collector<ImageFrame> out) throws Exception {
        TreeSet<Long> due = new TreeSet<>();
        for (Long start : deltas.keys()) {
            if (start + windowUs - 1 <= limit) {
                due.add(start);
            }
        }
        for (Long start : due) {
            emit(start, deltas.get(start), ctx, out);
        }
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
            case OTHER -> {} // a window or cleanup timer of an older job
            case CLOSE -> closeStream(ctx, out); // end of the input, or an idle stream
        }
    }

    /** Emits what is open and drops the key (end of the stream, of the input, or idleness). */
    private void closeStream(Context ctx, Collector<ImageFrame> out) throws Exception {
        emitUpTo(Long.MAX_VALUE, ctx, out);
        StreamClock.release(clock.value(), ctx.timerService());
        deltas.clear();
        counts.clear();
        image.clear();
        imageTime.clear();
        clock.clear();
    }

    private void emit(long start, float[] delta, Context ctx, Collector<ImageFrame> out)
            throws Exception {
        long end = start + windowUs;
        float[] img = image.value();
        Long from = imageTime.value();
        long retention = config.retentionUs();
        if (img != null && from != null && start - from >= retention) {
            img = null; // silent for the retention time (stream time): start from a zero image
        }
        if (img == null) {
            img = new float[integrator.pixels()];
            from = end;
        }
        integrator.advance(img, from, end, delta);
        image.update(img);
        imageTime.update(end);
        Long c = counts.get(start);
        deltas.remove(start);
        counts.remove(start);
        framesEmitted.inc();
        out.collect(
                new ImageFrame(
                        ctx.getCurrentKey(),
                        start,
                        end,
                        config.sensorWidth(),
                        config.sensorHeight(),
                        1,
                        img.clone(),
                        config.kind(),
                        c == null ? 0 : c));

        long[] clk = clock.value();
        if (clk != null && clk[StreamClock.OPEN_FROM] < end) {
            clk[StreamClock.OPEN_FROM] = end;
            clock.update(clk);
        }
    }

    @Override
    public TypeInformation<ImageFrame> getProducedType() {
        return ImageFrameTypeInfo.INSTANCE;
    }
}
