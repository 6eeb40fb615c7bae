package io.dvsflow.jobs.replay;

import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.schemas.EventPacket;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The replay job graph: packets of recordings (a {@link
 * io.dvsflow.connectors.source.DvsFileSource}, paced by event time) into a sink of packets (Kafka,
 * keyed by stream id), counting what passes.
 *
 * <p>Counts are Flink accumulators, read from the job result: {@value #EVENTS}, {@value #PACKETS}
 * and the wall-clock times of the first and last packet ({@value #FIRST_MILLIS}, {@value
 * #LAST_MILLIS}), which give the streaming rate without the job's start-up. An optional per-stream
 * time shift (µs, added to every event time) lets a looping replay keep each stream's event time
 * increasing from one pass to the next.
 *
 * <pre>{@code
 * DvsFileSource source = DvsFileSource.builder().addPath(input).replaySpeed(1.0).build();
 * KafkaSink<EventPacket> sink = KafkaConnectors.packetSink(client, "events").build();
 * ReplayJob.build(env, source, sink, Map.of());
 * JobExecutionResult r = env.execute("replay");
 * long events = r.getAccumulatorResult(ReplayJob.EVENTS);
 * }</pre>
 */
public final class ReplayJob {

    /** Accumulator: events sent (long). */
    public static final String EVENTS = "replay.events";

    /** Accumulator: packets sent (long). */
    public static final String PACKETS = "replay.packets";

    /** Accumulator: wall-clock time (epoch ms) when the first packet passed (long, minimum). */
    public static final String FIRST_MILLIS = "replay.firstMillis";

    /** Accumulator: wall-clock time (epoch ms) when the last packet passed (long, maximum). */
    public static final String LAST_MILLIS = "replay.lastMillis";

    private ReplayJob() {}

    /** Builds the graph with no time shift. */
    public static DataStreamSink<EventPacket> build(
            StreamExecutionEnvironment env,
            Source<EventPacket, ?, ?> source,
            Sink<EventPacket> sink) {
        return build(env, source, sink, Map.of());
    }

    /**
     * Builds the graph.
     *
     * @param timeShiftUs per stream id, µs added to every event time (streams not listed: 0)
     */
    public static DataStreamSink<EventPacket> build(
            StreamExecutionEnvironment env,
            Source<EventPacket, ?, ?> source,
            Sink<EventPacket> sink,
            Map<String, Long> timeShiftUs) {
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "recordings",
                        EventPacketTypeInfo.INSTANCE)
                .uid("replay-source")
                .map(new CountAndShift(Map.copyOf(timeShiftUs)), EventPacketTypeInfo.INSTANCE)
                .name("count")
                .uid("replay-count")
                .sinkTo(sink)
                .name("packets-out")
                .uid("replay-sink");
    }

    /** Counts packets and events, and shifts event times of listed streams. */
    static final class CountAndShift extends RichMapFunction<EventPacket, EventPacket> {
        private static final long serialVersionUID = 1L;

        private final Map<String, Long> shifts;
        private transient LongCounter events;
        private transient LongCounter packets;
        private transient LongMinimum first;
        private transient LongMaximum last;

        CountAndShift(Map<String, Long> shifts) {
            this.shifts = shifts;
        }

        @Override
        public void open(OpenContext context) {
            events = getRuntimeContext().getLongCounter(EVENTS);
            packets = getRuntimeContext().getLongCounter(PACKETS);
            first = new LongMinimum();
            last = new LongMaximum();
            getRuntimeContext().addAccumulator(FIRST_MILLIS, first);
            getRuntimeContext().addAccumulator(LAST_MILLIS, last);
        }

        @Override
        public EventPacket map(EventPacket packet) {
            int n = packet.size();
            if (!shifts.isEmpty()) {
                Long shift = shifts.get(packet.streamId());
                if (shift != null && shift != 0L) {
                    long s = shift;
                    long[] t = packet.timestamps();
                    for (int i = 0; i < n; i++) {
                        t[i] += s;
                    }
                }
            }
            events.add(n);
            packets.add(1L);
            long now = System.currentTimeMillis();
            first.add(now);
            last.add(now);
            return packet;
        }
    }
}
