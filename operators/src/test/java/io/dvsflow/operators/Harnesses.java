package io.dvsflow.operators;

import io.dvsflow.operators.types.StreamIdKeySelector;
import io.dvsflow.schemas.EventPacket;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Builds keyed test harnesses around the operators' process functions. */
public final class Harnesses {

    private Harnesses() {}

    /** An open harness keyed by stream id, with empty state. */
    public static <O> KeyedOneInputStreamOperatorTestHarness<String, EventPacket, O> open(
            KeyedProcessFunction<String, EventPacket, O> fn, TypeSerializer<O> outSerializer)
            throws Exception {
        return open(fn, outSerializer, null, null);
    }

    /**
     * An open harness, restored from {@code state} when not null, on {@code backend} when not null
     * (else the heap backend).
     */
    public static <O> KeyedOneInputStreamOperatorTestHarness<String, EventPacket, O> open(
            KeyedProcessFunction<String, EventPacket, O> fn,
            TypeSerializer<O> outSerializer,
            OperatorSubtaskState state,
            StateBackend backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EventPacket, O> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn), new StreamIdKeySelector(), Types.STRING);
        if (backend != null) {
            h.setStateBackend(backend);
        }
        h.setup(outSerializer);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    /** Feeds a packet with its last event time as record timestamp. */
    public static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, EventPacket, ?> h, EventPacket packet)
            throws Exception {
        h.processElement(packet, packet.isEmpty() ? 0 : packet.lastTimestamp());
    }

    /** Splits a packet into consecutive pieces of the given sizes (the rest in a last piece). */
    public static List<EventPacket> split(EventPacket all, int... sizes) {
        List<EventPacket> pieces = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            pieces.add(slice(all, from, Math.min(all.size(), from + size)));
            from = Math.min(all.size(), from + size);
        }
        if (from < all.size()) {
            pieces.add(slice(all, from, all.size()));
        }
        return pieces;
    }

    /** Events {@code [from, to)} of {@code all} as a new packet. */
    public static EventPacket slice(EventPacket all, int from, int to) {
        EventPacket p = new EventPacket(all.streamId(), all.width(), all.height(), to - from);
        for (int i = from; i < to; i++) {
            p.add(all.t(i), all.x(i), all.y(i), all.p(i));
        }
        return p;
    }
}
