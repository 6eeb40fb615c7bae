package io.dvsflow.operators.filters;

import static io.dvsflow.operators.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.operators.Harnesses;
import io.dvsflow.operators.types.EventPacketSerializer;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DenoiseFilterFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, EventPacket, EventPacket> harness(
            DenoiseFilterFunction fn) throws Exception {
        return Harnesses.open(fn, new EventPacketSerializer());
    }

    /** All kept events of the output packets, concatenated. */
    private static EventPacket concat(List<EventPacket> packets) {
        EventPacket all = new EventPacket("cam", 8, 8, 0);
        packets.forEach(all::addAll);
        return all;
    }

    private static EventPacket randomEvents() {
        Random random = new Random(5);
        EventPacket p = new EventPacket("cam", 8, 8, 3_000);
        long t = 0;
        for (int i = 0; i < 3_000; i++) {
            t += random.nextInt(30);
            p.add(t, random.nextInt(8), random.nextInt(8), random.nextInt(2));
        }
        return p;
    }

    @Test
    void refractoryStateCarriesAcrossPacketsAndIsDroppedAtTheEndOrWhenIdle() throws Exception {
        var h = harness(DenoiseFilterFunction.refractory(4, 4, Duration.ofMillis(1)));
        h.setProcessingTime(0L);
        feed(h, EventPacket.builder("cam", 4, 4).on(100, 1, 1).build());
        feed(h, EventPacket.builder("cam", 4, 4).on(600, 1, 1).build()); // all dropped: no output
        feed(h, EventPacket.builder("cam", 4, 4).off(1_100, 1, 1).on(1_200, 2, 2).build());
        List<EventPacket> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(concat(out).size()).isEqualTo(3);
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        // the job's watermark far ahead (another stream) does not drop this stream's map
        h.processWatermark(10_000_000);
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        feed(h, EventPacket.builder("cam", 4, 4).on(1_250, 2, 2).build()); // refractory: dropped
        assertThat(concat(h.extractOutputValues()).size()).isEqualTo(3);
        // idle for 60 s of wall clock: dropped
        h.setProcessingTime(60_000L);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        feed(h, EventPacket.builder("cam", 4, 4).on(1_300, 2, 2).build());
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void outputDoesNotDependOnPacketBoundariesOrRestore() throws Exception {
        EventPacket all = randomEvents();
        var whole = harness(DenoiseFilterFunction.backgroundActivity(8, 8, Duration.ofMillis(1)));
        feed(whole, all);
        EventPacket expected = concat(whole.extractOutputValues());
        assertThat(expected.size()).isLessThan(all.size()).isPositive();

        List<EventPacket> pieces = Harnesses.split(all, 1, 500, 2, 700);
        var first = harness(DenoiseFilterFunction.backgroundActivity(8, 8, Duration.ofMillis(1)));
        for (EventPacket piece : pieces.subList(0, 3)) {
            feed(first, piece);
        }
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        EventPacket got = concat(first.extractOutputValues());
        first.close();
        var second =
                Harnesses.open(
                        DenoiseFilterFunction.backgroundActivity(8, 8, Duration.ofMillis(1)),
                        new EventPacketSerializer(),
                        snapshot,
                        null);
        for (EventPacket piece : pieces.subList(3, pieces.size())) {
            feed(second, piece);
        }
        got.addAll(concat(second.extractOutputValues()));
        assertThat(got).isEqualTo(expected);
        second.processWatermark(Long.MAX_VALUE);
        assertThat(second.numKeyedStateEntries()).isZero();
        assertThat(second.numEventTimeTimers()).isZero();
    }
}
