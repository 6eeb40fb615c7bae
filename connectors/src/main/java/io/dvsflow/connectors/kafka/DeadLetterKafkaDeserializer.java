package io.dvsflow.connectors.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads records from Kafka with a {@link #decode} of the subclass; a record that fails to decode is
 * never silently dropped: it goes to a dead-letter topic (same key and value, headers {@code
 * dvsflow.error}, {@code dvsflow.topic}, {@code dvsflow.partition}, {@code dvsflow.offset}), is
 * logged with its reason and counted in the {@code deadLetterRecords} metric, and the job keeps
 * running.
 *
 * <p>The dead-letter producer is at-least-once (a restart may re-send a bad record); with no
 * dead-letter topic configured, bad records are logged and counted only.
 */
public abstract class DeadLetterKafkaDeserializer<T>
        implements KafkaRecordDeserializationSchema<T> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterKafkaDeserializer.class);

    private final TypeInformation<T> producedType;
    private final String deadLetterTopic;
    private final Properties producerProperties;

    private transient Counter deadLetters;
    private transient Counter decoded;
    private transient KafkaProducer<byte[], byte[]> producer;

    /**
     * @param producedType the record type information (from the job: no Kryo)
     * @param deadLetterTopic topic for undecodable records, or {@code null} to log and count only
     * @param producerProperties client properties for the dead-letter producer (bootstrap servers,
     *     security); ignored without a dead-letter topic
     */
    protected DeadLetterKafkaDeserializer(
            TypeInformation<T> producedType,
            String deadLetterTopic,
            Properties producerProperties) {
        this.producedType = Objects.requireNonNull(producedType, "producedType");
        this.deadLetterTopic = deadLetterTopic;
        this.producerProperties = new Properties();
        if (producerProperties != null) {
            this.producerProperties.putAll(producerProperties);
        }
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        deadLetters = context.getMetricGroup().counter("deadLetterRecords");
        decoded = context.getMetricGroup().counter(decodedMetric());
    }

    /**
     * The dead-letter producer, created on the first malformed record (most jobs never need one).
     */
    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null && deadLetterTopic != null) {
            Properties p = new Properties();
            p.putAll(producerProperties);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** Name of the counter of records decoded (e.g. {@code packetsDecoded}). */
    protected abstract String decodedMetric();

    /**
     * Decodes one record value; null to skip it silently (e.g. an empty packet).
     *
     * @throws MalformedRecordException with the reason, sends the record to the dead letters
     */
    protected abstract T decode(byte[] value) throws MalformedRecordException;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
            throws IOException {
        T value;
        try {
            value = decode(record.value());
        } catch (MalformedRecordException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        if (value == null) {
            return;
        }
        if (decoded != null) {
            decoded.inc();
        }
        out.collect(value);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        if (deadLetters != null) {
            deadLetters.inc();
        }
        LOG.warn(
                "Malformed record at {}-{} offset {}: {}{}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason,
                deadLetterTopic != null ? "; sent to " + deadLetterTopic : "");
        KafkaProducer<byte[], byte[]> producer = producer();
        if (producer != null) {
            ProducerRecord<byte[], byte[]> dead =
                    new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
            dead.headers().add("dvsflow.error", reason.getBytes(StandardCharsets.UTF_8));
            dead.headers().add("dvsflow.topic", record.topic().getBytes(StandardCharsets.UTF_8));
            dead.headers()
                    .add(
                            "dvsflow.partition",
                            Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
            dead.headers()
                    .add(
                            "dvsflow.offset",
                            Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
            producer.send(dead);
            producer.flush();
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return producedType;
    }
}
