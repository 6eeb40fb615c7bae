package io.dvsflow.operators.binning;

import static io.dvsflow.operators.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dvsflow.operators.Harnesses;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameSerializer;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventBinnerTest {

    private static final long ONE_MS = 1_000L;
    private static final Duration WINDOW = Duration.ofMillis(1);
    private static final int OFF = 0;
    private static final int ON = 1;

    private static KeyedOneInputStreamOperatorTestHarness<String, EventPacket, ImageFrame> harness(
            BinnerConfig config) throws Exception {
        return Harnesses.open(new EventBinner(config), new ImageFrameSerializer());
    }

    /** Value at (c, y, x) of a C x H x W layout: index (c * H + y) * W + x. */
    private static float[] frame(int c, int h, int w, float[][] cyxv) {
        float[] f = new float[c * h * w];
        for (float[] e : cyxv) {
            f[(((int) e[0]) * h + (int) e[1]) * w + (int) e[2]] = e[3];
        }
        return f;
    }

    @Test
    void countsFiveEventsIntoTwoWindowsOnTheStreamsOwnClock() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 4, 4));
        EventPacket packet =
                EventPacket.builder("cam", 4, 4)
                        .on(100, 0, 0)
                        .on(200, 0, 0)
                        .off(300, 1, 2)
                        .on(999, 3, 3)
                        .off(1000, 2, 1) // first event of window [1000, 2000)
                        .build();
        feed(h, packet);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1); // the end of the input

        // the job's watermark does not emit windows (other streams may be ahead of this one)
        h.processWatermark(999);
        assertThat(h.extractOutputValues()).isEmpty();
        // the stream's own clock: 5,999 - 5,000 (disorder) - 1 = 998: not complete yet
        feed(h, EventPacket.builder("cam", 4, 4).on(5_999, 3, 0).build());
        assertThat(h.extractOutputValues()).isEmpty();
        // 6,000 - 5,000 - 1 = 999 = window end - 1: emitted
        feed(h, EventPacket.builder("cam", 4, 4).on(6_000, 3, 0).build());
        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        ImageFrame w0 = out.get(0);
        assertThat(w0.streamId()).isEqualTo("cam");
        assertThat(w0.windowStartUs()).isZero();
        assertThat(w0.windowEndUs()).isEqualTo(ONE_MS);
        assertThat(w0.kind()).isEqualTo("counts");
        assertThat(w0.channels()).isEqualTo(2);
        assertThat(w0.eventCount()).isEqualTo(4);
        // channel 1 = ON: (x0,y0) twice, (x3,y3) once; channel 0 = OFF: (x1,y2) once
        assertThat(w0.pixels())
                .containsExactly(
                        frame(
                                2,
                                4,
                                4,
                                new float[][] {{ON, 0, 0, 2}, {ON, 3, 3, 1}, {OFF, 2, 1, 1}}));

        h.processWatermark(Long.MAX_VALUE);
        out = h.extractOutputValues();
        assertThat(out)
                .extracting(ImageFrame::windowStartUs)
                .containsExactly(0L, 1_000L, 5_000L, 6_000L);
        ImageFrame w1 = out.get(1);
        assertThat(w1.windowStartUs()).isEqualTo(ONE_MS);
        assertThat(w1.eventCount()).isEqualTo(1);
        assertThat(w1.pixels()).containsExactly(frame(2, 4, 4, new float[][] {{OFF, 1, 2, 1}}));

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void binaryAndSignedFrames() throws Exception {
        EventPacket packet =
                EventPacket.builder("cam", 3, 1)
                        .on(10, 0, 0)
                        .on(20, 0, 0)
                        .on(30, 0, 0)
                        .off(40, 0, 0)
                        .off(50, 2, 0)
                        .build();
        var binary = harness(BinnerConfig.of(WINDOW, FrameKind.BINARY, 3, 1));
        feed(binary, packet);
        binary.processWatermark(Long.MAX_VALUE);
        // [OFF plane: x0, x1, x2][ON plane: x0, x1, x2]
        assertThat(binary.extractOutputValues().get(0).pixels())
                .containsExactly(1f, 0f, 1f, 1f, 0f, 0f);

        var signed = harness(BinnerConfig.of(WINDOW, FrameKind.SIGNED, 3, 1));
        feed(signed, packet);
        signed.processWatermark(Long.MAX_VALUE);
        ImageFrame s = signed.extractOutputValues().get(0);
        assertThat(s.channels()).isEqualTo(1);
        assertThat(s.pixels()).containsExactly(3f - 1f, 0f, -1f);
        assertThat(s.kind()).isEqualTo("signed");
    }

    @Test
    void voxelGridWeightsByHand() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.VOXEL, 2, 1).withVoxelBins(3));
        // t0 = 100, t1 = 600, span 500, B - 1 = 2: t* = 2 (t - 100) / 500
        feed(h, EventPacket.builder("cam", 2, 1).on(100, 0, 0).off(300, 1, 0).build());
        feed(h, EventPacket.builder("cam", 2, 1).on(475, 0, 0).on(600, 0, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        ImageFrame v = h.extractOutputValues().get(0);
        assertThat(v.kind()).isEqualTo("voxel");
        assertThat(v.channels()).isEqualTo(3);
        assertThat(v.eventCount()).isEqualTo(4);
        // on(100,x0): t*=0   -> bin0 += 1
        // off(300,x1): t*=0.8 -> bin0 += -0.2, bin1 += -0.8
        // on(475,x0): t*=1.5 -> bin1 += 0.5, bin2 += 0.5
        // on(600,x0): t*=2   -> bin2 += 1 (bin 3 does not exist)
        float[] expected = {1f, -0.2f, 0.5f, -0.8f, 1.5f, 0f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(v.pixels()[i]).as("value %d", i).isCloseTo(expected[i], within(1e-6f));
        }
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void voxelGridOfASingleTimestampPutsEverythingInBinZero() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.VOXEL, 1, 1).withVoxelBins(2));
        feed(h, EventPacket.builder("cam", 1, 1).on(5, 0, 0).on(5, 0, 0).off(5, 0, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        // span 0 is replaced by 1: t* = 0 for all, bin0 = 1 + 1 - 1
        assertThat(h.extractOutputValues().get(0).pixels()).containsExactly(1f, 0f);
    }

    @Test
    void mnistDvsCropKeepsTheSquareAt48To73() throws Exception {
        var cfg =
                BinnerConfig.of(WINDOW, FrameKind.COUNTS, 128, 128)
                        .withCrop(new CropRegion(48, 48, 26, 26));
        var h = harness(cfg);
        feed(
                h,
                EventPacket.builder("digit", 128, 128)
                        .on(1, 48, 48) // -> (0, 0)
                        .on(2, 73, 73) // -> (25, 25)
                        .off(3, 60, 50) // -> (12, 2)
                        .on(4, 47, 50) // left of the crop
                        .on(5, 74, 60) // right of the crop
                        .on(6, 60, 74) // below the crop
                        .build());
        h.processWatermark(Long.MAX_VALUE);
        ImageFrame f = h.extractOutputValues().get(0);
        assertThat(f.width()).isEqualTo(26);
        assertThat(f.height()).isEqualTo(26);
        assertThat(f.eventCount()).isEqualTo(3);
        assertThat(f.at(ON, 0, 0)).isEqualTo(1f);
        assertThat(f.at(ON, 25, 25)).isEqualTo(1f);
        assertThat(f.at(OFF, 2, 12)).isEqualTo(1f);
        assertThat(f.sum()).isEqualTo(3.0);
    }

    @Test
    void dvsGestureDownsamplesBy4To32x32() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 128, 128).withDownsample(4));
        feed(
                h,
                EventPacket.builder("gesture", 128, 128)
                        .on(1, 0, 0)
                        .on(2, 3, 3) // same 4x4 block as (0, 0)
                        .on(3, 4, 0) // next block to the right
                        .off(4, 127, 127) // last block
                        .on(5, 128, 0) // outside the sensor: invalid
                        .build());
        h.processWatermark(Long.MAX_VALUE);
        ImageFrame f = h.extractOutputValues().get(0);
        assertThat(f.width()).isEqualTo(32);
        assertThat(f.height()).isEqualTo(32);
        assertThat(f.at(ON, 0, 0)).isEqualTo(2f);
        assertThat(f.at(ON, 0, 1)).isEqualTo(1f);
        assertThat(f.at(OFF, 31, 31)).isEqualTo(1f);
        assertThat(f.sum()).isEqualTo(4.0);
        assertThat(f.eventCount()).isEqualTo(4);
    }

    @Test
    void lateEventsGoToTheSideOutputAndAreNotBinned() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 2, 2));
        feed(h, EventPacket.builder("cam", 2, 2).on(500, 0, 0).build());
        feed(h, EventPacket.builder("cam", 2, 2).on(6_000, 0, 1).build()); // closes [0, 1000)
        assertThat(h.extractOutputValues()).hasSize(1);

        // 950 belongs to the emitted window [0, 1000); 1200 is on time
        feed(h, EventPacket.builder("cam", 2, 2).on(950, 1, 1).on(1200, 1, 0).build());
        h.processWatermark(Long.MAX_VALUE);

        List<StreamRecord<EventPacket>> late =
                new ArrayList<>(h.getSideOutput(EventBinner.LATE_EVENTS));
        assertThat(late).hasSize(1);
        EventPacket latePacket = late.get(0).getValue();
        assertThat(latePacket.size()).isEqualTo(1);
        assertThat(latePacket.t(0)).isEqualTo(950);
        assertThat(latePacket.x(0)).isEqualTo(1);
        assertThat(latePacket.y(0)).isEqualTo(1);

        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out).hasSize(3);
        assertThat(out.get(0).eventCount()).isEqualTo(1); // unchanged by the late event
        assertThat(out.get(1).windowStartUs()).isEqualTo(ONE_MS);
        assertThat(out.get(1).eventCount()).isEqualTo(1);
        assertThat(out.get(1).at(ON, 0, 1)).isEqualTo(1f);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aStreamBehindTheJobsWatermarkLosesNothing() throws Exception {
        // a file source reads recordings one after another: "b" starts at time 0 again after "a"
        // has pushed the job's watermark far ahead; "b" is binned on its own clock
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 2, 2));
        feed(h, EventPacket.builder("a", 2, 2).on(100, 0, 0).on(20_000, 1, 1).build());
        h.processWatermark(50_000);
        feed(h, EventPacket.builder("b", 2, 2).on(100, 0, 0).on(1_100, 1, 0).build());
        feed(h, EventPacket.builder("b", 2, 2).on(7_000, 1, 1).build());
        assertThat(h.getSideOutput(EventBinner.LATE_EVENTS)).isNull();
        // "b": [0, 1000) and [1000, 2000) emitted by its own progress (7 ms - 5 ms disorder)
        assertThat(h.extractOutputValues())
                .filteredOn(f -> f.streamId().equals("b"))
                .extracting(ImageFrame::windowStartUs)
                .containsExactly(0L, 1_000L);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.extractOutputValues())
                .filteredOn(f -> f.streamId().equals("b"))
                .extracting(ImageFrame::eventCount)
                .containsExactly(1L, 1L, 1L);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anEmptyPacketEndsItsStreamAtOnce() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 2, 2));
        feed(h, EventPacket.builder("cam", 2, 2).on(500, 0, 0).on(1_500, 1, 1).build());
        feed(h, EventPacket.builder("other", 2, 2).on(500, 0, 0).build());
        assertThat(h.extractOutputValues()).isEmpty();
        // the file source's end-of-stream marker for "cam" only
        h.processElement(new EventPacket("cam", 2, 2, 0), 1_500);
        assertThat(h.extractOutputValues())
                .extracting(ImageFrame::streamId, ImageFrame::windowStartUs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cam", 0L),
                        org.assertj.core.groups.Tuple.tuple("cam", 1_000L));
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.extractOutputValues()).hasSize(3);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anIdleStreamIsEmittedAndDroppedAfterTheIdleTime() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 2, 2));
        h.setProcessingTime(0L);
        feed(h, EventPacket.builder("cam", 2, 2).on(500, 0, 0).build());
        h.setProcessingTime(59_999L);
        assertThat(h.extractOutputValues()).isEmpty();
        h.setProcessingTime(60_000L); // default idle time: 60 s of wall clock
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void keysAreBinnedIndependently() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.SIGNED, 1, 1));
        feed(h, EventPacket.builder("a", 1, 1).on(1, 0, 0).build());
        feed(h, EventPacket.builder("b", 1, 1).off(2, 0, 0).off(3, 0, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out)
                .extracting(ImageFrame::streamId, f -> f.pixels()[0])
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", 1f),
                        org.assertj.core.groups.Tuple.tuple("b", -2f));
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void negativeTimestampsUseFloorAlignedWindows() throws Exception {
        var h = harness(BinnerConfig.of(WINDOW, FrameKind.COUNTS, 1, 1));
        feed(h, EventPacket.builder("cam", 1, 1).on(-1, 0, 0).on(0, 0, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.extractOutputValues())
                .extracting(ImageFrame::windowStartUs)
                .containsExactly(-ONE_MS, 0L);
    }

    /** Sorted random events over about 20 windows of an 8 x 6 sensor. */
    private static EventPacket randomEvents(long seed, int n) {
        Random random = new Random(seed);
        EventPacket p = new EventPacket("cam", 8, 6, n);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += random.nextInt(2 * 20 * (int) ONE_MS / n + 1);
            p.add(t, random.nextInt(8), random.nextInt(6), random.nextInt(2));
        }
        return p;
    }

    /** Feeds the pieces with a watermark of (last event - 1) after each, then the final one. */
    private static List<ImageFrame> run(BinnerConfig cfg, List<EventPacket> pieces)
            throws Exception {
        var h = harness(cfg);
        for (EventPacket piece : pieces) {
            feed(h, piece);
            if (!piece.isEmpty()) {
                h.processWatermark(piece.lastTimestamp() - 1);
            }
        }
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.getSideOutput(EventBinner.LATE_EVENTS)).isNull();
        List<ImageFrame> out = h.extractOutputValues();
        h.close();
        return out;
    }

    @ParameterizedTest
    @EnumSource(FrameKind.class)
    void framesDoNotDependOnPacketBoundaries(FrameKind kind) throws Exception {
        EventPacket all = randomEvents(42, 2_000);
        BinnerConfig cfg = BinnerConfig.of(WINDOW, kind, 8, 6).withDownsample(2);
        List<ImageFrame> whole = run(cfg, List.of(all));
        assertThat(whole).hasSizeGreaterThan(15);
        assertThat(whole.stream().mapToLong(ImageFrame::eventCount).sum()).isEqualTo(2_000);

        assertThat(run(cfg, Harnesses.split(all, 1, 7, 300, 1, 999))).isEqualTo(whole);
        List<EventPacket> singles = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            singles.add(Harnesses.slice(all, i, i + 1));
        }
        assertThat(run(cfg, singles)).isEqualTo(whole);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void restoreFromSnapshotContinuesLikeAnUnbrokenRun(String backendName) throws Exception {
        for (FrameKind kind : new FrameKind[] {FrameKind.COUNTS, FrameKind.VOXEL}) {
            BinnerConfig cfg = BinnerConfig.of(WINDOW, kind, 8, 6);
            EventPacket all = randomEvents(7, 600);
            List<EventPacket> pieces = Harnesses.split(all, 200, 150, 100);
            List<ImageFrame> unbroken = run(cfg, pieces);

            StateBackend backend =
                    backendName.equals("heap") ? null : new EmbeddedRocksDBStateBackend();
            var first =
                    Harnesses.open(new EventBinner(cfg), new ImageFrameSerializer(), null, backend);
            feed(first, pieces.get(0));
            first.processWatermark(pieces.get(0).lastTimestamp() - 1);
            // the second piece leaves open windows behind in state when the snapshot is taken
            feed(first, pieces.get(1));
            OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
            List<ImageFrame> out = new ArrayList<>(first.extractOutputValues());
            first.close();

            StateBackend backend2 =
                    backendName.equals("heap") ? null : new EmbeddedRocksDBStateBackend();
            var second =
                    Harnesses.open(
                            new EventBinner(cfg), new ImageFrameSerializer(), snapshot, backend2);
            assertThat(second.numEventTimeTimers()).isPositive();
            second.processWatermark(pieces.get(1).lastTimestamp() - 1);
            for (EventPacket piece : pieces.subList(2, pieces.size())) {
                feed(second, piece);
                second.processWatermark(piece.lastTimestamp() - 1);
            }
            second.processWatermark(Long.MAX_VALUE);
            out.addAll(second.extractOutputValues());
            assertThat(second.numEventTimeTimers()).isZero();
            second.close();

            assertThat(out).as(kind.name()).isEqualTo(unbroken);
        }
    }
}
