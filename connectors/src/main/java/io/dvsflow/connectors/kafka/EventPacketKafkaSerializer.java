package io.dvsflow.connectors.kafka;

import io.dvsflow.schemas.EventPacket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes packets to a topic keyed by stream id (so one camera's packets stay in one partition, in
 * order), in {@link EventPacketWireFormat}.
 */
public final class EventPacketKafkaSerializer
        implements KafkaRecordSerializationSchema<EventPacket> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public EventPacketKafkaSerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            EventPacket packet, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                packet.streamId().getBytes(StandardCharsets.UTF_8),
                EventPacketWireFormat.encode(packet));
    }
}
