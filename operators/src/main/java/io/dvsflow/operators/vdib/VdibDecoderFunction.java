package io.dvsflow.operators.vdib;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import java.util.Objects;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ANN decoder of the VDIB naturalizer as a keyed streaming operator: per stream it keeps a ring
 * buffer of the last {@code tau_d} readout spike vectors ({@link SpikeWindow}s from {@link
 * LifEncoderFunction}) and decodes an image ({@link ImageFrame} of kind {@code vdib}, one channel,
 * the decoder's output size, pixels in (0, 1), {@code modelVersion} set) per window, or for every
 * {@link VdibSettings#emitEvery()}-th window ({@code windowStart / dt mod k == k - 1}). Each image
 * carries the spike statistics of its layers ({@link ImageFrame#spikeStats()}; readout over the
 * {@code tau_d} steps the image decodes, hidden layers for the window's step), so viewers show dead
 * and bursting readout neurons live, per stream.
 *
 * <p><b>Order.</b> Spike windows of a stream come from one encoder subtask, in event-time order,
 * over one network channel, so they are decoded on arrival (no timers); a window not after the last
 * decoded one is dropped and counted ({@code outOfOrderWindows}).
 *
 * <p><b>Keyed state</b>: the ring as a bit set ({@code long[]}: next slot, last window start, idle
 * timer, last input time, then {@code tau_d} slots of {@code ceil(N_Y / 64)} words); the decoder
 * input ({@code ReadoutWindow} layout) is built from its bits for each image (cost {@code O(spikes
 * in the window)}). Cleanup: the key is cleared at the end of the input (final watermark) and after
 * the idle time without spike windows ({@link VdibSettings#retentionUs()}, wall clock: the job's
 * watermark says nothing about a stream that runs behind it, see {@link LifEncoderFunction}). Rings
 * of checkpoints taken before the idle field existed (3 header words) restart empty.
 *
 * <p><b>Model</b>: as {@link LifEncoderFunction} (broadcast stream, in-process channel, {@link
 * ModelGate} policy); the decoder weights of the newest accepted version are used and that version
 * is stamped on the image (the encoder's version is on the spike window; they differ only for the
 * few windows in flight when a version switches).
 *
 * <p><b>Metrics</b>: {@code framesEmitted}, {@code framesPerSecond} (meter), {@code latencyMs}
 * (histogram) with gauges {@code latencyP50Ms} and {@code latencyP99Ms}; accumulators {@link
 * #FRAMES_ACCUMULATOR} and {@link #LATENCY_ACCUMULATOR}. <b>Event-to-image latency</b> is the
 * wall-clock time from the arrival at the encoder of the last packet that contributed to the window
 * (stamped when the packet was binned, right after the source) to the emission of the image; it
 * includes waiting for the watermark, the encoder step, the transfer and the decoding, and excludes
 * the window length itself. Windows without events (no stamp) are not measured.
 */
public final class VdibDecoderFunction
        extends KeyedBroadcastProcessFunction<String, SpikeWindow, byte[], ImageFrame>
        implements ResultTypeQueryable<ImageFrame> {

    private static final long serialVersionUID = 1L;

    /** Job accumulator: images emitted. */
    public static final String FRAMES_ACCUMULATOR = "vdibFrames";

    /**
     * Job accumulator ({@link Histogram}): event-to-image latency in units of 100 µs (key {@code k}
     * counts latencies in {@code [k, k + 1) x 0.1 ms}).
     */
    public static final String LATENCY_ACCUMULATOR = "vdibLatency100us";

    /** Broadcast state holding the last model accepted from the model stream. */
    public static final MapStateDescriptor<String, byte[]> MODEL_STATE =
            LifEncoderFunction.MODEL_STATE;

    private static final int R_NEXT = 0;
    private static final int R_LAST = 1;
    private static final int R_CLEANUP = 2;
    private static final int R_SEEN = 3;
    private static final int R_HEADER = 4;

    private final byte[] initialModel;
    private final VdibSettings settings;

    private transient ModelGate gate;
    private transient ModelChannel channel;
    private transient boolean broadcastChecked;
    private transient ValueState<long[]> ring;
    private transient long scratchVersion;
    private transient float[] input;
    private transient int[] counts;
    private transient Counter frames;
    private transient Counter outOfOrder;
    private transient DescriptiveStatisticsHistogram latency;
    private transient LongCounter framesAccumulator;
    private transient Histogram latencyAccumulator;

    /**
     * A decoder starting with {@code initialModel}.
     *
     * @param initialModel single-object encoded VDIB {@code ModelSnapshot}
     * @param settings operator settings
     * @throws io.dvsflow.models.snapshot.InvalidSnapshotException if the model is not usable
     */
    public VdibDecoderFunction(byte[] initialModel, VdibSettings settings) {
        this.initialModel = Objects.requireNonNull(initialModel, "initialModel");
        this.settings = Objects.requireNonNull(settings, "settings");
        ModelGate.decode(initialModel, false);
    }

    @Override
    public void open(OpenContext openContext) {
        gate = new ModelGate("vdib-decoder", false);
        MetricGroup g = getRuntimeContext().getMetricGroup();
        gate.registerMetrics(g);
        if (!gate.offer(initialModel, "job start")) {
            throw new IllegalStateException("the initial model was rejected (see the log)");
        }
        channel = settings.channelId() == null ? null : ModelChannel.named(settings.channelId());
        ring =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "vdib-decoder-ring",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        frames = g.counter("framesEmitted");
        g.meter("framesPerSecond", new MeterView(frames));
        outOfOrder = g.counter("outOfOrderWindows");
        latency = g.histogram("latencyMs", new DescriptiveStatisticsHistogram(10_000));
        g.gauge("latencyP50Ms", () -> latency.getStatistics().getQuantile(0.5));
        g.gauge("latencyP99Ms", () -> latency.getStatistics().getQuantile(0.99));
        framesAccumulator = new LongCounter();
        latencyAccumulator = new Histogram();
        getRuntimeContext().addAccumulator(FRAMES_ACCUMULATOR, framesAccumulator);
        getRuntimeContext().addAccumulator(LATENCY_ACCUMULATOR, latencyAccumulator);
        scratchVersion = Long.MIN_VALUE;
    }

    private void ensureModel(ReadOnlyContext ctx) throws Exception {
        if (!broadcastChecked) {
            byte[] b = ctx.getBroadcastState(MODEL_STATE).get(LifEncoderFunction.MODEL_KEY);
            if (b != null && ModelGate.decode(b, false).version() > gate.version()) {
                gate.offer(b, "restored broadcast state");
            }
            broadcastChecked = true;
        }
        gate.poll(channel);
        if (gate.version() != scratchVersion) {
            VdibModel m = gate.current().model();
            input = new float[m.decoding().inputSize(m.nY(), m.tauD())];
            scratchVersion = gate.version();
        }
    }

    @Override
    public void processBroadcastElement(byte[] snapshot, Context ctx, Collector<ImageFrame> out)
            throws Exception {
        if (gate.offer(snapshot, "model stream")) {
            ctx.getBroadcastState(MODEL_STATE).put(LifEncoderFunction.MODEL_KEY, snapshot);
        }
    }

    @Override
    public void processElement(SpikeWindow w, ReadOnlyContext ctx, Collector<ImageFrame> out)
            throws Exception {
        ensureModel(ctx);
        VdibModel m = gate.current().model();
        int nY = m.nY();
        int tauD = m.tauD();
        int slotWords = (nY + 63) >>> 6;
        long[] r = ring.value();
        if (r == null || r.length != R_HEADER + slotWords * tauD) {
            r = new long[R_HEADER + slotWords * tauD];
            r[R_LAST] = Long.MIN_VALUE;
            r[R_CLEANUP] = Long.MIN_VALUE;
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        if (w.windowStartUs() <= r[R_LAST]) {
            outOfOrder.inc();
            return;
        }
        int next = (int) r[R_NEXT];
        int base = R_HEADER + next * slotWords;
        java.util.Arrays.fill(r, base, base + slotWords, 0L);
        for (int spike : w.spikes()) {
            if (spike >= 0 && spike < nY) {
                r[base + (spike >>> 6)] |= 1L << spike;
            }
        }
        r[R_NEXT] = (next + 1) % tauD;
        r[R_LAST] = w.windowStartUs();
        long dt = w.windowEndUs() - w.windowStartUs();
        int k = settings.emitEvery();
        if (k == 1 || Math.floorMod(Math.floorDiv(w.windowStartUs(), dt), (long) k) == k - 1) {
            out.collect(decode(m, r, w));
            frames.inc();
            framesAccumulator.add(1L);
            if (w.arrivalWallUs() > 0) {
                long us = Math.max(0, LifEncoderFunction.wallMicros() - w.arrivalWallUs());
                latency.update(us / 1000);
                latencyAccumulator.add((int) Math.min(Integer.MAX_VALUE, us / 100));
            }
        }
        long now = ctx.timerService().currentProcessingTime();
        r[R_SEEN] = now;
        if (r[R_CLEANUP] == Long.MIN_VALUE) {
            r[R_CLEANUP] = now + idleMillis();
            ctx.timerService().registerProcessingTimeTimer(r[R_CLEANUP]);
        }
        ring.update(r);
    }

    private ImageFrame decode(VdibModel m, long[] r, SpikeWindow w) {
        int nY = m.nY();
        int tauD = m.tauD();
        int slotWords = (nY + 63) >>> 6;
        int next = (int) r[R_NEXT];
        // the decoder input straight from the ring's bits (oldest slot first), as
        // ReadoutWindow.encode would give it: time-major spike window, or spike counts
        boolean rate = m.decoding() == DecoderInputMode.RATE;
        java.util.Arrays.fill(input, 0f);
        if (counts == null || counts.length != nY) {
            counts = new int[nY];
        }
        java.util.Arrays.fill(counts, 0);
        for (int s = 0; s < tauD; s++) {
            int base = R_HEADER + ((next + s) % tauD) * slotWords;
            int off = rate ? 0 : s * nY;
            for (int wd = 0; wd < slotWords; wd++) {
                long bits = r[base + wd];
                while (bits != 0) {
                    int i = (wd << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (i < nY) {
                        input[off + i] += 1f;
                        counts[i]++;
                    }
                }
            }
        }
        ImageDecoder d = m.decoder();
        float[] pixels = new float[d.outputSize()];
        d.forward(input, 1, pixels);
        return new ImageFrame(
                w.streamId(),
                w.windowStartUs(),
                w.windowEndUs(),
                d.outputWidth(),
                d.outputHeight(),
                1,
                pixels,
                "vdib",
                w.eventCount(),
                gate.version(),
                spikeStats(m, w, tauD));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ImageFrame> out)
            throws Exception {
        long[] r = ring.value();
        if (r == null || r.length < R_HEADER) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (r[R_CLEANUP] != timestamp) {
                return;
            }
            long due = r[R_SEEN] + idleMillis();
            if (timestamp < due) {
                r[R_CLEANUP] = due;
                ctx.timerService().registerProcessingTimeTimer(due);
                ring.update(r);
                return;
            }
        } else if (timestamp != Long.MAX_VALUE) {
            return; // an event-time cleanup timer restored from an earlier checkpoint
        } else if (r[R_CLEANUP] != Long.MIN_VALUE) {
            ctx.timerService().deleteProcessingTimeTimer(r[R_CLEANUP]);
        }
        ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        ring.clear();
    }

    /**
     * Per-layer statistics for the image ({@link ImageFrame#spikeStats()}): for each hidden layer
     * the rate of this window's step (its active and bursting ratios are not known per stream:
     * NaN); for the readout, over the {@code tau_d} steps of the ring (the decoder's input): rate,
     * active-neuron ratio and the fraction of neurons firing in at least {@link
     * VdibSettings#burstThreshold()} of those steps. Deterministic per stream.
     */
    private float[] spikeStats(VdibModel m, SpikeWindow w, int tauD) {
        int hidden = m.encoder().hiddenLayers();
        float[] st = new float[(hidden + 1) * ImageFrame.STATS_PER_LAYER];
        int[] hs = w.hiddenSpikes();
        for (int l = 0; l < hidden; l++) {
            int o = l * ImageFrame.STATS_PER_LAYER;
            int size = m.encoder().hidden(l).size();
            st[o] = l < hs.length ? (float) hs[l] / size : Float.NaN;
            st[o + 1] = Float.NaN;
            st[o + 2] = Float.NaN;
        }
        int nY = counts.length;
        long total = 0;
        int active = 0;
        int bursting = 0;
        double burst = settings.burstThreshold() * tauD;
        for (int c : counts) {
            total += c;
            if (c > 0) {
                active++;
            }
            if (c >= burst) {
                bursting++;
            }
        }
        int o = hidden * ImageFrame.STATS_PER_LAYER;
        st[o] = (float) ((double) total / ((double) nY * tauD));
        st[o + 1] = (float) active / nY;
        st[o + 2] = (float) bursting / nY;
        return st;
    }

    private long idleMillis() {
        return Math.max(1L, settings.retentionUs() / 1000L);
    }

    /** The model gate (tests). */
    ModelGate gate() {
        return gate;
    }

    @Override
    public TypeInformation<ImageFrame> getProducedType() {
        return ImageFrameTypeInfo.INSTANCE;
    }

    /** Type information of the broadcast model stream (single-object encoded snapshots). */
    public static TypeInformation<byte[]> modelType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
