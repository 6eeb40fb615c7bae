package io.dvsflow.jobs.naturalize;

import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.operators.vdib.LifEncoderFunction;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.operators.vdib.VdibDecoderFunction;
import io.dvsflow.operators.vdib.VdibSettings;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Assembles a VDIB naturalization run for the commands ({@code naturalize --method vdib}, {@code
 * demo}, {@code bench naturalize}): operator options from the command-line choices, the reference
 * images of emulated recordings, the graph with a file source, and the run's figures from the job
 * accumulators.
 */
public final class VdibRun {

    private VdibRun() {}

    /**
     * Options of a run.
     *
     * @param model the start model (single-object encoded snapshot)
     * @param learn learn online (needs references); uses an in-process model channel
     * @param learningRate Adam learning rate
     * @param batch references combined per update
     * @param emitEvery decode an image every k windows
     * @param seed seed of the readout generators (the feedback matrices use {@code seed ^ 0x5EED})
     * @param modelOut folder of learned versions, or null
     */
    public static VdibJobOptions options(
            byte[] model,
            boolean learn,
            double learningRate,
            int batch,
            int emitEvery,
            long seed,
            Path modelOut) {
        return options(
                model,
                learn,
                learningRate,
                batch,
                emitEvery,
                seed,
                modelOut,
                GradientEstimator.PATHWISE);
    }

    /**
     * Options of a run whose online learner uses {@code estimator}; the other parameters as in
     * {@link #options(byte[], boolean, double, int, int, long, Path)}.
     */
    public static VdibJobOptions options(
            byte[] model,
            boolean learn,
            double learningRate,
            int batch,
            int emitEvery,
            long seed,
            Path modelOut,
            GradientEstimator estimator) {
        VdibSettings s = VdibSettings.inference().withSeed(seed).withEmitEvery(emitEvery);
        if (learn) {
            VdibModel m = ModelGate.decode(model, true).model();
            double q = m.priorQ() > 0 && m.priorQ() < 1 ? m.priorQ() : 0.3;
            s =
                    s.withChannel("vdib-" + UUID.randomUUID())
                            .withLearning(
                                    new VdibLearner.Config(
                                            Math.max(0, m.beta()),
                                            q,
                                            learningRate,
                                            0.99,
                                            seed ^ 0x5EEDL),
                                    batch,
                                    estimator);
        }
        return new VdibJobOptions(model, s, learn && modelOut != null ? modelOut.toString() : null);
    }

    /**
     * Reference frames for the recordings of a file source, from their emulation sidecars.
     *
     * @param every one reference every this many windows (null: the model's tau_d)
     */
    public static List<ImageFrame> references(
            VdibJobOptions o,
            List<RecordingSplit> splits,
            Path searchRoot,
            Integer every,
            long durationUs)
            throws IOException {
        VdibModel m = ModelGate.decode(o.model(), false).model();
        List<MnistDvsReferences.Recording> recs = new ArrayList<>();
        for (RecordingSplit r : splits) {
            recs.add(new MnistDvsReferences.Recording(Path.of(r.path()), r.streamId()));
        }
        return MnistDvsReferences.frames(
                recs,
                searchRoot,
                m.decoder().outputWidth(),
                m.decoder().outputHeight(),
                m.dtUs(),
                durationUs,
                every != null ? every : m.tauD());
    }

    /** Watermark interval and network buffer timeout of {@link #lowLatency}, ms. */
    public static final long LOW_LATENCY_MS = 10;

    /**
     * Sets the periodic watermark interval and the network buffer timeout to {@link
     * #LOW_LATENCY_MS} (Flink's defaults, 200 ms and 100 ms, dominate the event-to-image latency of
     * a slow stream: a window fires only with the next watermark).
     */
    public static void lowLatency(StreamExecutionEnvironment env) {
        env.getConfig().setAutoWatermarkInterval(LOW_LATENCY_MS);
        env.setBufferTimeout(LOW_LATENCY_MS);
    }

    /**
     * The naturalize graph over a packet source, with reference images (may be null).
     *
     * @param recordings number of recordings of the source (unused: each stream runs on its own
     *     clock, so one reader may read any number of recordings one after another)
     */
    public static NaturalizeJob.Graph build(
            StreamExecutionEnvironment env,
            Source<EventPacket, ?, ?> source,
            int recordings,
            NaturalizeSettings settings,
            List<ImageFrame> references) {
        return build(env, source, settings, referenceStream(env, references), null);
    }

    /**
     * The naturalize graph over a packet source.
     *
     * @param references reference images keyed by stream id, or null
     * @param modelUpdates model versions (e.g. a Kafka model topic), or null: the start model alone
     */
    public static NaturalizeJob.Graph build(
            StreamExecutionEnvironment env,
            Source<EventPacket, ?, ?> source,
            NaturalizeSettings settings,
            DataStream<ImageFrame> references,
            DataStream<byte[]> modelUpdates) {
        DataStream<EventPacket> packets =
                env.fromSource(
                                source,
                                PacketWatermarks.boundedDisorder(
                                        settings.maxDisorder(), settings.idleness()),
                                "events",
                                EventPacketTypeInfo.INSTANCE)
                        .uid("events-source");
        return NaturalizeJob.build(packets, settings, references, modelUpdates);
    }

    /** A bounded stream of {@code references}, or null when there are none. */
    public static DataStream<ImageFrame> referenceStream(
            StreamExecutionEnvironment env, List<ImageFrame> references) {
        return references == null || references.isEmpty()
                ? null
                : env.fromData(references, ImageFrameTypeInfo.INSTANCE)
                        .name("references")
                        .uid("references");
    }

    /**
     * Figures of a finished run.
     *
     * @param events events read
     * @param frames VDIB images emitted
     * @param seconds wall time of the job, s
     * @param latencyP50Ms median event-to-image latency, ms (NaN if none measured)
     * @param latencyP99Ms 99th percentile, ms
     * @param lateEvents events dropped by the encoder because their window had already been stepped
     */
    public record Figures(
            long events,
            long frames,
            double seconds,
            double latencyP50Ms,
            double latencyP99Ms,
            long lateEvents) {

        /** One summary line. */
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "vdib: %,d events in %.2f s (%.3f Mev/s in), %,d images (%.1f frames/s out),"
                            + " event-to-image latency p50 %.1f ms, p99 %.1f ms, %,d late events",
                    events,
                    seconds,
                    events / seconds / 1e6,
                    frames,
                    frames / seconds,
                    latencyP50Ms,
                    latencyP99Ms,
                    lateEvents);
        }
    }

    /** Reads the accumulators of a finished job. */
    public static Figures figures(JobExecutionResult r, double seconds) {
        Long events = r.getAccumulatorResult(PacketCounter.EVENTS);
        Long frames = r.getAccumulatorResult(VdibDecoderFunction.FRAMES_ACCUMULATOR);
        Map<Integer, Integer> lat = r.getAccumulatorResult(VdibDecoderFunction.LATENCY_ACCUMULATOR);
        Long late = r.getAccumulatorResult(LifEncoderFunction.LATE_EVENTS_ACCUMULATOR);
        return new Figures(
                events == null ? 0 : events,
                frames == null ? 0 : frames,
                seconds,
                lat == null ? Double.NaN : LatencyHistogram.quantileMs(lat, 0.5),
                lat == null ? Double.NaN : LatencyHistogram.quantileMs(lat, 0.99),
                late == null ? 0 : late);
    }
}
