package io.dvsflow.operators.vdib;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.ReadoutWindow;
import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.PathwiseHistory;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.metrics.SpikeStatistics;
import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import io.dvsflow.schemas.EventPacket;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The spiking encoder of the VDIB naturalizer as a keyed streaming operator: per stream (key) it
 * bins the events into binary windows, steps the {@link SnnEncoder} once per window in event-time
 * order, and emits the readout spikes as {@link SpikeWindow}s.
 *
 * <p><b>Inputs.</b> Keyed input ({@link #INPUT_TYPE}, key {@link InputKey}): {@code Either.Left}
 * event packets (Flink timestamps and watermarks in µs of event time) and, when learning, {@code
 * Either.Right} reference images (kind {@code target}, the decoder's output size, pixels in [0, 1],
 * applied to the window containing their {@code windowStartUs}). Broadcast input: {@code
 * ModelSnapshot}s as single-object encoded bytes ({@code ModelSnapshots.toBytes}); models pass
 * {@link ModelGate}'s policy (bad models are rejected with a log line and the {@code
 * modelsRejected} metric, the operator keeps its model). With a {@link VdibSettings#channelId()},
 * the in-process {@link ModelChannel} is polled before every window too.
 *
 * <p><b>Binning</b> (the model defines it, {@link VdibModel}): window {@code [k dt, (k + 1) dt)},
 * {@code k = floorDiv(t, dt)}, {@code dt = model.dtUs()} (aligned to event time zero, as the
 * binner; the offline trainer aligns to each recording's first event, a shift of less than one
 * window); input index {@code c H W + (y - cropY) W + (x - cropX)}, {@code c} = polarity (0 OFF, 1
 * ON); events outside the crop are ignored; a window's input is binary (distinct active indices).
 * Pending windows are kept as bit sets ({@code 2 + ceil(2 H W / 64)} longs) in state. Cost per
 * window: {@code O(events + active inputs x N_H)} (the encoder walks only active inputs).
 *
 * <p><b>Each stream has its own clock.</b> A window {@code [s, e)} is stepped once its own stream
 * has an event later than {@code e - 1 + streamDisorderUs} ({@link
 * VdibSettings#streamDisorderUs()}, the stream watermark), when the input ends (the final watermark
 * {@code Long.MAX_VALUE}), or when the stream has been silent for the idle time ({@link
 * VdibSettings#retentionUs()}, wall clock). The job's watermark does not step windows: cameras
 * start their clocks independently, and a file source reads recordings one after another, so a
 * stream may run far behind the job's watermark (measured: 128 recordings on parallelism 2 lost 44
 * % of their events to lateness when windows fired on the job's watermark). Windows are stepped
 * strictly in event-time order per stream; an event whose window was already stepped is dropped and
 * counted ({@code lateEvents}). Results depend only on each stream's own packet sequence, never on
 * how streams interleave or on replay speed.
 *
 * <p><b>Steps.</b> When window {@code S} fires, the windows without events since the stream's last
 * stepped window are stepped with no input first (each gives a {@code SpikeWindow} with {@code
 * eventCount = 0}), at most {@link VdibSettings#maxGapSteps()}; a longer gap resets the stream's
 * state (new sequence, generator reseeded with {@code streamSeed + S}). Model weights switch only
 * between windows; the version used is stamped on each {@code SpikeWindow} and published as the
 * gauge {@code modelVersion}. In learning mode the hidden layers' stages are resynchronised to the
 * new weights ({@code SnnEncoder.resynchronize}) when a stream first steps with a new version; in
 * inference mode (no input traces kept) the old weights' contribution decays within a few time
 * constants.
 *
 * <p><b>Keyed state</b> (all checkpointed): pending window bit sets; the {@link EncoderState} bytes
 * (membranes, synaptic and refractory traces, readout kernel histories, random generator state);
 * progress (next window, model version of the state, largest event time, idle timer, learning
 * sums); when learning, the eligibility accumulators {@code g} (the per-key {@link
 * EncoderGradients}), the readout ring of the last {@code tau_d} spike vectors, the pathwise
 * history (pathwise estimator) and pending references. <b>Cleanup</b>: at the end of the input, and
 * after the idle time without input (one processing-time timer per key, counted by {@code
 * streamsIdled}), all of the key's state is dropped; a stream that resumes later restarts from a
 * zero state.
 *
 * <p><b>Learning.</b> With {@link VdibSettings#learn()}, when a reference image's window fires, the
 * model's decoder decodes the key's readout window, its BCE against the reference gives {@code
 * l_dec} and the decoder gradients (backprop), and a {@link GradientSample} with the key's encoder
 * accumulator {@code g} goes to the side output {@link #GRADIENTS}; {@code g} is then cleared. With
 * {@link GradientEstimator#REINFORCE} every step adds {@code VdibLearner.accumulate} (the score
 * function) to {@code g}; the global baselines live in {@link VdibLearnerFunction}. With {@link
 * GradientEstimator#PATHWISE} (the default) every step adds the KL part of the pathwise gradient
 * ({@code VdibLearner.accumulatePathwise} without a decoder gradient) and is recorded in the key's
 * {@link PathwiseHistory} (the last {@code tau_d} steps, keyed state); at the reference the
 * decoder's gradient with respect to its input window is back-propagated and its part is replayed
 * from the history ({@code VdibLearner.accumulateDecoderPathwise}), which equals what the offline
 * trainer computes. Adam lives in {@link VdibLearnerFunction}. The loop back (learner -> model
 * stream or channel -> this operator) is asynchronous: which window first runs on a new version
 * depends on timing, so two learning runs over the same input are not bit-identical (inference runs
 * are, also across restores); a reference that arrives after its window was stepped is rejected
 * ({@code referencesRejected}).
 *
 * <p><b>Metrics</b>: {@code modelVersion}, {@code modelsApplied}, {@code modelsRejected}, {@code
 * windowsStepped}, {@code lateEvents}, {@code stateResets}, {@code streamsIdled}, {@code
 * referencesUsed}, {@code referencesRejected}; per block of {@link VdibSettings#statsSteps()} steps
 * ({@link SpikeStatistics}, all keys of the subtask together): {@code spikeRate} (readout spikes
 * per neuron per step), and per layer {@code hidden<l>} / {@code readout} the gauges {@code
 * activeRatio} (ANR), {@code burstingRatio} (neurons firing in at least {@code burstThreshold} of
 * the steps) and {@code meanRate}.
 */
public final class LifEncoderFunction
        extends KeyedBroadcastProcessFunction<
                String, Either<EventPacket, ImageFrame>, byte[], SpikeWindow>
        implements ResultTypeQueryable<SpikeWindow> {

    private static final long serialVersionUID = 1L;

    /** Type of the keyed input: packets (left) or reference images (right). */
    public static final TypeInformation<Either<EventPacket, ImageFrame>> INPUT_TYPE =
            new EitherTypeInfo<>(EventPacketTypeInfo.INSTANCE, ImageFrameTypeInfo.INSTANCE);

    /** Broadcast state holding the last model accepted from the model stream. */
    public static final MapStateDescriptor<String, byte[]> MODEL_STATE =
            new MapStateDescriptor<>(
                    "vdib-model",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Side output of {@link GradientSample#toBytes()} records (learning mode). */
    public static final OutputTag<byte[]> GRADIENTS =
            new OutputTag<>(
                    "vdib-gradients", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    static final String MODEL_KEY = "model";

    /** Event-time timer that steps a stream's pending windows when the input ends. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    /** Job accumulator: events dropped because their window had already been stepped. */
    public static final String LATE_EVENTS_ACCUMULATOR = "vdibLateEvents";

    private static final int P_NEXT = 0;
    private static final int P_VERSION = 1;
    private static final int P_CLEANUP = 2;
    private static final int P_KL = 3;
    private static final int P_STEPS = 4;
    private static final int P_MAX_TIME = 5;
    private static final int P_SEEN = 6;
    private static final int P_LENGTH = 7;

    /** The key of both input kinds: the stream id. */
    public static final class InputKey
            implements KeySelector<Either<EventPacket, ImageFrame>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Either<EventPacket, ImageFrame> value) {
            return value.isLeft() ? value.left().streamId() : value.right().streamId();
        }
    }

    private final byte[] initialModel;
    private final VdibSettings settings;

    private transient ModelGate gate;
    private transient ModelChannel channel;
    private transient boolean broadcastChecked;
    private transient MapState<Long, long[]> pending;
    private transient MapState<Long, float[]> references;
    private transient ValueState<byte[]> encoderState;
    private transient ValueState<long[]> progress;
    private transient ValueState<float[]> eligibility;
    private transient ValueState<long[]> ring;
    private transient ValueState<float[]> history;

    // per model version
    private transient long scratchVersion;
    private transient int[] active;
    private transient VdibLearner learner;
    private transient EncoderGradients grads;
    private transient boolean pathwise;
    private transient PathwiseHistory pathwiseHistory;
    private transient float[] inputGrad;
    private transient float[] windowGrad;
    private transient ReadoutWindow window;
    private transient float[] readoutVector;
    private transient float[] decoderInput;
    private transient float[] decoded;

    // statistics
    private transient int[][] blockCounts;
    private transient int blockSteps;
    private transient double[] activeRatio;
    private transient double[] burstingRatio;
    private transient double[] meanRate;

    private transient Counter windowsStepped;
    private transient Counter lateEvents;
    private transient org.apache.flink.api.common.accumulators.LongCounter lateAccumulator;
    private transient Counter stateResets;
    private transient Counter streamsIdled;
    private transient Counter referencesUsed;
    private transient Counter referencesRejected;

    /**
     * An encoder starting with {@code initialModel}.
     *
     * @param initialModel single-object encoded VDIB {@code ModelSnapshot} (DVS input)
     * @param settings operator settings
     * @throws io.dvsflow.models.snapshot.InvalidSnapshotException if the model is not usable
     */
    public LifEncoderFunction(byte[] initialModel, VdibSettings settings) {
        this.initialModel = Objects.requireNonNull(initialModel, "initialModel");
        this.settings = Objects.requireNonNull(settings, "settings");
        ModelGate.decode(initialModel, false); // fail fast on the client
    }

    @Override
    public void open(OpenContext openContext) {
        gate = new ModelGate("lif-encoder", settings.learn(), true);
        MetricGroup g = getRuntimeContext().getMetricGroup();
        gate.registerMetrics(g);
        if (!gate.offer(initialModel, "job start")) {
            throw new IllegalStateException("the initial model was rejected (see the log)");
        }
        channel = settings.channelId() == null ? null : ModelChannel.named(settings.channelId());
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "vdib-pending",
                                        Types.LONG,
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        references =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "vdib-references",
                                        Types.LONG,
                                        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        encoderState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-encoder-state",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        progress =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-progress",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        eligibility =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-eligibility",
                                        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        ring =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-readout-ring",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        history =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-pathwise-history",
                                        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        windowsStepped = g.counter("windowsStepped");
        lateEvents = g.counter("lateEvents");
        lateAccumulator = new org.apache.flink.api.common.accumulators.LongCounter();
        getRuntimeContext().addAccumulator(LATE_EVENTS_ACCUMULATOR, lateAccumulator);
        stateResets = g.counter("stateResets");
        streamsIdled = g.counter("streamsIdled");
        referencesUsed = g.counter("referencesUsed");
        referencesRejected = g.counter("referencesRejected");
        SnnEncoder enc = gate.current().model().encoder();
        int layers = enc.hiddenLayers() + 1;
        blockCounts = new int[layers][];
        activeRatio = new double[layers];
        burstingRatio = new double[layers];
        meanRate = new double[layers];
        for (int l = 0; l < layers; l++) {
            blockCounts[l] = new int[l < layers - 1 ? enc.hidden(l).size() : enc.outputs()];
            final int layer = l;
            MetricGroup lg = g.addGroup(l < layers - 1 ? "hidden" + l : "readout");
            lg.gauge("activeRatio", () -> activeRatio[layer]);
            lg.gauge("burstingRatio", () -> burstingRatio[layer]);
            lg.gauge("meanRate", () -> meanRate[layer]);
        }
        g.gauge("spikeRate", () -> meanRate[meanRate.length - 1]);
        scratchVersion = Long.MIN_VALUE;
    }

    /** Picks up restored broadcast state and channel updates; rebuilds per-model scratch. */
    private void ensureModel(ReadOnlyContext ctx) throws Exception {
        if (!broadcastChecked) {
            byte[] b = ctx.getBroadcastState(MODEL_STATE).get(MODEL_KEY);
            if (b != null && ModelGate.decode(b, false).version() > gate.version()) {
                gate.offer(b, "restored broadcast state");
            }
            broadcastChecked = true;
        }
        gate.poll(channel);
        if (gate.version() != scratchVersion) {
            VdibModel m = gate.current().model();
            active = new int[m.encoder().inputs()];
            if (settings.learn()) {
                learner = new VdibLearner(m.encoder(), settings.learner());
                grads = learner.newGradients();
                window = new ReadoutWindow(m.nY(), m.tauD());
                readoutVector = new float[m.nY()];
                decoderInput = new float[m.decoding().inputSize(m.nY(), m.tauD())];
                decoded = new float[m.decoder().outputSize()];
                pathwise = settings.estimator() == GradientEstimator.PATHWISE;
                if (pathwise) {
                    pathwiseHistory = new PathwiseHistory(m.encoder(), m.tauD());
                    inputGrad = new float[decoderInput.length];
                    windowGrad = new float[m.nY() * m.tauD()];
                }
            }
            scratchVersion = gate.version();
        }
    }

    @Override
    public void processBroadcastElement(byte[] snapshot, Context ctx, Collector<SpikeWindow> out)
            throws Exception {
        if (gate.offer(snapshot, "model stream")) {
            ctx.getBroadcastState(MODEL_STATE).put(MODEL_KEY, snapshot);
        }
    }

    @Override
    public void processElement(
            Either<EventPacket, ImageFrame> in, ReadOnlyContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        ensureModel(ctx);
        if (in.isLeft()) {
            bin(in.left(), ctx, out);
        } else {
            reference(in.right(), ctx, out);
        }
    }

    private void bin(EventPacket packet, ReadOnlyContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        VdibModel m = gate.current().model();
        final int w = m.inputWidth();
        final int h = m.inputHeight();
        final int cx = m.cropX();
        final int cy = m.cropY();
        final int plane = w * h;
        final long dt = m.dtUs();
        final int words = (m.encoder().inputs() + 63) >>> 6;
        final int n = packet.size();
        if (n == 0) {
            // the end-of-stream marker: step what is pending, drop the key
            stepUpTo(END_OF_INPUT, dt, ctx, out);
            clearKey(ctx);
            return;
        }
        final long[] t = packet.timestamps();
        final short[] xs = packet.xs();
        final short[] ys = packet.ys();
        final byte[] ps = packet.polarities();
        long[] prog = readProgress();
        if (prog == null) {
            prog = newProgress();
        }
        final long next = prog[P_NEXT];
        final long before = prog[P_MAX_TIME];
        long maxTime = before;
        Map<Long, long[]> touched = null;
        long[] cur = null;
        long curStart = Long.MIN_VALUE;
        long late = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] > maxTime) {
                maxTime = t[i];
            }
            int x = xs[i] - cx;
            int y = ys[i] - cy;
            if (x < 0 || x >= w || y < 0 || y >= h) {
                continue;
            }
            long ti = t[i];
            long start = Math.floorDiv(ti, dt) * dt;
            if (start != curStart || cur == null) {
                if (start > Long.MAX_VALUE - dt || start < next) {
                    late++;
                    continue;
                }
                if (touched == null) {
                    touched = new HashMap<>(4);
                }
                cur = touched.get(start);
                if (cur == null) {
                    cur = pending.get(start);
                    if (cur == null) {
                        cur = new long[2 + words];
                        ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
                    }
                    touched.put(start, cur);
                }
                curStart = start;
            }
            int idx = (ps[i] != 0 ? plane : 0) + y * w + x;
            cur[2 + (idx >>> 6)] |= 1L << idx;
            cur[0]++;
        }
        if (touched != null) {
            long now = wallMicros();
            for (Map.Entry<Long, long[]> e : touched.entrySet()) {
                e.getValue()[1] = now;
                pending.put(e.getKey(), e.getValue());
            }
        }
        if (late > 0) {
            lateEvents.inc(late);
            lateAccumulator.add(late);
        }
        prog[P_MAX_TIME] = maxTime;
        touch(prog, ctx);
        progress.update(prog);
        long limit = streamWatermark(maxTime);
        if (Math.floorDiv(limit + 1, dt) > Math.floorDiv(streamWatermark(before) + 1, dt)) {
            stepUpTo(limit, dt, ctx, out);
        }
    }

    /**
     * The stream's own watermark: its largest event time so far minus the tolerated disorder
     * ({@link VdibSettings#streamDisorderUs()}) minus 1, µs; {@code Long.MIN_VALUE} before the
     * first event.
     */
    private long streamWatermark(long maxTime) {
        long d = settings.streamDisorderUs();
        return maxTime < Long.MIN_VALUE + d + 1 ? Long.MIN_VALUE : maxTime - d - 1;
    }

    /** Records input now and keeps one idle timer (processing time) registered for the key. */
    private void touch(long[] prog, ReadOnlyContext ctx) {
        long now = ctx.timerService().currentProcessingTime();
        prog[P_SEEN] = now;
        if (prog[P_CLEANUP] == Long.MIN_VALUE) {
            long at = now + idleMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            prog[P_CLEANUP] = at;
        }
    }

    private long idleMillis() {
        return Math.max(1L, settings.retentionUs() / 1000L);
    }

    private long[] newProgress() {
        long[] prog = new long[P_LENGTH];
        prog[P_NEXT] = Long.MIN_VALUE;
        prog[P_VERSION] = Long.MIN_VALUE;
        prog[P_CLEANUP] = Long.MIN_VALUE;
        prog[P_MAX_TIME] = Long.MIN_VALUE;
        prog[P_SEEN] = Long.MIN_VALUE;
        return prog;
    }

    /**
     * The key's progress, or null; a 5-entry progress of an earlier checkpoint (event-time cleanup
     * timer, no stream clock) is upgraded: its cleanup timer is forgotten (it fires as a no-op).
     */
    private long[] readProgress() throws Exception {
        long[] prog = progress.value();
        if (prog != null && prog.length < P_LENGTH) {
            long[] up = newProgress();
            System.arraycopy(prog, 0, up, 0, prog.length);
            up[P_CLEANUP] = Long.MIN_VALUE;
            prog = up;
        }
        return prog;
    }

    /**
     * Steps, in event-time order, every pending window and reference whose window ends at or before
     * {@code limit} (µs, inclusive).
     */
    private void stepUpTo(long limit, long dt, ReadOnlyContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        TreeSet<Long> due = new TreeSet<>();
        for (Long start : pending.keys()) {
            if (start + dt - 1 <= limit) {
                due.add(start);
            }
        }
        for (Long start : references.keys()) {
            if (start + dt - 1 <= limit) {
                due.add(start);
            }
        }
        for (Long start : due) {
            long[] win = pending.get(start);
            float[] ref = settings.learn() ? references.get(start) : null;
            if (win != null || ref != null) {
                step(start, win, ref, ctx, out);
            } else {
                references.remove(start);
            }
        }
    }

    /** Drops all of the key's state and its idle timer. */
    private void clearKey(ReadOnlyContext ctx) throws Exception {
        long[] prog = readProgress();
        if (prog != null && prog[P_CLEANUP] != Long.MIN_VALUE) {
            ctx.timerService().deleteProcessingTimeTimer(prog[P_CLEANUP]);
        }
        ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
        pending.clear();
        references.clear();
        encoderState.clear();
        progress.clear();
        eligibility.clear();
        ring.clear();
        history.clear();
    }

    private void reference(ImageFrame r, ReadOnlyContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        VdibModel m = gate.current().model();
        ImageDecoder d = m.decoder();
        long dt = m.dtUs();
        long start = Math.floorDiv(r.windowStartUs(), dt) * dt;
        long[] prog = readProgress();
        if (prog == null) {
            prog = newProgress();
        }
        if (!settings.learn()
                || r.channels() != 1
                || r.width() != d.outputWidth()
                || r.height() != d.outputHeight()
                || start > Long.MAX_VALUE - dt
                || start < prog[P_NEXT]) {
            referencesRejected.inc();
            return;
        }
        references.put(start, r.pixels());
        ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
        touch(prog, ctx);
        progress.update(prog);
        long limit = streamWatermark(prog[P_MAX_TIME]);
        if (start + dt - 1 <= limit) {
            stepUpTo(limit, dt, ctx, out); // the stream is already past the reference's window
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        ensureModel(ctx);
        long dt = gate.current().model().dtUs();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            long[] prog = readProgress();
            if (prog == null || prog[P_CLEANUP] != timestamp) {
                return; // a timer of state already dropped
            }
            long due = prog[P_SEEN] + idleMillis();
            if (timestamp < due) {
                ctx.timerService().registerProcessingTimeTimer(due);
                prog[P_CLEANUP] = due;
                progress.update(prog);
                return;
            }
            streamsIdled.inc();
        } else if (timestamp != END_OF_INPUT) {
            return; // an event-time cleanup timer restored from an earlier checkpoint
        }
        // end of input, or a stream silent for the idle time: step what is pending, drop the key
        stepUpTo(END_OF_INPUT, dt, ctx, out);
        clearKey(ctx);
    }

    private void step(
            long start, long[] win, float[] ref, ReadOnlyContext ctx, Collector<SpikeWindow> out)
            throws Exception {
        ModelGate.Loaded loaded = gate.current();
        VdibModel m = loaded.model();
        SnnEncoder enc = m.encoder();
        long dt = m.dtUs();
        String key = ctx.getCurrentKey();
        long[] prog = readProgress();
        byte[] stored = encoderState.value();
        EncoderState s = null;
        if (prog != null && stored != null) {
            try {
                s = EncoderState.fromBytes(stored, enc);
            } catch (IllegalArgumentException e) {
                stateResets.inc();
            }
        }
        boolean fresh = s == null;
        if (fresh) {
            s = enc.newState(settings.streamSeed(key));
            long[] old = prog;
            prog = newProgress();
            if (old != null) {
                prog[P_CLEANUP] = old[P_CLEANUP];
                prog[P_MAX_TIME] = old[P_MAX_TIME];
                prog[P_SEEN] = old[P_SEEN];
            }
            prog[P_NEXT] = start;
            prog[P_VERSION] = loaded.version();
        }
        if (start < prog[P_NEXT]) {
            // cannot happen with timers in event-time order; never step a window twice
            lateEvents.inc(win == null ? 0 : win[0]);
            pending.remove(start);
            references.remove(start);
            return;
        }
        long gap = (start - prog[P_NEXT]) / dt;
        boolean reset = gap > settings.maxGapSteps();
        if (reset) {
            s.reset(settings.streamSeed(key) + start);
            stateResets.inc();
            gap = 0;
        }
        float[] g = null;
        float[] hist = null;
        long[] ringBits = null;
        double kl = 0;
        long gSteps = 0;
        if (settings.learn()) {
            if (prog[P_VERSION] != loaded.version()) {
                enc.resynchronize(s);
            }
            grads.clear();
            g = fresh || reset ? null : eligibility.value();
            if (g != null) {
                unflatten(g, grads.tensors());
                kl = Double.longBitsToDouble(prog[P_KL]);
                gSteps = prog[P_STEPS];
            }
            ringBits = fresh || reset ? null : ring.value();
            hist = pathwise && !fresh && !reset ? history.value() : null;
            if (pathwise && !pathwiseHistory.fromFloats(hist)) {
                pathwiseHistory.clear();
            }
            int slotWords = (m.nY() + 63) >>> 6;
            if (ringBits == null || ringBits.length != 1 + slotWords * m.tauD()) {
                ringBits = new long[1 + slotWords * m.tauD()];
            }
        }
        prog[P_VERSION] = loaded.version();
        long ws = start - gap * dt;
        for (long k = 0; k < gap; k++, ws += dt) {
            stepOne(s, m, loaded.version(), key, ws, 0, 0, 0, ringBits, out);
        }
        int count = 0;
        long events = 0;
        long arrival = 0;
        if (win != null) {
            events = win[0];
            arrival = win[1];
            for (int wd = 2; wd < win.length; wd++) {
                long bits = win[wd];
                while (bits != 0) {
                    active[count++] = ((wd - 2) << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                }
            }
            pending.remove(start);
        }
        stepOne(s, m, loaded.version(), key, start, count, events, arrival, ringBits, out);
        if (settings.learn()) {
            kl += grads.klLoss();
            gSteps += grads.steps();
            if (ref != null) {
                emitSample(m, key, start, loaded.version(), gSteps, kl, ringBits, ref, ctx);
                grads.clear();
                kl = 0;
                gSteps = 0;
            }
            eligibility.update(flatten(grads.tensors(), g));
            ring.update(ringBits);
            if (pathwise) {
                // the key's own array (heap state keeps references: never share one across keys)
                history.update(pathwiseHistory.toFloats(hist));
            }
            prog[P_KL] = Double.doubleToLongBits(kl);
            prog[P_STEPS] = gSteps;
        }
        if (ref != null) {
            references.remove(start);
        }
        prog[P_NEXT] = start + dt;
        encoderState.update(s.toBytes());
        progress.update(prog);
    }

    private void stepOne(
            EncoderState s,
            VdibModel m,
            long version,
            String key,
            long windowStart,
            int count,
            long events,
            long arrival,
            long[] ringBits,
            Collector<SpikeWindow> out) {
        SnnEncoder enc = m.encoder();
        int n = enc.step(s, active, count);
        int[] spikes = Arrays.copyOf(s.readoutSpikes(), n);
        int layers = enc.hiddenLayers();
        int[] hidden = new int[layers];
        for (int l = 0; l < layers; l++) {
            int c = s.hidden(l).spikeCount();
            hidden[l] = c;
            int[] idx = s.hidden(l).spikeIndices();
            int[] counts = blockCounts[l];
            for (int i = 0; i < c; i++) {
                counts[idx[i]]++;
            }
        }
        int[] ro = blockCounts[layers];
        for (int i = 0; i < n; i++) {
            ro[spikes[i]]++;
        }
        if (++blockSteps == settings.statsSteps()) {
            publishStatistics();
        }
        windowsStepped.inc();
        out.collect(
                new SpikeWindow(
                        key,
                        windowStart,
                        windowStart + m.dtUs(),
                        version,
                        spikes,
                        count,
                        events,
                        hidden,
                        arrival));
        if (settings.learn()) {
            if (pathwise) {
                learner.accumulatePathwise(s, grads, null, 0); // the KL part of every step
                pathwiseHistory.record(s);
            } else {
                learner.accumulate(s, grads);
            }
            int slotWords = (m.nY() + 63) >>> 6;
            int next = (int) ringBits[0];
            int base = 1 + next * slotWords;
            Arrays.fill(ringBits, base, base + slotWords, 0L);
            for (int spike : spikes) {
                ringBits[base + (spike >>> 6)] |= 1L << spike;
            }
            ringBits[0] = (next + 1) % m.tauD();
        }
    }

    private void publishStatistics() {
        for (int l = 0; l < blockCounts.length; l++) {
            SpikeStatistics.Accumulator a =
                    new SpikeStatistics.Accumulator(blockCounts[l].length, blockSteps);
            a.add(blockCounts[l]);
            SpikeStatistics st = a.result(settings.burstThreshold());
            activeRatio[l] = st.anr();
            burstingRatio[l] = st.neurons() == 0 ? 0 : (double) st.burstingCount() / st.neurons();
            meanRate[l] = st.meanRate();
            Arrays.fill(blockCounts[l], 0);
        }
        blockSteps = 0;
    }

    private void emitSample(
            VdibModel m,
            String key,
            long start,
            long version,
            long steps,
            double kl,
            long[] ringBits,
            float[] reference,
            ReadOnlyContext ctx) {
        int nY = m.nY();
        int tauD = m.tauD();
        int slotWords = (nY + 63) >>> 6;
        int next = (int) ringBits[0];
        window.clear();
        for (int k = 0; k < tauD; k++) {
            int base = 1 + ((next + k) % tauD) * slotWords;
            for (int i = 0; i < nY; i++) {
                readoutVector[i] = (ringBits[base + (i >>> 6)] >>> i & 1L) != 0 ? 1f : 0f;
            }
            window.push(readoutVector);
        }
        window.encode(m.decoding(), decoderInput, 0);
        ImageDecoder d = m.decoder();
        float[] target = new float[reference.length];
        for (int i = 0; i < target.length; i++) {
            float v = reference[i];
            target[i] = v > 1f ? 1f : v >= 0f ? v : 0f;
        }
        d.zeroGradients();
        d.forward(decoderInput, 1, decoded);
        double loss;
        if (pathwise) {
            // the decoder's part of the pathwise gradient over the window, replayed
            loss = d.backward(target, inputGrad);
            m.decoding().windowGradient(inputGrad, nY, tauD, windowGrad);
            learner.accumulateDecoderPathwise(pathwiseHistory, grads, windowGrad);
        } else {
            loss = d.backward(target, null);
        }
        List<NamedTensor> dg = d.gradients();
        float[][] decoderGrads = new float[dg.size()][];
        for (int i = 0; i < decoderGrads.length; i++) {
            decoderGrads[i] = dg.get(i).data().clone();
        }
        float[][] encoderGrads = new float[grads.tensors().length][];
        for (int i = 0; i < encoderGrads.length; i++) {
            encoderGrads[i] = grads.tensors()[i].clone();
        }
        referencesUsed.inc();
        ctx.output(
                GRADIENTS,
                new GradientSample(
                                key,
                                start,
                                version,
                                steps,
                                kl,
                                loss,
                                settings.estimator(),
                                encoderGrads,
                                decoderGrads)
                        .toBytes());
    }

    private static void unflatten(float[] flat, float[][] tensors) {
        int off = 0;
        for (float[] t : tensors) {
            if (off + t.length > flat.length) {
                return; // shape changed: start from zero
            }
            System.arraycopy(flat, off, t, 0, t.length);
            off += t.length;
        }
    }

    private static float[] flatten(float[][] tensors, float[] reuse) {
        int n = 0;
        for (float[] t : tensors) {
            n += t.length;
        }
        float[] flat = reuse != null && reuse.length == n ? reuse : new float[n];
        int off = 0;
        for (float[] t : tensors) {
            System.arraycopy(t, 0, flat, off, t.length);
            off += t.length;
        }
        return flat;
    }

    /** Wall-clock time in µs since the Unix epoch. */
    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The model gate (tests). */
    ModelGate gate() {
        return gate;
    }

    @Override
    public TypeInformation<SpikeWindow> getProducedType() {
        return SpikeWindowTypeInfo.INSTANCE;
    }
}
