package io.dvsflow.jobs.kafka;

import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of online learning on a cluster: a <b>compacted model topic</b> carrying VDIB
 * {@code ModelSnapshot}s (single-object encoded, key {@value #MODEL_KEY}: compaction keeps the
 * newest version) and a <b>reference topic</b> of Avro {@code Frame} target images keyed by stream
 * id.
 *
 * <p>The learner writes every new version to the model topic (at-least-once: a repeated version is
 * ignored by the operators' {@link ModelGate}, which installs only versions above the running one);
 * the inference operators read the topic as their broadcast model stream, so the loop closes
 * through Kafka on any number of TaskManagers. A job starts from the newest valid version in the
 * topic when it is newer than the one given on the command line ({@link #latest}). Records that are
 * not valid models are skipped there and rejected (logged, counted by {@code modelsRejected}) by
 * the running operators, which keep their model.
 */
public final class ModelTopic {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTopic.class);

    private ModelTopic() {}

    /** Record key of the VDIB model in the model topic. */
    public static final String MODEL_KEY = "vdib";

    /** Most records {@link #latest} reads (a bound against a runaway topic). */
    public static final int MAX_RECORDS_SCANNED = 100_000;

    /**
     * Creates {@code topic} with {@code cleanup.policy=compact} (one partition, the broker's
     * replication factor) if it does not exist; warns if an existing topic is not compacted.
     */
    public static void ensureCompacted(Properties client, String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            try {
                admin.createTopics(
                                List.of(
                                        new NewTopic(topic, Optional.of(1), Optional.empty())
                                                .configs(
                                                        Map.of(
                                                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                                                TopicConfig
                                                                        .CLEANUP_POLICY_COMPACT))))
                        .all()
                        .get();
                LOG.info("created compacted model topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
                String policy =
                        c == null || c.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null
                                ? "?"
                                : c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    LOG.warn(
                            "model topic {} has cleanup.policy={}, not compact: old versions"
                                    + " accumulate",
                            topic,
                            policy);
                }
            }
        }
    }

    /**
     * The newest valid model version in {@code topic} (read from the beginning to the current end),
     * or null when it holds none.
     */
    public static byte[] latest(Properties client, String topic, Duration timeout) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        byte[] best = null;
        long bestVersion = Long.MIN_VALUE;
        int scanned = 0;
        int invalid = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, timeout)
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            if (parts.isEmpty()) {
                return null;
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end) && scanned < MAX_RECORDS_SCANNED) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("model topic {}: gave up reading after {}", topic, timeout);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    scanned++;
                    try {
                        long v = ModelGate.decode(r.value(), false).version();
                        if (v > bestVersion) {
                            bestVersion = v;
                            best = r.value();
                        }
                    } catch (InvalidSnapshotException | IllegalArgumentException e) {
                        invalid++;
                    } catch (NullPointerException e) {
                        invalid++; // a tombstone
                    }
                }
            }
        }
        if (invalid > 0) {
            LOG.warn(
                    "model topic {}: skipped {} records that are not valid models", topic, invalid);
        }
        return best;
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model topic as a source of snapshot bytes (every record from the beginning; the operators
     * keep the newest valid version).
     *
     * @param bounded stop at the offsets current when the job starts (file inputs, so the job can
     *     end); otherwise follow the topic (live inputs: updates from the learner come back here)
     */
    public static KafkaSource<byte[]> source(Properties client, String topic, boolean bounded) {
        Properties consumer = new Properties();
        consumer.putAll(client);
        consumer.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var b =
                KafkaSource.<byte[]>builder()
                        .setProperties(consumer)
                        .setBootstrapServers(client.getProperty("bootstrap.servers"))
                        .setTopics(topic)
                        .setGroupId("dvsflow-models-" + topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new ModelBytes());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** A sink writing model versions to {@code topic} under {@link #MODEL_KEY}, at-least-once. */
    public static KafkaSink<byte[]> sink(Properties client, String topic) {
        return KafkaConnectors.sink(client, new ModelRecords(topic)).build();
    }

    /**
     * The reference topic as a source of Avro frames; malformed records go to {@code
     * deadLetterTopic} with the reason (see {@link
     * io.dvsflow.connectors.kafka.FrameKafkaDeserializer}).
     *
     * @param bounded stop at the offsets current when the job starts
     */
    public static KafkaSource<Frame> referenceSource(
            Properties client, String topic, String deadLetterTopic, boolean bounded) {
        Properties consumer = new Properties();
        consumer.putAll(client);
        consumer.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var b =
                KafkaSource.<Frame>builder()
                        .setProperties(consumer)
                        .setBootstrapServers(client.getProperty("bootstrap.servers"))
                        .setTopics(topic)
                        .setGroupId("dvsflow-references-" + topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(
                                new io.dvsflow.connectors.kafka.FrameKafkaDeserializer(
                                        new AvroTypeInfo<>(Frame.class), deadLetterTopic, client));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** Record values as they are (validation happens in the operators' model gate). */
    static final class ModelBytes implements KafkaRecordDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open(DeserializationSchema.InitializationContext context) {}

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            if (record.value() != null) {
                out.collect(record.value());
            }
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    /** Model bytes to records keyed {@link #MODEL_KEY}. */
    static final class ModelRecords implements KafkaRecordSerializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        ModelRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                byte[] model, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, MODEL_KEY.getBytes(StandardCharsets.UTF_8), model);
        }
    }
}
