package io.dvsflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.LayerSpikes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** Frame records written before {@code spikeStats} existed still read, with null statistics. */
class FrameSchemaEvolutionTest {

    /** The Frame schema of the first release, without {@code spikeStats}. */
    private static final String FIRST_RELEASE =
            """
            {"type": "record", "name": "Frame", "namespace": "io.dvsflow.schemas.avro", "fields": [
              {"name": "streamId", "type": "string"},
              {"name": "windowStartUs", "type": "long"},
              {"name": "windowEndUs", "type": "long"},
              {"name": "width", "type": "int"},
              {"name": "height", "type": "int"},
              {"name": "channels", "type": "int", "default": 1},
              {"name": "pixelType", "type": {"type": "enum", "name": "PixelType",
                "symbols": ["FLOAT32", "UINT8"]}, "default": "FLOAT32"},
              {"name": "pixels", "type": "bytes"},
              {"name": "kind", "type": "string", "default": "events"},
              {"name": "modelVersion", "type": ["null", "long"], "default": null},
              {"name": "eventCount", "type": "long", "default": 0}
            ]}
            """;

    @Test
    void aFirstReleaseRecordReadsWithNullSpikeStatistics() throws Exception {
        Schema old = new Schema.Parser().parse(FIRST_RELEASE);
        assertThat(
                        SchemaCompatibility.checkReaderWriterCompatibility(
                                        Frame.getClassSchema(), old)
                                .getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        GenericRecord r = new GenericData.Record(old);
        r.put("streamId", "cam");
        r.put("windowStartUs", 0L);
        r.put("windowEndUs", 50_000L);
        r.put("width", 1);
        r.put("height", 1);
        r.put("channels", 1);
        r.put("pixelType", new GenericData.EnumSymbol(old.getField("pixelType").schema(), "UINT8"));
        r.put("pixels", ByteBuffer.wrap(new byte[] {7}));
        r.put("kind", "vdib");
        r.put("modelVersion", 3L);
        r.put("eventCount", 12L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(r, enc);
        enc.flush();

        Frame back =
                new SpecificDatumReader<Frame>(old, Frame.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(back.getModelVersion()).isEqualTo(3L);
        assertThat(back.getEventCount()).isEqualTo(12L);
        assertThat(back.getSpikeStats()).isNull();
    }

    @Test
    void spikeStatisticsRoundTrip() throws Exception {
        Frame f =
                Frame.newBuilder()
                        .setStreamId("cam")
                        .setWindowStartUs(0)
                        .setWindowEndUs(1)
                        .setWidth(1)
                        .setHeight(1)
                        .setPixels(ByteBuffer.wrap(new byte[4]))
                        .setSpikeStats(
                                List.of(
                                        new LayerSpikes("hidden0", 0.1f, null, null),
                                        new LayerSpikes("readout", 0.4f, 0.9f, 0.05f)))
                        .build();
        Frame back = Frame.fromByteBuffer(f.toByteBuffer());
        assertThat(back).isEqualTo(f);
        assertThat(back.getSpikeStats().get(1).getBurstingRatio()).isEqualTo(0.05f);
    }
}
