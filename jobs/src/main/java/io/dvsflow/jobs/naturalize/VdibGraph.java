package io.dvsflow.jobs.naturalize;

import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.vdib.LifEncoderFunction;
import io.dvsflow.operators.vdib.SpikeWindow;
import io.dvsflow.operators.vdib.VdibDecoderFunction;
import io.dvsflow.operators.vdib.VdibLearnerFunction;
import io.dvsflow.operators.vdib.VdibSettings;
import io.dvsflow.schemas.EventPacket;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;

/**
 * The VDIB branch of {@link NaturalizeJob}: packets (and reference images when learning) keyed by
 * stream into {@link LifEncoderFunction}, spike windows keyed into {@link VdibDecoderFunction}, and
 * when learning the encoder's gradient samples into one {@link VdibLearnerFunction} (parallelism
 * 1).
 *
 * <p>Model stream: the given update stream, else a one-element bounded stream holding the start
 * model (a bounded stream ends with the watermark {@code Long.MAX_VALUE}, so it never holds back
 * the operators' timers). The loop from the learner back to the inference operators is the
 * in-process {@link io.dvsflow.operators.vdib.ModelChannel} named in the settings (embedded
 * default); on a cluster, write {@link Result#models()} to a compacted Kafka topic and pass that
 * topic back as {@code modelUpdates}.
 */
final class VdibGraph {

    private VdibGraph() {}

    /**
     * The branch's outputs.
     *
     * @param images one {@code vdib} image per window (or every k windows)
     * @param spikes the encoder's spike windows
     * @param models learned versions (null unless learning)
     */
    record Result(
            SingleOutputStreamOperator<ImageFrame> images,
            SingleOutputStreamOperator<SpikeWindow> spikes,
            DataStream<byte[]> models) {}

    static Result build(
            DataStream<EventPacket> packets,
            VdibJobOptions o,
            DataStream<ImageFrame> references,
            DataStream<byte[]> modelUpdates) {
        VdibSettings s = o.operators();
        DataStream<Either<EventPacket, ImageFrame>> in =
                packets.map(new AsLeft(), LifEncoderFunction.INPUT_TYPE)
                        .setParallelism(packets.getParallelism())
                        .name("vdib-packets")
                        .uid("vdib-packets");
        if (references != null && s.learn()) {
            in =
                    in.union(
                            references
                                    .map(new AsRight(), LifEncoderFunction.INPUT_TYPE)
                                    .name("vdib-references")
                                    .uid("vdib-references"));
        }
        DataStream<byte[]> modelStream =
                modelUpdates != null
                        ? modelUpdates
                        : packets.getExecutionEnvironment()
                                .fromData(
                                        List.of(o.model()),
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                                .name("vdib-start-model")
                                .uid("vdib-start-model");
        SingleOutputStreamOperator<SpikeWindow> spikes =
                in.keyBy(new LifEncoderFunction.InputKey())
                        .connect(modelStream.broadcast(LifEncoderFunction.MODEL_STATE))
                        .process(new LifEncoderFunction(o.model(), s))
                        .name("lif-encoder")
                        .uid("lif-encoder");
        SingleOutputStreamOperator<ImageFrame> images =
                spikes.keyBy(new SpikeKey(), Types.STRING)
                        .connect(modelStream.broadcast(VdibDecoderFunction.MODEL_STATE))
                        .process(new VdibDecoderFunction(o.model(), s))
                        .name("vdib-decoder")
                        .uid("vdib-decoder");
        DataStream<byte[]> models = null;
        if (s.learn()) {
            models =
                    spikes.getSideOutput(LifEncoderFunction.GRADIENTS)
                            .process(new VdibLearnerFunction(o.model(), s))
                            .setParallelism(1)
                            .setMaxParallelism(1)
                            .name("vdib-learner")
                            .uid("vdib-learner");
            if (o.modelOutput() != null) {
                models.sinkTo(new ModelFileSink(o.modelOutput()))
                        .setParallelism(1)
                        .name("model-files")
                        .uid("model-files");
            }
        }
        return new Result(images, spikes, models);
    }

    /** Wraps a packet as the encoder's left input. */
    static final class AsLeft implements MapFunction<EventPacket, Either<EventPacket, ImageFrame>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Either<EventPacket, ImageFrame> map(EventPacket p) {
            return Either.Left(p);
        }
    }

    /** Wraps a reference image as the encoder's right input. */
    static final class AsRight implements MapFunction<ImageFrame, Either<EventPacket, ImageFrame>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Either<EventPacket, ImageFrame> map(ImageFrame f) {
            return Either.Right(f);
        }
    }

    /** Stream id of a spike window. */
    static final class SpikeKey implements KeySelector<SpikeWindow, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SpikeWindow w) {
            return w.streamId();
        }
    }
}
