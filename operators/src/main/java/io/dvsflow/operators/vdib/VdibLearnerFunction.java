package io.dvsflow.operators.vdib;

import io.dvsflow.models.learning.Adam;
import io.dvsflow.models.learning.DecoderFeedback;
import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.neuron.StateCodec;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.models.training.VdibModel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online VDIB learner: combines the {@link GradientSample}s of all streams and applies them to
 * the model, emitting every new version. Run it with parallelism 1 (it holds the one model being
 * learned).
 *
 * <p>Per sample ({@link LifEncoderFunction#GRADIENTS}), with the global learning signal {@code loss
 * = l_dec + beta l_enc}: a {@link GradientEstimator#REINFORCE} sample's encoder accumulators {@code
 * g} become the estimate {@code (loss - b) g} with the per-parameter baselines {@code b} ({@link
 * VdibLearner#finishSample}); a {@link GradientEstimator#PATHWISE} sample's encoder tensors are
 * already the gradient and are taken as they are (the baselines do not move). The decoder gradients
 * are taken as they are (backprop of {@code l_dec}). After {@link VdibSettings#batch()} samples
 * (from any streams) both sums are scaled by {@code 1 / batch} and one Adam step is applied to the
 * encoder ({@link VdibLearner}'s Adam) and to the decoder (a second {@link Adam} with the same
 * learning rate). The model's version is then incremented, and its snapshot is emitted
 * (single-object encoded bytes: the model output, written to files or a compacted Kafka topic by
 * the job) and published to the in-process {@link ModelChannel} when one is configured (the loop
 * back to the inference operators).
 *
 * <p><b>Checkpointed</b> (operator list state, one entry): the current model snapshot, the VDIB
 * learner state (baselines and Adam moments), the decoder's Adam state, and the partial batch; a
 * restore continues learning exactly from there (the restored model is republished to the channel).
 *
 * <p><b>Rejections</b>: a sample that cannot be decoded or does not match the model's shapes is
 * dropped with a WARN line and counted ({@code samplesRejected}). An update that produces
 * non-finite weights is discarded: the model and optimiser are rebuilt from the last good snapshot
 * (optimiser moments restart from zero), counted by {@code updatesRejected}. Gauges: {@code
 * modelVersion}, {@code lastLoss} (the last sample's learning signal) and {@code lastDecoderLoss}.
 */
public final class VdibLearnerFunction extends ProcessFunction<byte[], byte[]>
        implements CheckpointedFunction, ResultTypeQueryable<byte[]> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VdibLearnerFunction.class);
    private static final int MAGIC = 0x4446_4c52; // dvsflow learner
    private static final byte VERSION = 1;

    private final byte[] initialModel;
    private final VdibSettings settings;

    private transient VdibModel model;
    private transient long version;
    private transient byte[] currentBytes;
    private transient VdibLearner learner;
    private transient Adam decoderAdam;
    private transient float[][] decoderParams;
    private transient EncoderGradients sample;
    private transient EncoderGradients batchSum;
    private transient float[][] decoderSum;
    private transient int batchCount;
    private transient ListState<byte[]> checkpointed;
    private transient Counter samples;
    private transient Counter samplesRejected;
    private transient Counter updates;
    private transient Counter updatesRejected;
    private transient double lastLoss;
    private transient double lastDecoderLoss;

    /**
     * A learner starting from {@code initialModel}.
     *
     * @param initialModel single-object encoded VDIB snapshot (the inference operators' start
     *     model)
     * @param settings must have {@link VdibSettings#learn()}
     */
    public VdibLearnerFunction(byte[] initialModel, VdibSettings settings) {
        this.initialModel = Objects.requireNonNull(initialModel, "initialModel");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!settings.learn()) {
            throw new IllegalArgumentException("the learner needs settings with learning enabled");
        }
        ModelGate.decode(initialModel, true);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "vdib-learner",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        byte[] restored = null;
        if (context.isRestored()) {
            for (byte[] b : checkpointed.get()) {
                restored = b;
            }
        }
        if (restored != null) {
            restore(restored);
        } else {
            load(initialModel);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup g = getRuntimeContext().getMetricGroup();
        samples = g.counter("samples");
        samplesRejected = g.counter("samplesRejected");
        updates = g.counter("updates");
        updatesRejected = g.counter("updatesRejected");
        g.gauge("modelVersion", () -> version);
        g.gauge("lastLoss", () -> lastLoss);
        g.gauge("lastDecoderLoss", () -> lastDecoderLoss);
        if (settings.channelId() != null) {
            ModelChannel.named(settings.channelId()).publish(version, currentBytes);
        }
    }

    private void load(byte[] snapshotBytes) {
        ModelGate.Loaded l = ModelGate.decode(snapshotBytes, true);
        model = l.model();
        version = l.version();
        currentBytes = snapshotBytes;
        learner = new VdibLearner(model.encoder(), settings.learner());
        List<NamedTensor> dp = model.decoder().parameters();
        decoderParams = new float[dp.size()][];
        int[] sizes = new int[dp.size()];
        decoderSum = new float[dp.size()][];
        for (int i = 0; i < sizes.length; i++) {
            decoderParams[i] = dp.get(i).data();
            sizes[i] = decoderParams[i].length;
            decoderSum[i] = new float[sizes[i]];
        }
        decoderAdam = new Adam(sizes, settings.learner().learningRate());
        sample = learner.newGradients();
        batchSum = learner.newGradients();
        batchCount = 0;
    }

    @Override
    public void processElement(byte[] bytes, Context ctx, Collector<byte[]> out) {
        GradientSample gs;
        try {
            gs = GradientSample.fromBytes(bytes);
            requireShapes(gs);
        } catch (IllegalArgumentException e) {
            samplesRejected.inc();
            LOG.warn("vdib-learner: rejected a gradient sample ({})", e.getMessage());
            return;
        }
        sample.clear();
        float[][] t = sample.tensors();
        for (int k = 0; k < t.length; k++) {
            System.arraycopy(gs.encoder()[k], 0, t[k], 0, t[k].length);
        }
        // the sample's l_enc travels separately: the accumulator's own KL sum is zero here, so the
        // learning signal loss = l_dec + beta l_enc is passed whole as the decoder's loss
        double signal = gs.decoderLoss() + settings.learner().beta() * gs.klLoss();
        lastLoss =
                gs.estimator() == GradientEstimator.PATHWISE
                        ? signal
                        : learner.finishSample(sample, DecoderFeedback.of(signal));
        lastDecoderLoss = gs.decoderLoss();
        batchSum.add(sample);
        for (int k = 0; k < decoderSum.length; k++) {
            float[] s = decoderSum[k];
            float[] g = gs.decoder()[k];
            for (int i = 0; i < s.length; i++) {
                s[i] += g[i];
            }
        }
        samples.inc();
        if (++batchCount >= settings.batch()) {
            apply(out);
        }
    }

    private void requireShapes(GradientSample gs) {
        float[][] t = sample.tensors();
        if (gs.encoder().length != t.length || gs.decoder().length != decoderSum.length) {
            throw new IllegalArgumentException("tensor count does not match the model");
        }
        for (int k = 0; k < t.length; k++) {
            if (gs.encoder()[k].length != t[k].length) {
                throw new IllegalArgumentException("encoder tensor " + k + " size mismatch");
            }
        }
        for (int k = 0; k < decoderSum.length; k++) {
            if (gs.decoder()[k].length != decoderSum[k].length) {
                throw new IllegalArgumentException("decoder tensor " + k + " size mismatch");
            }
        }
        if (!Double.isFinite(gs.decoderLoss()) || !Double.isFinite(gs.klLoss())) {
            throw new IllegalArgumentException("non-finite loss");
        }
    }

    private void apply(Collector<byte[]> out) {
        float f = 1f / batchCount;
        batchSum.scale(f);
        learner.applyGradients(batchSum);
        for (float[] s : decoderSum) {
            for (int i = 0; i < s.length; i++) {
                s[i] *= f;
            }
        }
        decoderAdam.step(decoderParams, decoderSum);
        model.decoder().parametersChanged();
        for (float[] s : decoderSum) {
            java.util.Arrays.fill(s, 0f);
        }
        int combined = batchCount;
        batchCount = 0;
        byte[] next;
        try {
            next =
                    ModelSnapshots.toBytes(
                            model.toSnapshot(
                                    version + 1,
                                    Map.of(
                                            "learner", "online",
                                            "samplesInUpdate", Integer.toString(combined),
                                            "lastLoss", Double.toString(lastLoss))));
        } catch (InvalidSnapshotException e) {
            updatesRejected.inc();
            LOG.warn(
                    "vdib-learner: discarded an update ({}); back to model version {}",
                    e.getMessage(),
                    version);
            load(currentBytes);
            return;
        }
        version++;
        currentBytes = next;
        updates.inc();
        out.collect(next);
        if (settings.channelId() != null) {
            ModelChannel.named(settings.channelId()).publish(version, next);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        StateCodec.Writer w = new StateCodec.Writer(1 << 16);
        w.header(MAGIC, VERSION)
                .putBytes(currentBytes)
                .putBytes(learner.toBytes())
                .putBytes(decoderAdam.toBytes())
                .putInt(batchCount);
        for (float[] t : batchSum.tensors()) {
            w.putFloats(t);
        }
        for (float[] t : decoderSum) {
            w.putFloats(t);
        }
        w.putLong(Double.doubleToLongBits(batchSum.klLoss()));
        checkpointed.update(List.of(w.toByteArray()));
    }

    private void restore(byte[] data) {
        StateCodec.Reader r = new StateCodec.Reader(data, "VDIB learner state");
        r.header(MAGIC, VERSION);
        byte[] modelBytes = r.getBlob("model", (int) ModelSnapshots.MAX_SNAPSHOT_BYTES);
        byte[] learnerBytes = r.getBlob("learner", Integer.MAX_VALUE);
        byte[] adamBytes = r.getBlob("decoder adam", Integer.MAX_VALUE);
        load(modelBytes);
        learner.restore(learnerBytes);
        decoderAdam.restore(adamBytes);
        batchCount = r.getInt("batch count", 0, settings.batch());
        for (float[] t : batchSum.tensors()) {
            r.getFloats("batch encoder gradients", t);
        }
        for (float[] t : decoderSum) {
            r.getFloats("batch decoder gradients", t);
        }
        r.getLong();
        r.end();
        LOG.info("vdib-learner: restored at model version {}", version);
    }

    /** The version of the model being learned (tests). */
    long version() {
        return version;
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
