package io.dvsflow.connectors.sink;

import io.dvsflow.schemas.avro.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Frames to a Kafka topic keyed by stream id, in Avro single-object encoding. */
public final class FrameKafkaSerializer implements KafkaRecordSerializationSchema<Frame> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public FrameKafkaSerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** Encodes one frame (single-object encoding). */
    public static byte[] encode(Frame frame) {
        try {
            ByteBuffer b = Frame.getEncoder().encode(frame);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Frame frame, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, frame.getStreamId().getBytes(StandardCharsets.UTF_8), encode(frame));
    }
}
