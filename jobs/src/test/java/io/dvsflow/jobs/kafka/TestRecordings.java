package io.dvsflow.jobs.kafka;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Synthetic recordings and topic reading shared by the Kafka tests. */
public final class TestRecordings {

    private TestRecordings() {}

    /**
     * {@code n} events of a {@code w x h} sensor, one every {@code dtUs} µs from {@code t0}, with
     * positions and polarities from a linear congruential generator seeded by {@code seed}.
     */
    public static EventPacket events(
            String streamId, int w, int h, int n, long t0, long dtUs, long seed) {
        EventPacket p = new EventPacket(streamId, w, h, n);
        long s = seed;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            int r = (int) (s >>> 33);
            p.add(t0 + i * dtUs, (r & 0x7FFF) % w, ((r >>> 15) & 0x7FFF) % h, (r >>> 30) & 1);
        }
        return p;
    }

    /** Writes {@code events} as an AEDAT 3.1 file. */
    public static Path writeAedat3(Path file, EventPacket events) throws IOException {
        try (EventWriter w =
                EventFormats.writer(
                        file,
                        EventFormat.AEDAT3,
                        WriterOptions.of(events.width(), events.height())
                                .withEventsPerPacket(512))) {
            w.write(events);
        }
        return file;
    }

    /** Reads a recording into packets of at most {@code capacity} events (copies). */
    public static List<EventPacket> packets(Path file, String streamId, int capacity)
            throws IOException {
        List<EventPacket> out = new ArrayList<>();
        try (EventReader r =
                EventFormats.open(
                        file,
                        ReaderOptions.defaults()
                                .withStreamId(streamId)
                                .withPacketCapacity(capacity))) {
            EventPacket p = r.newPacket();
            while (r.read(p)) {
                out.add(p.copy());
            }
        }
        return out;
    }

    /** All events of the packets, concatenated in order, under one stream id. */
    public static EventPacket concat(String streamId, List<EventPacket> packets) {
        int w = packets.isEmpty() ? 0 : packets.get(0).width();
        int h = packets.isEmpty() ? 0 : packets.get(0).height();
        EventPacket all = new EventPacket(streamId, w, h, 0);
        for (EventPacket p : packets) {
            all.addAll(p);
        }
        return all;
    }

    /**
     * Every record of a topic up to its end offsets at the time of the call.
     *
     * @param isolation {@code read_committed} or {@code read_uncommitted}
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrap, String topic, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts, Duration.ofSeconds(30));
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
