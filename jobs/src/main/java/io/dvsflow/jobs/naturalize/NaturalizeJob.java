package io.dvsflow.jobs.naturalize;

import io.dvsflow.operators.binning.BinnerConfig;
import io.dvsflow.operators.binning.EventBinner;
import io.dvsflow.operators.binning.FrameKind;
import io.dvsflow.operators.filters.BackgroundActivityFilter;
import io.dvsflow.operators.filters.DenoiseFilterFunction;
import io.dvsflow.operators.filters.RefractoryFilter;
import io.dvsflow.operators.naturalize.NaturalizerConfig;
import io.dvsflow.operators.naturalize.NaturalizerFunction;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameAvroConverter;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.operators.types.StreamClock;
import io.dvsflow.operators.types.StreamIdKeySelector;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The naturalization job graph: packets from any source, event-time watermarks, keyed by stream id,
 * an optional denoise filter, then one image per window (classical naturalizer or event frame),
 * converted to Avro {@link Frame}s for the sinks.
 *
 * <p>The graph takes its source as an argument and returns the frame stream, so tests pass an
 * in-memory source and a collecting sink while {@code main} wires files or Kafka.
 *
 * <pre>{@code
 * DataStream<Frame> frames = NaturalizeJob.build(env, source, settings).frames();
 * frames.sinkTo(new PngFrameSink(out, 4));
 * }</pre>
 */
public final class NaturalizeJob {

    private NaturalizeJob() {}

    /**
     * The job's outputs.
     *
     * @param frames naturalized images (or event frames)
     * @param lateEvents events that arrived after their window was emitted (null for {@code vdib},
     *     whose encoder counts them in its {@code lateEvents} metric)
     * @param models learned model versions, single-object encoded snapshots (null unless learning)
     */
    public record Graph(
            DataStream<Frame> frames,
            DataStream<EventPacket> lateEvents,
            DataStream<byte[]> models) {}

    /** Builds the graph from a source of packets. */
    public static Graph build(
            StreamExecutionEnvironment env,
            Source<EventPacket, ?, ?> source,
            NaturalizeSettings settings) {
        WatermarkStrategy<EventPacket> watermarks =
                PacketWatermarks.boundedDisorder(settings.maxDisorder(), settings.idleness());
        DataStream<EventPacket> packets =
                env.fromSource(source, watermarks, "events", EventPacketTypeInfo.INSTANCE)
                        .uid("events-source");
        return build(packets, settings);
    }

    /** Builds the graph from a stream of packets that already carries timestamps and watermarks. */
    public static Graph build(DataStream<EventPacket> packets, NaturalizeSettings settings) {
        return build(packets, settings, null, null);
    }

    /**
     * Builds the graph; for {@link NaturalizeMethod#VDIB} with optional reference images (learning)
     * and an optional model update stream.
     *
     * @param packets packets with timestamps and watermarks
     * @param settings job settings
     * @param references target images keyed by stream id (kind {@code target}, the model's decoder
     *     size, {@code windowStartUs} = the window they belong to), or null
     * @param modelUpdates single-object encoded model snapshots (e.g. a Kafka model topic, its
     *     watermark at {@code Long.MAX_VALUE}), or null: the start model alone
     */
    public static Graph build(
            DataStream<EventPacket> packets,
            NaturalizeSettings settings,
            DataStream<ImageFrame> references,
            DataStream<byte[]> modelUpdates) {
        int w = settings.sensorWidth();
        int h = settings.sensorHeight();
        DataStream<EventPacket> counted =
                packets.map(new PacketCounter(), EventPacketTypeInfo.INSTANCE)
                        // same parallelism as the input: chained, no rebalance that could reorder
                        // the packets of a stream before keyBy
                        .setParallelism(packets.getParallelism())
                        .name("count-events")
                        .uid("count-events");
        // each stream runs on its own clock; it tolerates the same disorder as the watermarks
        StreamClock.Settings clock =
                new StreamClock.Settings(
                        settings.maxDisorder().toNanos() / 1_000L,
                        StreamClock.Settings.DEFAULT.idle());
        DataStream<EventPacket> clean = counted;
        if (!settings.denoise().equals("none")) {
            DenoiseFilterFunction filter =
                    settings.denoise().equals("ba")
                            ? new DenoiseFilterFunction(
                                    new BackgroundActivityFilter(w, h, settings.denoiseWindow()),
                                    clock)
                            : new DenoiseFilterFunction(
                                    new RefractoryFilter(w, h, settings.denoiseWindow()), clock);
            clean =
                    counted.keyBy(new StreamIdKeySelector())
                            .process(filter, EventPacketTypeInfo.INSTANCE)
                            .name("denoise-" + settings.denoise())
                            .uid("denoise");
        }
        SingleOutputStreamOperator<ImageFrame> images;
        DataStream<EventPacket> late;
        DataStream<byte[]> models = null;
        switch (settings.method()) {
            case VDIB -> {
                VdibJobOptions v = settings.vdib();
                VdibJobOptions o =
                        new VdibJobOptions(
                                v.model(),
                                v.operators().withStreamDisorder(clock.disorderUs()),
                                v.modelOutput());
                VdibGraph.Result g = VdibGraph.build(clean, o, references, modelUpdates);
                images = g.images();
                late = null;
                models = g.models();
            }
            case HIGHPASS, INTEGRATE -> {
                NaturalizerConfig config =
                        settings.method() == NaturalizeMethod.HIGHPASS
                                ? NaturalizerConfig.highPass(
                                        settings.window(),
                                        w,
                                        h,
                                        settings.contrast(),
                                        settings.cutoffRadPerSecond())
                                : NaturalizerConfig.directIntegration(
                                        settings.window(), w, h, settings.contrast());
                images =
                        clean.keyBy(new StreamIdKeySelector())
                                .process(new NaturalizerFunction(config, clock))
                                .name("naturalize-" + config.kind())
                                .uid("naturalizer");
                late = images.getSideOutput(NaturalizerFunction.LATE_EVENTS);
            }
            default -> {
                FrameKind kind = FrameKind.valueOf(settings.method().name());
                images =
                        clean.keyBy(new StreamIdKeySelector())
                                .process(
                                        new EventBinner(
                                                BinnerConfig.of(settings.window(), kind, w, h),
                                                clock))
                                .name("bin-" + kind.name().toLowerCase(java.util.Locale.ROOT))
                                .uid("binner");
                late = images.getSideOutput(EventBinner.LATE_EVENTS);
            }
        }
        DataStream<Frame> frames =
                images.map(ImageFrameAvroConverter::toAvro, new AvroTypeInfo<>(Frame.class))
                        .name("to-avro-frame")
                        .uid("to-avro-frame");
        return new Graph(frames, late, models);
    }
}
