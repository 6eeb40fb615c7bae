package io.dvsflow.operators.vdib;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameSerializer;
import io.dvsflow.schemas.EventPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.types.Either;

/** A tiny VDIB model, synthetic event streams and harnesses for the VDIB operator tests. */
final class VdibFixtures {

    static final int SENSOR = 32;
    static final int CROP_X = 8;
    static final int CROP_Y = 6;
    static final int W = 12;
    static final int H = 10;
    static final long DT = 1_000L;
    static final int HIDDEN = 24;
    static final int NY = 16;
    static final int TAU_D = 5;

    private VdibFixtures() {}

    /** The tiny model: 2x10x12 inputs, 24 LIF, 16 stochastic readouts, logistic 12x10 decoder. */
    static VdibModel model(long seed, boolean traces) {
        return model(seed, traces, HIDDEN);
    }

    static VdibModel model(long seed, boolean traces, int hidden) {
        SnnEncoder enc =
                SnnEncoder.random(
                        2 * W * H,
                        new int[] {hidden},
                        NY,
                        LifParameters.decolle(),
                        4,
                        6,
                        0.5f,
                        traces,
                        seed);
        return new VdibModel(
                enc,
                new LogisticDecoder(NY * TAU_D, W, H, seed + 1),
                DecoderInputMode.WINDOW,
                TAU_D,
                VdibModel.InputSettings.dvs(W, H, CROP_X, CROP_Y, 50, DT),
                1e-3,
                0.3);
    }

    static byte[] bytes(VdibModel m, long version) {
        return ModelSnapshots.toBytes(m.toSnapshot(version, Map.of()));
    }

    /**
     * Packets of one stream: {@code windows} windows of {@code DT}, about {@code perWindow} events
     * each (some outside the crop), split into packets of up to 7 events that may straddle windows;
     * windows listed in {@code silent} get no events.
     */
    static List<EventPacket> packets(String stream, int windows, int perWindow, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<EventPacket> out = new ArrayList<>();
        EventPacket p = new EventPacket(stream, SENSOR, SENSOR, 7);
        for (int k = 0; k < windows; k++) {
            if (k % 7 == 3) {
                continue; // a silent window: stepped with no input
            }
            int n = 1 + r.nextInt(perWindow);
            long t0 = k * DT;
            for (int i = 0; i < n; i++) {
                long t = t0 + (long) i * DT / n;
                p.add(t, r.nextInt(SENSOR), r.nextInt(SENSOR), r.nextInt(2));
                if (p.isFull()) {
                    out.add(p);
                    p = new EventPacket(stream, SENSOR, SENSOR, 7);
                }
            }
        }
        if (!p.isEmpty()) {
            out.add(p);
        }
        return out;
    }

    static Either<EventPacket, ImageFrame> left(EventPacket p) {
        return Either.Left(p);
    }

    static Either<EventPacket, ImageFrame> right(ImageFrame f) {
        return Either.Right(f);
    }

    /** An open encoder harness (restored from {@code state} when not null). */
    static KeyedBroadcastOperatorTestHarness<
                    String, Either<EventPacket, ImageFrame>, byte[], SpikeWindow>
            encoder(LifEncoderFunction fn, OperatorSubtaskState state, StateBackend backend)
                    throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                fn, List.of(LifEncoderFunction.MODEL_STATE)),
                        new LifEncoderFunction.InputKey(),
                        Types.STRING,
                        1,
                        1,
                        0);
        if (backend != null) {
            h.setStateBackend(backend);
        }
        h.setup(new SpikeWindowSerializer());
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        // the model stream carries no event time: its watermark is at the end of time
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        return h;
    }

    /** An open decoder harness (restored from {@code state} when not null). */
    static KeyedBroadcastOperatorTestHarness<String, SpikeWindow, byte[], ImageFrame> decoder(
            VdibDecoderFunction fn, OperatorSubtaskState state, StateBackend backend)
            throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                fn, List.of(VdibDecoderFunction.MODEL_STATE)),
                        SpikeWindow::streamId,
                        Types.STRING,
                        1,
                        1,
                        0);
        if (backend != null) {
            h.setStateBackend(backend);
        }
        h.setup(new ImageFrameSerializer());
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        // the model stream carries no event time: its watermark is at the end of time
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        return h;
    }

    /** Feeds packets with their last event time as timestamp and a watermark after each. */
    static void feed(
            KeyedBroadcastOperatorTestHarness<String, Either<EventPacket, ImageFrame>, byte[], ?> h,
            List<EventPacket> packets)
            throws Exception {
        for (EventPacket p : packets) {
            h.processElement(left(p), p.lastTimestamp());
            h.processWatermark(new Watermark(p.firstTimestamp() - 1));
        }
    }

    /** Spike windows emitted so far, wall-clock stamps removed. */
    static List<SpikeWindow> spikes(
            KeyedBroadcastOperatorTestHarness<String, ?, byte[], SpikeWindow> h) {
        List<SpikeWindow> out = new ArrayList<>();
        for (SpikeWindow w : h.extractOutputValues()) {
            out.add(w.withoutWallClock());
        }
        return out;
    }
}
