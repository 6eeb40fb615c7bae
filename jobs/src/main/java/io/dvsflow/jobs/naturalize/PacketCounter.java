package io.dvsflow.jobs.naturalize;

import io.dvsflow.schemas.EventPacket;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes packets through, counting events and packets in the job accumulators {@code events} and
 * {@code packets} (read from the job's result for the run summary).
 */
public final class PacketCounter extends RichMapFunction<EventPacket, EventPacket> {

    private static final long serialVersionUID = 1L;

    /** Accumulator name of the event count. */
    public static final String EVENTS = "events";

    /** Accumulator name of the packet count. */
    public static final String PACKETS = "packets";

    private transient LongCounter events;
    private transient LongCounter packets;

    @Override
    public void open(OpenContext openContext) {
        events = new LongCounter();
        packets = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS, events);
        getRuntimeContext().addAccumulator(PACKETS, packets);
    }

    @Override
    public EventPacket map(EventPacket packet) {
        events.add(packet.size());
        packets.add(1);
        return packet;
    }
}
