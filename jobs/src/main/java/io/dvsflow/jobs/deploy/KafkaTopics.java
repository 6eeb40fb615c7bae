package io.dvsflow.jobs.deploy;

import io.dvsflow.connectors.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Small Kafka administration for the deployment scripts: {@code create} topics with a partition
 * count (existing topics are left alone), {@code lag} of a consumer group (end offsets minus
 * committed offsets, summed over partitions; a group that committed nothing lags by the whole
 * topic) and {@code count} of the committed records of a topic.
 *
 * <pre>
 * java -cp "$CP" io.dvsflow.jobs.deploy.KafkaTopics create --bootstrap B --partitions 4 events
 * java -cp "$CP" io.dvsflow.jobs.deploy.KafkaTopics lag --bootstrap B --group g --topic events
 * java -cp "$CP" io.dvsflow.jobs.deploy.KafkaTopics count --bootstrap B frames
 * </pre>
 */
@Command(
        name = "kafka-topics",
        mixinStandardHelpOptions = true,
        description = "Create topics, print a consumer group's lag or a topic's committed count.",
        subcommands = {
            KafkaTopics.Create.class,
            KafkaTopics.Lag.class,
            KafkaTopics.Count.class,
            KafkaTopics.Streams.class
        })
public final class KafkaTopics {

    private static final long TIMEOUT_S = 30;

    /** Runs a subcommand and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaTopics()).execute(args));
    }

    private static Admin admin(String bootstrap) throws java.io.IOException {
        return Admin.create(KafkaClientProperties.load(null, bootstrap));
    }

    /** {@code create}: topics with N partitions, replication factor 1. */
    @Command(name = "create", description = "Create topics (replication factor 1).")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--partitions", defaultValue = "1")
        int partitions;

        @Parameters(arity = "1..*")
        List<String> topics;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = admin(bootstrap)) {
                Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
                List<NewTopic> fresh = new ArrayList<>();
                for (String t : topics) {
                    if (!existing.contains(t)) {
                        fresh.add(new NewTopic(t, partitions, (short) 1));
                    }
                }
                admin.createTopics(fresh).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                spec.commandLine().getOut().printf("created %d topic(s) %s%n", fresh.size(), fresh);
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code lag}: end offsets minus the group's committed offsets. */
    @Command(name = "lag", description = "Print the records a consumer group has yet to commit.")
    static final class Lag implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--group", required = true)
        String group;

        @Option(names = "--topic", required = true)
        String topic;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = admin(bootstrap)) {
                int n =
                        admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get(TIMEOUT_S, TimeUnit.SECONDS)
                                .get(topic)
                                .partitions()
                                .size();
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                for (int i = 0; i < n; i++) {
                    latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                        admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(TIMEOUT_S, TimeUnit.SECONDS);
                long lag = 0;
                for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                        end.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    lag += e.getValue().offset() - (c == null ? 0 : c.offset());
                }
                spec.commandLine().getOut().println(lag);
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code count}: committed records of a topic (read_committed). */
    @Command(name = "count", description = "Print the number of committed records of a topic.")
    static final class Count implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Parameters(index = "0")
        String topic;

        @Option(
                names = "--isolation",
                defaultValue = "read_committed",
                description = "read_committed or read_uncommitted (default: ${DEFAULT-VALUE}).")
        String isolation;

        @Override
        public Integer call() throws Exception {
            Properties client = KafkaClientProperties.load(null, bootstrap);
            spec.commandLine()
                    .getOut()
                    .println(
                            CommittedFrames.values(
                                            client, topic, Duration.ofSeconds(120), isolation)
                                    .size());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /**
     * {@code streams}: per stream id of a packet topic, the partitions its packets sit in, the
     * packet count, and the packets that start before the previous packet of the stream ended (out
     * of order). Each stream in one partition, in order, is what keyed operators need for
     * reproducible output.
     */
    @Command(
            name = "streams",
            description = "Check a packet topic: partitions and order per stream.")
    static final class Streams implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Parameters(index = "0")
        String topic;

        @Override
        public Integer call() throws Exception {
            Properties client = KafkaClientProperties.load(null, bootstrap);
            Map<String, long[]> perStream = new java.util.TreeMap<>();
            Map<String, java.util.Set<Integer>> partitions = new java.util.TreeMap<>();
            Properties p = new Properties();
            p.putAll(client);
            p.put("isolation.level", "read_committed");
            try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                            p,
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                List<TopicPartition> parts =
                        c.partitionsFor(topic, Duration.ofSeconds(TIMEOUT_S)).stream()
                                .map(i -> new TopicPartition(topic, i.partition()))
                                .toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(TIMEOUT_S));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("reading " + topic + " took over 120 s");
                    }
                    for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r :
                            c.poll(Duration.ofMillis(200))) {
                        io.dvsflow.schemas.EventPacket packet =
                                io.dvsflow.connectors.kafka.EventPacketWireFormat.decode(r.value());
                        long[] s =
                                perStream.computeIfAbsent(
                                        packet.streamId(), k -> new long[] {0, 0, Long.MIN_VALUE});
                        s[0]++;
                        if (packet.size() > 0) {
                            if (packet.firstTimestamp() < s[2]) {
                                s[1]++;
                            }
                            s[2] = Math.max(s[2], packet.lastTimestamp());
                        }
                        partitions
                                .computeIfAbsent(packet.streamId(), k -> new java.util.TreeSet<>())
                                .add(r.partition());
                    }
                }
            }
            for (Map.Entry<String, long[]> e : perStream.entrySet()) {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%s partitions %s packets %d out-of-order %d%n",
                                e.getKey(),
                                partitions.get(e.getKey()),
                                e.getValue()[0],
                                e.getValue()[1]);
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
