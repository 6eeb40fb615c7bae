package io.dvsflow.connectors.kafka;

import io.dvsflow.schemas.EventPacket;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Reads packets from Kafka ({@link EventPacketWireFormat}); a record that fails to decode goes to
 * the dead letters of {@link DeadLetterKafkaDeserializer} (metric {@code deadLetterRecords}), empty
 * packets are skipped, decoded ones counted in {@code packetsDecoded}.
 */
public final class EventPacketKafkaDeserializer extends DeadLetterKafkaDeserializer<EventPacket> {

    private static final long serialVersionUID = 1L;

    /**
     * @param producedType the packet type information (from the job: no Kryo)
     * @param deadLetterTopic topic for undecodable records, or {@code null} to log and count only
     * @param producerProperties client properties for the dead-letter producer (bootstrap servers,
     *     security); ignored without a dead-letter topic
     */
    public EventPacketKafkaDeserializer(
            TypeInformation<EventPacket> producedType,
            String deadLetterTopic,
            Properties producerProperties) {
        super(producedType, deadLetterTopic, producerProperties);
    }

    @Override
    protected String decodedMetric() {
        return "packetsDecoded";
    }

    @Override
    protected EventPacket decode(byte[] value) throws MalformedRecordException {
        EventPacket packet = EventPacketWireFormat.decode(value);
        return packet.size() == 0 ? null : packet;
    }
}
