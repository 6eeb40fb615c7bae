package io.dvsflow.jobs.kafka;

import io.dvsflow.connectors.kafka.EventPacketKafkaDeserializer;
import io.dvsflow.connectors.kafka.EventPacketKafkaSerializer;
import io.dvsflow.connectors.sink.FrameKafkaSerializer;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * Builders of the Kafka sources and sinks of dvsflow jobs: packets in (with a dead-letter topic),
 * packets or frames out (at-least-once or exactly-once), every Kafka client property passed through
 * from {@link io.dvsflow.connectors.kafka.KafkaClientProperties}.
 *
 * <pre>{@code
 * Properties client = KafkaClientProperties.load(propertiesFile, "127.0.0.1:9092");
 * KafkaSource<EventPacket> in = KafkaConnectors.packetSource(client, "events")
 *         .groupId("naturalize")
 *         .deadLetterTopic("events-dead")
 *         .build();
 * KafkaSink<Frame> out = KafkaConnectors.frameSink(client, "frames")
 *         .exactlyOnce("naturalize-frames")
 *         .build();
 * }</pre>
 *
 * <p>Policies (each can be overridden by the client properties, which are applied first and win
 * over these defaults where stated):
 *
 * <ul>
 *   <li>Sources read with {@code isolation.level=read_committed} unless the properties set it, so
 *       they never see packets of an aborted exactly-once transaction.
 *   <li>Exactly-once sinks use {@code transaction.timeout.ms=900000} (15 min, the broker's default
 *       {@code transaction.max.timeout.ms}) unless the properties set it: the connector's own
 *       default of one hour is refused by a broker with default settings. The job must enable
 *       checkpointing; transactions commit on checkpoints.
 * </ul>
 */
public final class KafkaConnectors {

    /** Default consumer group of packet sources. */
    public static final String DEFAULT_GROUP_ID = "dvsflow";

    /** Transaction timeout given to exactly-once producers unless the properties set one (ms). */
    public static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private KafkaConnectors() {}

    /**
     * A source of packets from {@code topic}.
     *
     * @param clientProperties Kafka client properties, including {@code bootstrap.servers}
     */
    public static PacketSourceBuilder packetSource(Properties clientProperties, String topic) {
        return new PacketSourceBuilder(clientProperties, topic);
    }

    /** A sink of packets to {@code topic}, keyed by stream id. */
    public static SinkBuilder<EventPacket> packetSink(Properties clientProperties, String topic) {
        return new SinkBuilder<>(clientProperties, new EventPacketKafkaSerializer(topic));
    }

    /** A sink of Avro frames to {@code topic}, keyed by stream id. */
    public static SinkBuilder<Frame> frameSink(Properties clientProperties, String topic) {
        return new SinkBuilder<>(clientProperties, new FrameKafkaSerializer(topic));
    }

    /** A sink of records serialized by {@code serializer} (at-least-once by default). */
    public static <T> SinkBuilder<T> sink(
            Properties clientProperties, KafkaRecordSerializationSchema<T> serializer) {
        return new SinkBuilder<>(clientProperties, serializer);
    }

    private static Properties copy(Properties p) {
        Properties out = new Properties();
        if (p != null) {
            out.putAll(p);
        }
        if (out.getProperty("bootstrap.servers") == null) {
            throw new IllegalArgumentException(
                    "Kafka client properties need bootstrap.servers (give --bootstrap HOST:PORT)");
        }
        return out;
    }

    /**
     * Builder of a {@link KafkaSource} of {@link EventPacket}s decoded by {@link
     * EventPacketKafkaDeserializer}.
     */
    public static final class PacketSourceBuilder {
        private final Properties client;
        private final String topic;
        private String groupId;
        private String deadLetterTopic;
        private OffsetsInitializer startingOffsets = OffsetsInitializer.earliest();
        private OffsetsInitializer stoppingOffsets;

        private PacketSourceBuilder(Properties clientProperties, String topic) {
            this.client = copy(clientProperties);
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        /**
         * Consumer group (default: the properties' {@code group.id}, else {@value
         * KafkaConnectors#DEFAULT_GROUP_ID}).
         */
        public PacketSourceBuilder groupId(String id) {
            this.groupId = id;
            return this;
        }

        /**
         * Topic for records that fail to decode (default: none: such records are logged and counted
         * only). The dead-letter producer uses the same client properties.
         */
        public PacketSourceBuilder deadLetterTopic(String t) {
            this.deadLetterTopic = t;
            return this;
        }

        /**
         * Where a new consumer group starts (default: {@link OffsetsInitializer#earliest()}, so a
         * replayed recording is read from its beginning). A restored job resumes from its
         * checkpointed offsets whatever this says.
         */
        public PacketSourceBuilder startingOffsets(OffsetsInitializer offsets) {
            this.startingOffsets = Objects.requireNonNull(offsets, "offsets");
            return this;
        }

        /**
         * Makes the source bounded: it stops at these offsets (e.g. {@link
         * OffsetsInitializer#latest()}: what the topic held when the job started). Default:
         * unbounded.
         */
        public PacketSourceBuilder bounded(OffsetsInitializer stopping) {
            this.stoppingOffsets = stopping;
            return this;
        }

        /** Builds the source. */
        public KafkaSource<EventPacket> build() {
            Properties consumer = new Properties();
            consumer.putAll(client);
            consumer.putIfAbsent("isolation.level", "read_committed");
            String group =
                    groupId != null ? groupId : client.getProperty("group.id", DEFAULT_GROUP_ID);
            KafkaSourceBuilder<EventPacket> b =
                    KafkaSource.<EventPacket>builder()
                            .setProperties(consumer)
                            .setBootstrapServers(client.getProperty("bootstrap.servers"))
                            .setTopics(topic)
                            .setGroupId(group)
                            .setStartingOffsets(startingOffsets)
                            .setDeserializer(
                                    new EventPacketKafkaDeserializer(
                                            EventPacketTypeInfo.INSTANCE, deadLetterTopic, client));
            if (stoppingOffsets != null) {
                b.setBounded(stoppingOffsets);
            }
            return b.build();
        }
    }

    /** Builder of a {@link KafkaSink}; at-least-once unless {@link #exactlyOnce} is called. */
    public static final class SinkBuilder<T> {
        private final Properties client;
        private final KafkaRecordSerializationSchema<T> serializer;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
        private String transactionalIdPrefix;

        private SinkBuilder(Properties clientProperties, KafkaRecordSerializationSchema<T> s) {
            this.client = copy(clientProperties);
            this.serializer = s;
        }

        /** At-least-once (the default): flushes on checkpoints; a restart may repeat records. */
        public SinkBuilder<T> atLeastOnce() {
            this.guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
            this.transactionalIdPrefix = null;
            return this;
        }

        /**
         * Exactly-once through Kafka transactions committed on checkpoints (readers must use {@code
         * isolation.level=read_committed}).
         *
         * @param prefix transactional id prefix, unique per job writing to the cluster
         */
        public SinkBuilder<T> exactlyOnce(String prefix) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException(
                        "exactly-once delivery needs a transactional id prefix");
            }
            this.guarantee = DeliveryGuarantee.EXACTLY_ONCE;
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /** The delivery guarantee chosen. */
        public DeliveryGuarantee deliveryGuarantee() {
            return guarantee;
        }

        /** Builds the sink. */
        public KafkaSink<T> build() {
            KafkaSinkBuilder<T> b =
                    KafkaSink.<T>builder()
                            .setBootstrapServers(client.getProperty("bootstrap.servers"))
                            .setRecordSerializer(serializer)
                            .setDeliveryGuarantee(guarantee);
            for (String key : client.stringPropertyNames()) {
                b.setProperty(key, client.getProperty(key));
            }
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                b.setTransactionalIdPrefix(transactionalIdPrefix);
                if (client.getProperty("transaction.timeout.ms") == null) {
                    b.setProperty("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
                }
            }
            return b.build();
        }
    }
}
