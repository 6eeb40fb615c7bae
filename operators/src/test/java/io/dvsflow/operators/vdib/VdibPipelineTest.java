package io.dvsflow.operators.vdib;

import static io.dvsflow.operators.vdib.VdibFixtures.DT;
import static io.dvsflow.operators.vdib.VdibFixtures.H;
import static io.dvsflow.operators.vdib.VdibFixtures.TAU_D;
import static io.dvsflow.operators.vdib.VdibFixtures.W;
import static io.dvsflow.operators.vdib.VdibFixtures.bytes;
import static io.dvsflow.operators.vdib.VdibFixtures.decoder;
import static io.dvsflow.operators.vdib.VdibFixtures.encoder;
import static io.dvsflow.operators.vdib.VdibFixtures.feed;
import static io.dvsflow.operators.vdib.VdibFixtures.model;
import static io.dvsflow.operators.vdib.VdibFixtures.packets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibRunner;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameAvroConverter;
import io.dvsflow.schemas.EventPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class VdibPipelineTest {

    static Stream<StateBackend> backends() {
        return Stream.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    /** Runs packets through encoder and decoder, optionally snapshotting both after {@code cut}. */
    private static List<ImageFrame> run(
            byte[] m, List<EventPacket> all, int cut, StateBackend backend) throws Exception {
        VdibSettings s = VdibSettings.inference().withSeed(11);
        var enc = encoder(new LifEncoderFunction(m, s), null, backend);
        var dec = decoder(new VdibDecoderFunction(m, s), null, backend);
        List<ImageFrame> images = new ArrayList<>();
        int end = cut < 0 ? all.size() : cut;
        feed(enc, all.subList(0, end));
        pipe(enc, dec, images);
        if (cut >= 0) {
            OperatorSubtaskState es = enc.snapshot(1, 1);
            OperatorSubtaskState ds = dec.snapshot(1, 1);
            enc.close();
            dec.close();
            enc = encoder(new LifEncoderFunction(m, s), es, backend);
            dec = decoder(new VdibDecoderFunction(m, s), ds, backend);
            feed(enc, all.subList(cut, all.size()));
        }
        enc.processWatermark(new Watermark(Long.MAX_VALUE));
        pipe(enc, dec, images);
        dec.processWatermark(new Watermark(Long.MAX_VALUE));
        enc.close();
        dec.close();
        return images;
    }

    private static void pipe(
            KeyedBroadcastOperatorTestHarness<String, ?, byte[], SpikeWindow> enc,
            KeyedBroadcastOperatorTestHarness<String, SpikeWindow, byte[], ImageFrame> dec,
            List<ImageFrame> images)
            throws Exception {
        for (SpikeWindow w : enc.extractOutputValues()) {
            dec.processElement(w, w.windowEndUs() - 1);
        }
        enc.getOutput().clear();
        images.addAll(dec.extractOutputValues());
        dec.getOutput().clear();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void restoredPipelineGivesIdenticalImages(StateBackend backend) throws Exception {
        byte[] m = bytes(model(5, false), 3);
        List<EventPacket> all = packets("cam", 60, 25, 7);
        List<ImageFrame> whole = run(m, all, -1, backend);
        List<ImageFrame> restored = run(m, all, all.size() / 3, backend);
        assertThat(whole).hasSizeGreaterThan(55);
        assertThat(restored).containsExactlyElementsOf(whole);
        ImageFrame f = whole.get(whole.size() - 1);
        assertThat(f.kind()).isEqualTo("vdib");
        assertThat(f.modelVersion()).isEqualTo(3L);
        assertThat(ImageFrameAvroConverter.toAvro(f).getModelVersion()).isEqualTo(3L);
        assertThat(ImageFrameAvroConverter.fromAvro(ImageFrameAvroConverter.toAvro(f)))
                .isEqualTo(f);
        assertThat(f.width()).isEqualTo(W);
        assertThat(f.height()).isEqualTo(H);
        for (float v : f.pixels()) {
            assertThat(v).isBetween(0f, 1f);
        }
        // images depend on the spikes: not all equal
        assertThat(
                        whole.stream()
                                .map(i -> java.util.Arrays.hashCode(i.pixels()))
                                .distinct()
                                .count())
                .isGreaterThan(10);
    }

    @Test
    void decoderEmitsEveryKthWindowAndDropsItsStateAtTheEnd() throws Exception {
        byte[] m = bytes(model(5, false), 1);
        VdibSettings s = VdibSettings.inference().withEmitEvery(3);
        var dec = decoder(new VdibDecoderFunction(m, s), null, null);
        for (int k = 0; k < 12; k++) {
            dec.processElement(
                    new SpikeWindow(
                            "x",
                            k * DT,
                            (k + 1) * DT,
                            1,
                            new int[] {k % 16},
                            1,
                            1,
                            new int[] {0},
                            0),
                    (k + 1) * DT - 1);
        }
        List<ImageFrame> out = dec.extractOutputValues();
        assertThat(out)
                .extracting(ImageFrame::windowStartUs)
                .containsExactly(2 * DT, 5 * DT, 8 * DT, 11 * DT);
        // spike statistics: the image of window 5 decodes windows 1..5 (tau_d = 5), one readout
        // spike each on neurons 1..5 of 16: rate 5 / (16 x 5), 5 of 16 neurons active, none in at
        // least half of the steps; the hidden layer (24 neurons) fired 0 times in window 5
        assertThat(out.get(1).spikeStats())
                .containsExactly(0f, Float.NaN, Float.NaN, 5f / 80f, 5f / 16f, 0f);
        // window 2: only windows 0..2 exist yet
        assertThat(out.get(0).spikeStats()[3]).isEqualTo(3f / 80f);
        assertThat(out.get(0).statLayerName(1)).isEqualTo("readout");
        assertThat(LifEncoderFunctionTest.entries(dec)).isPositive();
        dec.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(LifEncoderFunctionTest.entries(dec)).isZero();
        dec.close();
    }

    /** A fixed target: a bright rectangle on black, W x H. */
    private static ImageFrame target(String stream, long windowStart) {
        float[] px = new float[W * H];
        for (int y = 2; y < H - 2; y++) {
            for (int x = 3; x < W - 3; x++) {
                px[y * W + x] = 1f;
            }
        }
        return new ImageFrame(stream, windowStart, windowStart + DT, W, H, 1, px, "target", 0);
    }

    /** Distinct active input indices of each window of {@code packets}, ascending (as binned). */
    private static VdibSample offlineBins(List<EventPacket> packets, int windows, float[] target) {
        java.util.TreeSet<Integer>[] bins = new java.util.TreeSet[windows];
        for (int k = 0; k < windows; k++) {
            bins[k] = new java.util.TreeSet<>();
        }
        for (EventPacket p : packets) {
            for (int i = 0; i < p.size(); i++) {
                int x = p.x(i) - VdibFixtures.CROP_X;
                int y = p.y(i) - VdibFixtures.CROP_Y;
                int k = (int) Math.floorDiv(p.t(i), DT);
                if (x >= 0 && x < W && y >= 0 && y < H && k < windows) {
                    bins[k].add(p.p(i) * W * H + y * W + x);
                }
            }
        }
        int[] offsets = new int[windows + 1];
        List<Integer> idx = new ArrayList<>();
        for (int k = 0; k < windows; k++) {
            idx.addAll(bins[k]);
            offsets[k + 1] = idx.size();
        }
        return VdibSample.ofBins(
                offsets, idx.stream().mapToInt(Integer::intValue).toArray(), target, -1);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void streamingPathwiseSampleEqualsTheOfflineGradientAlsoAfterARestore(StateBackend backend)
            throws Exception {
        // streams of exactly T = 50 windows and references at the last one: stream a's sample
        // must equal the offline trainer's pathwise gradient of the same recording (same
        // generator seed), with stream b interleaved and a checkpoint and restore in the middle
        VdibLearner.Config cfg = new VdibLearner.Config(0.02, 0.3, 2e-2, 0.99, 17L);
        byte[] m = bytes(model(5, true), 1);
        VdibSettings s =
                VdibSettings.inference()
                        .withSeed(11)
                        .withStreamDisorder(0) // windows step as the streams go, interleaved
                        .withLearning(cfg, 1, GradientEstimator.PATHWISE);
        int windows = 50;
        List<EventPacket> a = packets("a", windows, 20, 23);
        ImageFrame ref = target("a", (windows - 1) * DT);
        // a second stream interleaved with the first: per-key state must stay per key
        List<EventPacket> both = new ArrayList<>(a);
        both.addAll(packets("b", windows, 20, 24));
        both.sort(java.util.Comparator.comparingLong(EventPacket::firstTimestamp));
        var enc = encoder(new LifEncoderFunction(m, s), null, backend);
        enc.processElement(VdibFixtures.right(ref), ref.windowStartUs());
        enc.processElement(
                VdibFixtures.right(target("b", (windows - 1) * DT)), ref.windowStartUs());
        int cut = both.size() / 2;
        feed(enc, both.subList(0, cut));
        OperatorSubtaskState snap = enc.snapshot(1, 1);
        enc.close();
        enc = encoder(new LifEncoderFunction(m, s), snap, backend);
        feed(enc, both.subList(cut, both.size()));
        enc.processWatermark(new Watermark(Long.MAX_VALUE));
        var side = enc.getSideOutput(LifEncoderFunction.GRADIENTS);
        assertThat(side).hasSize(2);
        GradientSample gs = null;
        for (StreamRecord<byte[]> rec : side) {
            GradientSample g = GradientSample.fromBytes(rec.getValue());
            if (g.streamId().equals("a")) {
                gs = g;
            }
        }
        assertThat(gs).isNotNull();
        enc.close();
        assertThat(gs.estimator()).isEqualTo(GradientEstimator.PATHWISE);
        assertThat(gs.steps()).isEqualTo(windows);

        VdibModel off = VdibModel.fromSnapshot(ModelSnapshots.fromBytes(m), true);
        assertThat(off.steps()).isEqualTo(windows);
        VdibSample sample = offlineBins(a, windows, ref.pixels());
        VdibRunner r = new VdibRunner(off);
        long seed = s.streamSeed("a");
        r.encode(sample, seed, null, null);
        r.decode(new float[W * H]);
        double loss = r.backwardWithInputGradient(ref.pixels());
        VdibLearner learner = new VdibLearner(off.encoder(), cfg);
        EncoderGradients g = learner.newGradients();
        r.encodePathwise(sample, seed, learner, g);

        assertThat(gs.decoderLoss()).isCloseTo(loss, within(1e-9 * Math.abs(loss) + 1e-9));
        // equal up to float rounding (the stream keeps its sums in restored state)
        assertThat(gs.klLoss()).isCloseTo(g.klLoss(), within(1e-6 * g.klLoss()));
        double norm = 0;
        for (int k = 0; k < g.tensors().length; k++) {
            float[] want = g.tensors()[k];
            float[] got = gs.encoder()[k];
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i])
                        .as("tensor %d [%d]", k, i)
                        .isCloseTo(want[i], within(1e-5 + 1e-5 * Math.abs(want[i])));
                norm += Math.abs(want[i]);
            }
        }
        assertThat(norm).isGreaterThan(0.1);
    }

    @ParameterizedTest
    @EnumSource(GradientEstimator.class)
    void onlineLearningLowersTheDecoderLossAndContinuesExactlyAfterARestore(
            GradientEstimator estimator) throws Exception {
        String channel = "test-" + System.nanoTime();
        byte[] m = bytes(model(5, true), 1);
        VdibSettings s =
                VdibSettings.inference()
                        .withChannel(channel)
                        .withLearning(
                                new VdibLearner.Config(1e-3, 0.3, 2e-2, 0.99, 17L), 2, estimator);
        var enc = encoder(new LifEncoderFunction(m, s), null, null);
        var learner = learner(new VdibLearnerFunction(m, s), null);
        int windows = 200;
        List<EventPacket> a = packets("a", windows, 20, 21);
        List<EventPacket> b = packets("b", windows, 20, 22);
        List<EventPacket> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(java.util.Comparator.comparingLong(EventPacket::firstTimestamp));
        for (int k = TAU_D - 1; k < windows; k += TAU_D) {
            enc.processElement(VdibFixtures.right(target("a", k * DT)), k * DT);
            enc.processElement(VdibFixtures.right(target("b", k * DT)), k * DT);
        }
        List<Double> losses = new ArrayList<>();
        List<byte[]> samples = new ArrayList<>();
        for (EventPacket p : all) {
            enc.processElement(VdibFixtures.left(p), p.lastTimestamp());
            enc.processWatermark(new Watermark(p.firstTimestamp() - 1));
            var side = enc.getSideOutput(LifEncoderFunction.GRADIENTS);
            if (side == null) {
                continue;
            }
            for (StreamRecord<byte[]> r : side) {
                losses.add(GradientSample.fromBytes(r.getValue()).decoderLoss());
                samples.add(r.getValue());
                learner.processElement(r.getValue(), 0);
            }
            side.clear();
        }
        enc.close();
        assertThat(losses).hasSizeGreaterThan(60);
        double first = losses.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        int n = losses.size();
        double last =
                losses.subList(n - 10, n).stream().mapToDouble(d -> d).average().orElseThrow();
        assertThat(last).isLessThan(0.7 * first);
        List<byte[]> models = learner.extractOutputValues();
        assertThat(models).hasSize(n / 2); // one version per 2 samples
        assertThat(ModelSnapshots.fromBytes(models.get(models.size() - 1)).getVersion())
                .isEqualTo(1L + n / 2);
        assertThat(ModelChannel.named(channel).latestVersion()).isEqualTo(1L + n / 2);

        // restore exactness: a learner restored after 21 samples (one in a partial batch) emits the
        // same models for the remaining samples as one that never stopped
        var a1 = learner(new VdibLearnerFunction(m, s.withChannel(null)), null);
        for (int i = 0; i < 21; i++) {
            a1.processElement(samples.get(i), 0);
        }
        OperatorSubtaskState snap = a1.snapshot(1, 1);
        a1.getOutput().clear();
        var a2 = learner(new VdibLearnerFunction(m, s.withChannel(null)), snap);
        for (int i = 21; i < 41; i++) {
            a1.processElement(samples.get(i), 0);
            a2.processElement(samples.get(i), 0);
        }
        List<byte[]> m1 = a1.extractOutputValues();
        List<byte[]> m2 = a2.extractOutputValues();
        assertThat(m1).hasSize(10).hasSameSizeAs(m2);
        for (int i = 0; i < m1.size(); i++) {
            var t1 = ModelSnapshots.tensors(ModelSnapshots.fromBytes(m1.get(i)));
            var t2 = ModelSnapshots.tensors(ModelSnapshots.fromBytes(m2.get(i)));
            assertThat(t2.keySet()).isEqualTo(t1.keySet());
            for (Map.Entry<String, NamedTensor> e : t1.entrySet()) {
                assertThat(t2.get(e.getKey()).data())
                        .as(e.getKey())
                        .containsExactly(e.getValue().data());
            }
        }
        ModelChannel.release(channel);
    }

    private static OneInputStreamOperatorTestHarness<byte[], byte[]> learner(
            VdibLearnerFunction fn, OperatorSubtaskState state) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn));
        h.setup(
                new org.apache.flink.api.common.typeutils.base.array
                        .BytePrimitiveArraySerializer());
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }
}
