package io.dvsflow.connectors.kafka;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.nio.ByteBuffer;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Reads Avro {@link Frame} records (single-object encoding, as {@code FrameKafkaSerializer} writes
 * them) from Kafka, e.g. reference images for online learning. A record that does not decode, or
 * whose pixels do not match its shape ({@code channels x height x width} values of its pixel type,
 * at most {@link #MAX_VALUES}), goes to the dead letters of {@link DeadLetterKafkaDeserializer}
 * with the reason (metric {@code deadLetterRecords}); decoded ones are counted in {@code
 * framesDecoded}.
 */
public final class FrameKafkaDeserializer extends DeadLetterKafkaDeserializer<Frame> {

    private static final long serialVersionUID = 1L;

    /** Largest {@code channels x height x width} accepted (as the in-job image's bound). */
    public static final long MAX_VALUES = 1L << 26;

    /**
     * @param producedType the frame type information
     * @param deadLetterTopic topic for bad records, or {@code null} to log and count only
     * @param producerProperties client properties for the dead-letter producer
     */
    public FrameKafkaDeserializer(
            TypeInformation<Frame> producedType,
            String deadLetterTopic,
            Properties producerProperties) {
        super(producedType, deadLetterTopic, producerProperties);
    }

    @Override
    protected String decodedMetric() {
        return "framesDecoded";
    }

    @Override
    protected Frame decode(byte[] value) throws MalformedRecordException {
        if (value == null) {
            throw new MalformedRecordException("record without a value");
        }
        Frame f;
        try {
            f = Frame.getDecoder().decode(ByteBuffer.wrap(value));
        } catch (Exception e) {
            throw new MalformedRecordException("not an Avro Frame: " + e.getMessage());
        }
        long n = (long) f.getChannels() * f.getHeight() * f.getWidth();
        if (f.getChannels() < 1 || f.getHeight() < 1 || f.getWidth() < 1 || n > MAX_VALUES) {
            throw new MalformedRecordException(
                    "frame shape "
                            + f.getChannels()
                            + "x"
                            + f.getHeight()
                            + "x"
                            + f.getWidth()
                            + " is empty or too large");
        }
        long bytes = n * (f.getPixelType() == PixelType.UINT8 ? 1 : 4);
        if (f.getPixels().remaining() != bytes) {
            throw new MalformedRecordException(
                    "frame pixels hold "
                            + f.getPixels().remaining()
                            + " bytes, its shape needs "
                            + bytes);
        }
        if (f.getEventCount() < 0) {
            throw new MalformedRecordException("negative event count " + f.getEventCount());
        }
        if (f.getSpikeStats() != null && f.getSpikeStats().size() > 64) {
            throw new MalformedRecordException(
                    "spike statistics of " + f.getSpikeStats().size() + " layers (at most 64)");
        }
        if (f.getWindowEndUs() <= f.getWindowStartUs()) {
            throw new MalformedRecordException(
                    "empty window [" + f.getWindowStartUs() + ", " + f.getWindowEndUs() + ")");
        }
        return f;
    }
}
