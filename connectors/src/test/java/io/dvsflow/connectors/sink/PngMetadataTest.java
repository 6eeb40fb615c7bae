package io.dvsflow.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.LayerSpikes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngMetadataTest {

    private static Frame frame(List<LayerSpikes> spikes, Long version) {
        ByteBuffer px = ByteBuffer.allocate(4 * 6).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            px.putFloat(i / 5f);
        }
        px.flip();
        return Frame.newBuilder()
                .setStreamId("cam")
                .setWindowStartUs(50_000)
                .setWindowEndUs(100_000)
                .setWidth(3)
                .setHeight(2)
                .setPixels(px)
                .setKind("vdib")
                .setModelVersion(version)
                .setEventCount(42)
                .setSpikeStats(spikes)
                .build();
    }

    @Test
    void theFramesMetadataTravelsInATextChunkThatImageReadersIgnore() throws Exception {
        Frame f =
                frame(
                        List.of(
                                new LayerSpikes("hidden0", 0.09f, null, null),
                                new LayerSpikes("readout", 0.375f, 0.75f, 0.125f)),
                        7L);
        byte[] png = FramePngEncoder.png(f, 2);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(6);
        assertThat(img.getHeight()).isEqualTo(4);

        // the chunk right after IHDR (8-byte signature + 25-byte IHDR chunk), by hand
        int at = 33;
        int len = ByteBuffer.wrap(png, at, 4).getInt();
        assertThat(new String(png, at + 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("tEXt");
        String data = new String(png, at + 8, len, StandardCharsets.ISO_8859_1);
        assertThat(data)
                .isEqualTo(
                        "dvsflow\0windowEndUs=100000;eventCount=42;modelVersion=7;"
                                + "spikes=hidden0:0.09000:-:-,readout:0.37500:0.75000:0.12500");
        CRC32 crc = new CRC32();
        crc.update(png, at + 4, 4 + len);
        assertThat(ByteBuffer.wrap(png, at + 8 + len, 4).getInt()).isEqualTo((int) crc.getValue());

        Map<String, String> meta = PngMetadata.read(png);
        assertThat(meta)
                .containsEntry("windowEndUs", "100000")
                .containsEntry("eventCount", "42")
                .containsEntry("modelVersion", "7");
        List<LayerSpikes> spikes = PngMetadata.spikes(meta.get("spikes"));
        assertThat(spikes).hasSize(2);
        assertThat(spikes.get(0).getActiveRatio()).isNull();
        assertThat(spikes.get(1).getRate()).isEqualTo(0.375f);
        assertThat(spikes.get(1).getBurstingRatio()).isEqualTo(0.125f);
    }

    @Test
    void framesWithoutStatisticsAndForeignOrCorruptPngsGiveWhatIsKnown() throws Exception {
        byte[] png = FramePngEncoder.png(frame(null, null), 1);
        Map<String, String> meta = PngMetadata.read(png);
        assertThat(meta).containsOnlyKeys("windowEndUs", "eventCount");

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", plain);
        assertThat(PngMetadata.read(plain.toByteArray())).isEmpty();

        byte[] corrupt = png.clone();
        corrupt[33] = 0x7F; // the text chunk claims about 2 GB
        assertThat(PngMetadata.read(corrupt)).isEmpty();
        assertThat(PngMetadata.read(new byte[] {1, 2, 3})).isEmpty();
        assertThat(PngMetadata.spikes("readout:x:1:1")).isNull();
        assertThat(PngMetadata.spikes("readout:1")).isNull();
    }
}
