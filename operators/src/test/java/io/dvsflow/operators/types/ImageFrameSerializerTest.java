package io.dvsflow.operators.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ImageFrameSerializerTest {

    private static final ImageFrame FRAME =
            new ImageFrame(
                    "cam",
                    1_000,
                    2_000,
                    3,
                    1,
                    2,
                    new float[] {1f, -2.5f, 0f, 0f, 7f, Float.NaN},
                    "counts",
                    9);

    @Test
    void roundTripsAndCopies() throws IOException {
        ImageFrameSerializer s = new ImageFrameSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(FRAME, out);
        byte[] bytes = out.getCopyOfBuffer();
        assertThat(s.deserialize(new DataInputDeserializer(bytes))).isEqualTo(FRAME);

        DataOutputSerializer copied = new DataOutputSerializer(8);
        s.copy(new DataInputDeserializer(bytes), copied);
        assertThat(copied.getCopyOfBuffer()).containsExactly(bytes);

        ImageFrame copy = s.copy(FRAME);
        assertThat(copy).isEqualTo(FRAME);
        assertThat(copy.pixels()).isNotSameAs(FRAME.pixels());
    }

    @Test
    void hostileShapeIsRejected() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.write(new byte[] {2, 'a', 2, 'k'});
        out.writeLong(0);
        out.writeLong(1);
        out.writeInt(1 << 15);
        out.writeInt(1 << 15);
        out.writeInt(1 << 10);
        out.writeLong(0); // eventCount
        out.writeLong(-1); // modelVersion (NO_MODEL)
        assertThatThrownBy(
                        () ->
                                new ImageFrameSerializer()
                                        .deserialize(
                                                new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exceed");
    }

    @Test
    void typeExtractionFindsTheCustomTypeInfoAndSnapshotRestores() throws IOException {
        assertThat(TypeInformation.of(ImageFrame.class)).isEqualTo(ImageFrameTypeInfo.INSTANCE);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                out, new ImageFrameSerializer().snapshotConfiguration());
        assertThat(
                        TypeSerializerSnapshot.<ImageFrame>readVersionedSnapshot(
                                        new DataInputDeserializer(out.getCopyOfBuffer()),
                                        getClass().getClassLoader())
                                .restoreSerializer())
                .isEqualTo(new ImageFrameSerializer());
    }

    @Test
    void avroFrameHoldsLittleEndianFloats() {
        ImageFrame small =
                new ImageFrame("cam", 0, 10, 2, 1, 1, new float[] {1f, -2f}, "signed", 3);
        Frame avro = ImageFrameAvroConverter.toAvro(small);
        assertThat(avro.getPixelType()).isEqualTo(PixelType.FLOAT32);
        assertThat(avro.getModelVersion()).isNull();
        ByteBuffer px = avro.getPixels().duplicate();
        byte[] b = new byte[px.remaining()];
        px.get(b);
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, each little-endian
        assertThat(b).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0);
        assertThat(ImageFrameAvroConverter.fromAvro(avro)).isEqualTo(small);
    }

    @Test
    void avroUint8FramesBecomeFloats() {
        Frame avro =
                Frame.newBuilder()
                        .setStreamId("cam")
                        .setWindowStartUs(0)
                        .setWindowEndUs(1)
                        .setWidth(2)
                        .setHeight(1)
                        .setChannels(1)
                        .setPixelType(PixelType.UINT8)
                        .setPixels(ByteBuffer.wrap(new byte[] {(byte) 255, 3}))
                        .setKind("target")
                        .setModelVersion(null)
                        .setEventCount(0)
                        .build();
        assertThat(ImageFrameAvroConverter.fromAvro(avro).pixels()).containsExactly(255f, 3f);
        avro.setPixels(ByteBuffer.wrap(new byte[] {1}));
        assertThatThrownBy(() -> ImageFrameAvroConverter.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 bytes");
    }
}
