package io.dvsflow.jobs.deploy;

import io.dvsflow.schemas.avro.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every committed record of a topic ({@code isolation.level=read_committed}, from the
 * beginning up to the last stable offset at the time of the call), without a consumer group.
 */
final class CommittedFrames {

    private CommittedFrames() {}

    /** Raw committed record values of {@code topic}; fails after {@code timeout}. */
    static List<byte[]> values(Properties client, String topic, Duration timeout) {
        return values(client, topic, timeout, "read_committed");
    }

    /** Raw record values of {@code topic} under an isolation level; fails after {@code timeout}. */
    static List<byte[]> values(
            Properties client, String topic, Duration timeout, String isolationLevel) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, timeout).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading " + topic + " took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    /** Committed frames of {@code topic}, decoded. */
    static List<Frame> frames(Properties client, String topic, Duration timeout)
            throws IOException {
        List<Frame> out = new ArrayList<>();
        for (byte[] v : values(client, topic, timeout)) {
            out.add(Frame.getDecoder().decode(v));
        }
        return out;
    }
}
