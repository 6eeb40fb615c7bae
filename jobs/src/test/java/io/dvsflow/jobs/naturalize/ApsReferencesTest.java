package io.dvsflow.jobs.naturalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.jobs.kafka.TestRecordings;
import io.dvsflow.jobs.kafka.VdibKafkaTopicsITCase;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.operators.types.ImageFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApsReferencesTest {

    @Test
    void aFrameIsCutToTheModelsInputRegionAndPlacedInTheWindowOfItsExposure() {
        // 4 x 4 frame at sensor (10, 20), pixel (x, y) = (10 y + x) / 100
        float[] px = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                px[y * 4 + x] = (10 * y + x) / 100f;
            }
        }
        ApsFrame f = new ApsFrame("cam", 90_000, 160_000, 100_000, 150_000, 4, 4, 10, 20, px);
        // model region: 3 x 2 at sensor (12, 21) -> frame columns 2, 3, (4 = outside) rows 1, 2
        ImageFrame t = ApsReferences.target(f, "cam", 12, 21, 3, 2, 3, 2, 50_000);
        assertThat(t.kind()).isEqualTo("target");
        assertThat(t.streamId()).isEqualTo("cam");
        // exposure middle 125,000 us -> window [100,000, 150,000)
        assertThat(t.windowStartUs()).isEqualTo(100_000);
        assertThat(t.windowEndUs()).isEqualTo(150_000);
        assertThat(t.pixels()).containsExactly(0.12f, 0.13f, 0f, 0.22f, 0.23f, 0f);
    }

    /** One AEDAT 3.1 FRAME packet holding a w x h grey frame (1 channel) with a bright square. */
    private static byte[] framePacket(int w, int h, int tsStart, int tsEnd) {
        int size = 36 + 2 * w * h;
        ByteBuffer b = ByteBuffer.allocate(28 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 2).putShort((short) 1).putInt(size).putInt(12).putInt(0);
        b.putInt(1).putInt(1).putInt(1);
        b.putInt(3); // valid, 1 channel
        b.putInt(tsStart).putInt(tsEnd).putInt(tsStart).putInt(tsEnd);
        b.putInt(w).putInt(h).putInt(0).putInt(0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean bright = x >= 24 && x < 32 && y >= 14 && y < 22;
                b.putShort((short) (bright ? 60000 : 2000));
            }
        }
        return b.array();
    }

    @Test
    void naturalizeLearnsFromTheApsFramesOfItsInput(@TempDir Path dir) throws Exception {
        Path rec =
                TestRecordings.writeAedat3(
                        dir.resolve("davis.aedat"),
                        TestRecordings.events("davis", 64, 48, 40_000, 0, 50, 3));
        for (int k = 0; k < 20; k++) {
            Files.write(
                    rec,
                    framePacket(64, 48, k * 100_000 + 10_000, k * 100_000 + 30_000),
                    StandardOpenOption.APPEND);
        }
        List<ImageFrame> refs =
                ApsReferences.frames(
                        List.of(new ApsReferences.Recording(rec, "davis.aedat")),
                        io.dvsflow.connectors.formats.ReaderOptions.defaults(),
                        20,
                        10,
                        16,
                        16,
                        16,
                        16,
                        50_000);
        assertThat(refs).hasSize(20);
        // the square (x 24..31, y 14..21) lies at region (4..11, 4..11)
        assertThat(refs.get(0).at(0, 5, 5)).isCloseTo(60000f / 65535f, within());
        assertThat(refs.get(0).at(0, 0, 0)).isCloseTo(2000f / 65535f, within());

        Path model = dir.resolve("model.avro");
        ModelSnapshots.save(VdibKafkaTopicsITCase.model().toSnapshot(3L, Map.of()), model);
        Path out = dir.resolve("out");
        io.dvsflow.jobs.cli.CliRun.succeed(
                "naturalize",
                "--input",
                rec.toString(),
                "--method",
                "vdib",
                "--model",
                model.toString(),
                "--learn",
                "--aps-references",
                "--out",
                out.toString(),
                "--parallelism",
                "1");
        try (Stream<Path> s = Files.list(out.resolve("models"))) {
            assertThat(s.count()).as("learned model versions").isPositive();
        }
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-6f);
    }
}
