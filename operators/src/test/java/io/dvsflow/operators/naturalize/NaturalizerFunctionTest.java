package io.dvsflow.operators.naturalize;

import static io.dvsflow.operators.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class NaturalizerFunctionTest {

    private static final Duration WINDOW = Duration.ofMillis(10);
    private static final double ALPHA = 10.0; // rad/s
    private static final float C = 0.5f;

    private static KeyedOneInputStreamOperatorTestHarness<String, EventPacket, ImageFrame> harness(
            NaturalizerConfig cfg) throws Exception {
        return Harnesses.open(new NaturalizerFunction(cfg), new ImageFrameSerializer());
    }

    /** Contribution of one event at tUs seen at time atUs: c * p * exp(-alpha * (at - t) s). */
    private static double hp(double p, long tUs, long atUs) {
        return C * p * Math.exp(-ALPHA * (atUs - tUs) * 1e-6);
    }

    @Test
    void highPassMatchesThePerEventFilterAtEveryWindowEnd() throws Exception {
        var h = harness(NaturalizerConfig.highPass(WINDOW, 2, 1, C, ALPHA));
        feed(
                h,
                EventPacket.builder("cam", 2, 1)
                        .on(2_000, 0, 0) // window [0, 10 ms)
                        .on(12_000, 1, 0) // window [10, 20 ms)
                        .off(15_000, 0, 0)
                        .build());
        // window [20, 30 ms) has no event; window [30, 40 ms):
        feed(h, EventPacket.builder("cam", 2, 1).on(35_000, 1, 0).build());
        // the stream's clock (35 ms - 5 ms disorder) has closed the first two windows; the job's
        // watermark does not close windows, the end of the input does
        assertThat(h.extractOutputValues()).hasSize(2);
        h.processWatermark(39_999);
        assertThat(h.extractOutputValues()).hasSize(2);
        h.processWatermark(Long.MAX_VALUE);
        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out)
                .extracting(ImageFrame::windowEndUs)
                .containsExactly(10_000L, 20_000L, 40_000L);
        assertThat(out).extracting(ImageFrame::kind).containsOnly("highpass");
        assertThat(out).extracting(ImageFrame::eventCount).containsExactly(1L, 2L, 1L);

        // per-pixel L <- exp(-alpha dt) L + c p, evaluated at each window end
        double[][] expected = {
            {hp(+1, 2_000, 10_000), 0.0},
            {hp(+1, 2_000, 20_000) + hp(-1, 15_000, 20_000), hp(+1, 12_000, 20_000)},
            {
                hp(+1, 2_000, 40_000) + hp(-1, 15_000, 40_000),
                hp(+1, 12_000, 40_000) + hp(+1, 35_000, 40_000)
            },
        };
        for (int k = 0; k < expected.length; k++) {
            for (int x = 0; x < 2; x++) {
                assertThat((double) out.get(k).at(0, 0, x))
                        .as("window %d pixel %d", k, x)
                        .isCloseTo(expected[k][x], within(1e-6));
            }
        }
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void imageRestartsFromZeroAfterTheRetentionInStreamTime() throws Exception {
        // default retention 10 / alpha = 1 s
        var h = harness(NaturalizerConfig.highPass(WINDOW, 1, 1, C, ALPHA));
        feed(h, EventPacket.builder("cam", 1, 1).on(5_000, 0, 0).build());
        feed(h, EventPacket.builder("cam", 1, 1).on(505_000, 0, 0).build()); // 0.5 s later
        feed(h, EventPacket.builder("cam", 1, 1).on(2_005_000, 0, 0).build()); // 1.5 s later
        h.processWatermark(Long.MAX_VALUE);
        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out).hasSize(3);
        // within the retention the image carries the decayed past ...
        assertThat((double) out.get(1).pixels()[0])
                .isCloseTo(hp(+1, 5_000, 510_000) + hp(+1, 505_000, 510_000), within(1e-7));
        // ... after it, it starts from zero
        assertThat((double) out.get(2).pixels()[0])
                .isCloseTo(hp(+1, 2_005_000, 2_010_000), within(1e-7));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anIdleStreamIsEmittedAndDroppedAfterTheIdleTime() throws Exception {
        var h = harness(NaturalizerConfig.highPass(WINDOW, 1, 1, C, ALPHA));
        h.setProcessingTime(1_000L);
        feed(h, EventPacket.builder("cam", 1, 1).on(5_000, 0, 0).build());
        assertThat(h.extractOutputValues()).isEmpty();
        h.setProcessingTime(1_000L + 59_999L);
        assertThat(h.numKeyedStateEntries()).isPositive();
        h.setProcessingTime(1_000L + 60_000L); // default idle time 60 s of wall clock
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void directIntegrationSumsContrastStepsExactly() throws Exception {
        var h = harness(NaturalizerConfig.directIntegration(WINDOW, 2, 1, 0.25f));
        feed(h, EventPacket.builder("cam", 2, 1).on(1, 0, 0).on(2, 0, 0).off(3, 1, 0).build());
        feed(h, EventPacket.builder("cam", 2, 1).off(10_001, 0, 0).build());
        // window 2 far later: integration never decays
        feed(h, EventPacket.builder("cam", 2, 1).on(5_000_000, 1, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        List<ImageFrame> out = h.extractOutputValues();
        assertThat(out).extracting(ImageFrame::kind).containsOnly("integrate");
        assertThat(out.get(0).pixels()).containsExactly(0.5f, -0.25f);
        assertThat(out.get(1).pixels()).containsExactly(0.25f, -0.25f);
        assertThat(out.get(2).pixels()).containsExactly(0.25f, 0f);
        // unbounded retention: everything goes at the final watermark
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void lateEventsGoToTheSideOutput() throws Exception {
        var h = harness(NaturalizerConfig.directIntegration(WINDOW, 1, 1, 1f));
        feed(h, EventPacket.builder("cam", 1, 1).on(1_000, 0, 0).build());
        // 16 ms - 5 ms disorder: the stream's clock closes window [0, 10 ms)
        feed(h, EventPacket.builder("cam", 1, 1).on(16_000, 0, 0).build());
        feed(h, EventPacket.builder("cam", 1, 1).on(9_000, 0, 0).on(11_000, 0, 0).build());
        h.processWatermark(Long.MAX_VALUE);
        var late = new ArrayList<>(h.getSideOutput(NaturalizerFunction.LATE_EVENTS));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).getValue().t(0)).isEqualTo(9_000);
        assertThat(h.extractOutputValues()).extracting(f -> f.pixels()[0]).containsExactly(1f, 3f);
    }

    private static EventPacket randomEvents(long seed, int n) {
        Random random = new Random(seed);
        EventPacket p = new EventPacket("cam", 5, 4, n);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += random.nextInt(200);
            p.add(t, random.nextInt(5), random.nextInt(4), random.nextInt(2));
        }
        return p;
    }

    private static List<ImageFrame> run(NaturalizerConfig cfg, List<EventPacket> pieces)
            throws Exception {
        var h = harness(cfg);
        for (EventPacket piece : pieces) {
            feed(h, piece);
            h.processWatermark(piece.lastTimestamp() - 1);
        }
        h.processWatermark(Long.MAX_VALUE);
        List<ImageFrame> out = h.extractOutputValues();
        h.close();
        return out;
    }

    @Test
    void packetBoundariesAndRestoreDoNotChangeTheImages() throws Exception {
        NaturalizerConfig cfg = NaturalizerConfig.highPass(WINDOW, 5, 4, C, ALPHA);
        EventPacket all = randomEvents(3, 1_000);
        List<ImageFrame> whole = run(cfg, List.of(all));
        assertThat(whole).hasSizeGreaterThan(5);
        List<EventPacket> pieces = Harnesses.split(all, 3, 400, 17, 250);
        assertThat(run(cfg, pieces)).isEqualTo(whole);

        var first = harness(cfg);
        feed(first, pieces.get(0));
        first.processWatermark(pieces.get(0).lastTimestamp() - 1);
        feed(first, pieces.get(1));
        first.processWatermark(pieces.get(1).lastTimestamp() - 1);
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        List<ImageFrame> out = new ArrayList<>(first.extractOutputValues());
        first.close();
        var second =
                Harnesses.open(
                        new NaturalizerFunction(cfg), new ImageFrameSerializer(), snapshot, null);
        for (EventPacket piece : pieces.subList(2, pieces.size())) {
            feed(second, piece);
            second.processWatermark(piece.lastTimestamp() - 1);
        }
        second.processWatermark(Long.MAX_VALUE);
        out.addAll(second.extractOutputValues());
        assertThat(out).isEqualTo(whole);
        assertThat(second.numKeyedStateEntries()).isZero();
    }

    @Test
    void configRejectsBadSettings() {
        assertThatThrownBy(() -> NaturalizerConfig.highPass(WINDOW, 2, 2, 0f, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contrast");
        assertThatThrownBy(() -> NaturalizerConfig.highPass(WINDOW, 2, 2, 1f, -1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cutoffRadPerSecond");
        assertThatThrownBy(() -> NaturalizerConfig.directIntegration(Duration.ofNanos(1), 2, 2, 1f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
        assertThat(NaturalizerConfig.highPass(WINDOW, 2, 2, 1f, 10.0).retentionUs())
                .isEqualTo(1_000_000L);
        assertThat(NaturalizerConfig.directIntegration(WINDOW, 2, 2, 1f).retentionUs())
                .isEqualTo(Long.MAX_VALUE);
    }
}
