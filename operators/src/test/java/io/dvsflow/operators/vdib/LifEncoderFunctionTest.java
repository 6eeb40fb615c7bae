package io.dvsflow.operators.vdib;

import static io.dvsflow.operators.vdib.VdibFixtures.DT;
import static io.dvsflow.operators.vdib.VdibFixtures.bytes;
import static io.dvsflow.operators.vdib.VdibFixtures.encoder;
import static io.dvsflow.operators.vdib.VdibFixtures.feed;
import static io.dvsflow.operators.vdib.VdibFixtures.model;
import static io.dvsflow.operators.vdib.VdibFixtures.packets;
import static io.dvsflow.operators.vdib.VdibFixtures.spikes;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.ModelSnapshot;
import io.dvsflow.schemas.avro.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LifEncoderFunctionTest {

    static Stream<StateBackend> backends() {
        return Stream.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    /** Two streams' packets in order of their first event time (safe watermarks). */
    private static List<EventPacket> twoStreams() {
        List<EventPacket> all = new ArrayList<>(packets("a", 40, 30, 1));
        all.addAll(packets("b", 40, 30, 2));
        all.sort(java.util.Comparator.comparingLong(EventPacket::firstTimestamp));
        return all;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void snapshotAndRestoreReproduceTheStochasticSpikes(StateBackend backend) throws Exception {
        byte[] m = bytes(model(3, false), 1);
        List<EventPacket> all = twoStreams();

        var whole = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, backend);
        feed(whole, all);
        whole.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SpikeWindow> expected = spikes(whole);
        whole.close();

        int half = all.size() / 2;
        var first = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, backend);
        feed(first, all.subList(0, half));
        OperatorSubtaskState snap = first.snapshot(1, 1);
        List<SpikeWindow> got = new ArrayList<>(spikes(first));
        first.close();
        var second = encoder(new LifEncoderFunction(m, VdibSettings.inference()), snap, backend);
        feed(second, all.subList(half, all.size()));
        second.processWatermark(new Watermark(Long.MAX_VALUE));
        got.addAll(spikes(second));
        second.close();

        // 2 streams x 40 windows, silent windows included; readouts are stochastic (p about 0.5)
        // (a stream's first or last window may hold no event inside the crop)
        assertThat(expected).hasSizeBetween(76, 80);
        assertThat(expected.stream().mapToInt(w -> w.spikes().length).sum()).isPositive();
        assertThat(expected.stream().filter(w -> w.eventCount() == 0).count()).isPositive();
        assertThat(got).containsExactlyElementsOf(expected);
        // per stream in event-time order, one record per window
        assertThat(
                        expected.stream()
                                .filter(w -> w.streamId().equals("a"))
                                .map(w -> w.windowStartUs()))
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aStreamBehindTheJobsWatermarkRunsOnItsOwnClock(StateBackend backend) throws Exception {
        // a file source reads recordings one after another: the second starts at time 0 again,
        // behind the watermark the first one left; it must lose nothing and give the spikes it
        // gives alone
        byte[] m = bytes(model(3, false), 1);
        List<EventPacket> b = packets("b", 40, 30, 2);
        var alone = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, backend);
        feed(alone, b);
        alone.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SpikeWindow> expected = spikes(alone);
        alone.close();

        var h = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, backend);
        feed(h, packets("a", 40, 30, 1));
        h.processWatermark(new Watermark(100 * DT)); // past every window of "b"
        int before = spikes(h).size();
        for (int i = 0; i < b.size(); i++) {
            EventPacket p = b.get(i);
            h.processElement(VdibFixtures.left(p), p.lastTimestamp());
            if (i == b.size() / 2) {
                // windows ending 5 ms (the stream disorder) before the stream's last event are
                // already stepped: no wait for the end of the input
                long last = p.lastTimestamp();
                assertThat(spikes(h).subList(before, spikes(h).size()))
                        .isNotEmpty()
                        .allSatisfy(w -> assertThat(w.windowEndUs() - 1).isLessThanOrEqualTo(last));
            }
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SpikeWindow> got = spikes(h).stream().filter(w -> w.streamId().equals("b")).toList();
        h.close();
        assertThat(expected).hasSizeBetween(38, 40);
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void anEmptyPacketStepsTheStreamsLastWindowsAndDropsItsState() throws Exception {
        byte[] m = bytes(model(3, false), 1);
        var ended = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, null);
        feed(ended, packets("a", 10, 20, 5));
        ended.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SpikeWindow> expected = spikes(ended);
        ended.close();

        var h = encoder(new LifEncoderFunction(m, VdibSettings.inference()), null, null);
        feed(h, packets("a", 10, 20, 5));
        h.processElement(
                VdibFixtures.left(
                        new EventPacket("a", VdibFixtures.SENSOR, VdibFixtures.SENSOR, 0)),
                10 * DT);
        assertThat(spikes(h)).containsExactlyElementsOf(expected);
        assertThat(entries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        h.close();
    }

    @Test
    void stateReturnsToZeroAtTheEndOfTheStream() throws Exception {
        var h =
                encoder(
                        new LifEncoderFunction(bytes(model(3, false), 1), VdibSettings.inference()),
                        null,
                        null);
        feed(h, twoStreams());
        assertThat(entries(h)).isPositive();
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(entries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aSilentStreamIsSteppedAndDroppedAfterTheIdleTime() throws Exception {
        var h =
                encoder(
                        new LifEncoderFunction(bytes(model(3, false), 1), VdibSettings.inference()),
                        null,
                        null);
        h.setProcessingTime(1_000L);
        feed(h, packets("a", 10, 20, 5));
        // the stream's own watermark (last event - 5 ms disorder) has stepped the early windows
        int early = spikes(h).size();
        assertThat(early).isPositive();
        assertThat(entries(h)).isPositive();
        // idle time 60 s of wall clock after the last packet
        h.setProcessingTime(1_000L + 59_999L);
        assertThat(entries(h)).isPositive();
        assertThat(spikes(h)).hasSize(early);
        h.setProcessingTime(1_000L + 60_000L);
        assertThat(entries(h)).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        // the pending windows were stepped before the state was dropped: the same windows as
        // at the end of the input
        List<SpikeWindow> idled = spikes(h);
        assertThat(idled).hasSizeGreaterThan(early);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(spikes(h)).hasSameSizeAs(idled);
        h.close();
        var ended =
                encoder(
                        new LifEncoderFunction(bytes(model(3, false), 1), VdibSettings.inference()),
                        null,
                        null);
        feed(ended, packets("a", 10, 20, 5));
        ended.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(idled).containsExactlyElementsOf(spikes(ended));
        ended.close();
    }

    @Test
    void modelVersionSwitchesExactlyAtAWindowBoundary() throws Exception {
        var h =
                encoder(
                        new LifEncoderFunction(
                                bytes(model(3, false), 1),
                                VdibSettings.inference().withStreamDisorder(0)),
                        null,
                        null);
        List<EventPacket> p = packets("a", 20, 20, 9);
        List<EventPacket> early = p.stream().filter(x -> x.lastTimestamp() < 10 * DT).toList();
        List<EventPacket> late = p.stream().filter(x -> x.firstTimestamp() >= 10 * DT).toList();
        feed(h, early);
        // the stream's clock (no disorder tolerated) has stepped every window that ends at or
        // before its last event
        long lastEarly = early.get(early.size() - 1).lastTimestamp();
        h.processBroadcastElement(bytes(model(4, false), 2), 0);
        feed(h, late);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SpikeWindow> out = spikes(h);
        assertThat(out).hasSizeGreaterThanOrEqualTo(19);
        // windows stepped before the update use version 1, all later ones version 2; a silent
        // window is stepped lazily with the next window that has events, so the switch may come
        // one silent window early, but always between two steps
        assertThat(out.stream().map(SpikeWindow::modelVersion)).isSorted().contains(1L, 2L);
        for (SpikeWindow w : out) {
            if (w.windowStartUs() >= 10 * DT) {
                assertThat(w.modelVersion()).isEqualTo(2L);
            } else if (w.eventCount() > 0 && w.windowEndUs() <= lastEarly) {
                assertThat(w.modelVersion()).isEqualTo(1L);
            }
        }
        h.close();
    }

    @Test
    void badModelsAreRejectedAndTheOperatorKeepsItsModel() throws Exception {
        LifEncoderFunction fn =
                new LifEncoderFunction(bytes(model(3, false), 1), VdibSettings.inference());
        var h = encoder(fn, null, null);
        byte[] good = bytes(model(4, false), 2);
        byte[] corrupt = good.clone();
        for (int i = 10; i < corrupt.length; i++) {
            corrupt[i] = (byte) (i * 31); // garbage after the single-object header
        }
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] otherShape = bytes(model(4, false, 30), 5); // 30 hidden neurons, not 24
        byte[] unknownKind = withKind(model(4, false).toSnapshot(6, Map.of()), "hopfield-net");
        byte[] nan = withNaN(model(4, false).toSnapshot(7, Map.of()));
        for (byte[] bad : List.of(corrupt, truncated, otherShape, unknownKind, nan)) {
            h.processBroadcastElement(bad, 0);
        }
        feed(h, packets("a", 10, 20, 5));
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(spikes(h))
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w.modelVersion()).isEqualTo(1L));
        assertThat(fn.gate().rejectedCount()).isEqualTo(5L);
        assertThat(fn.gate().version()).isEqualTo(1L);
        h.close();
    }

    /** A snapshot re-encoded with another architecture kind (bypassing validation). */
    private static byte[] withKind(ModelSnapshot s, String kind) throws Exception {
        s.getArchitecture().setKind(kind);
        return encodeRaw(s);
    }

    /** A snapshot whose first tensor holds a NaN (bypassing validation). */
    private static byte[] withNaN(ModelSnapshot s) throws Exception {
        Tensor t = s.getTensors().get(0);
        ByteBuffer data =
                ByteBuffer.allocate(t.getData().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        data.put(t.getData().duplicate());
        data.putFloat(4, Float.NaN);
        data.rewind();
        t.setData(data);
        return encodeRaw(s);
    }

    private static byte[] encodeRaw(ModelSnapshot s) throws Exception {
        ByteBuffer b = ModelSnapshot.getEncoder().encode(s);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static int entries(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>)
                        ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }
}
