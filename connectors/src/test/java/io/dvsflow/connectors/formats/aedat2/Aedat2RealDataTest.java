package io.dvsflow.connectors.formats.aedat2;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RealData;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reader on real jAER recordings (skipped, visibly, when they are absent). */
class Aedat2RealDataTest {

    /** Reads a whole file, checking per packet that coordinates and time are in range. */
    private static long[] scan(EventReader reader, int width, int height) throws IOException {
        EventPacket p = reader.newPacket();
        long events = 0;
        long on = 0;
        long last = Long.MIN_VALUE;
        while (reader.read(p)) {
            assertThat(p.width()).isEqualTo(width);
            assertThat(p.height()).isEqualTo(height);
            for (int i = 0; i < p.size(); i++) {
                assertThat(p.x(i)).isBetween(0, width - 1);
                assertThat(p.y(i)).isBetween(0, height - 1);
                assertThat(p.t(i)).isGreaterThanOrEqualTo(last);
                last = p.t(i);
                on += p.p(i);
            }
            events += p.size();
        }
        return new long[] {events, on, last};
    }

    @Test
    void mnistDvsSample() throws IOException {
        Path file = RealData.file("mnistdvs_mnist_0_scale04_0001.aedat");
        assertThat(EventFormats.detect(file)).isEqualTo(EventFormat.AEDAT2);
        try (EventReader reader = EventFormats.open(file, ReaderOptions.defaults())) {
            assertThat(reader.info().version()).isEqualTo("2.0");
            assertThat(reader.info().width()).isEqualTo(128);
            assertThat(reader.info().height()).isEqualTo(128);
            long headerBytes = Long.parseLong(reader.info().metadata().get("header_bytes"));
            long[] r = scan(reader, 128, 128);
            long records = (Files.size(file) - headerBytes) / 8;
            // every record of this file is a DVS event: no special or external words
            assertThat(r[0]).isEqualTo(records).isGreaterThan(10_000);
            assertThat(r[1]).as("ON").isBetween(r[0] / 4, 3 * r[0] / 4);
            // MNIST-DVS recordings last about 2-3 s
            assertThat(r[2]).isBetween(1_000_000L, 10_000_000L);
            assertThat(reader.statistics().events()).isEqualTo(r[0]);
            assertThat(reader.statistics().onEvents()).isEqualTo(r[1]);
            assertThat(reader.statistics().skippedTotal()).isZero();
            assertThat(reader.position()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void davis240cSampleWithImuWords() throws IOException {
        Path file = RealData.file("pyaedattools_IMU_translBoxes.aedat");
        try (EventReader reader = EventFormats.open(file, ReaderOptions.defaults())) {
            assertThat(reader.info().device()).isEqualTo("DAVIS240C");
            assertThat(reader.info().width()).isEqualTo(240);
            assertThat(reader.info().height()).isEqualTo(180);
            long headerBytes = Long.parseLong(reader.info().metadata().get("header_bytes"));
            assertThat(headerBytes).isGreaterThan(170_000);
            long[] r = scan(reader, 240, 180);
            long records = (Files.size(file) - headerBytes) / 8;
            long imu = reader.statistics().skipped("imu");
            assertThat(imu).isPositive();
            assertThat(r[0]).isGreaterThan(records / 2);
            assertThat(
                            r[0]
                                    + reader.statistics().skipped("imu")
                                    + reader.statistics().skipped("aps")
                                    + reader.statistics().skipped("external")
                                    + reader.statistics().skipped("out_of_bounds"))
                    .as("every record is an event or a counted skip")
                    .isEqualTo(records);
            assertThat(r[1]).as("ON").isBetween(r[0] / 4, 3 * r[0] / 4);
            assertThat(reader.position()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void davis346HeaderOnlySample() throws IOException {
        Path file = RealData.file("tonic_sample_aedat_header.aedat");
        try (EventReader reader = EventFormats.open(file, ReaderOptions.defaults())) {
            assertThat(reader.info().format()).isEqualTo(EventFormat.AEDAT2);
            assertThat(reader.info().device()).isEqualTo("Davis346red");
            assertThat(reader.info().width()).isEqualTo(346);
            assertThat(reader.info().height()).isEqualTo(260);
            assertThat(reader.info().metadata())
                    .containsEntry("creation_time_ms", "1695355587880")
                    .containsEntry("layout", "DAVIS");
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isFalse();
            assertThat(reader.statistics().events()).isZero();
            assertThat(reader.position()).isEqualTo(Files.size(file));
        }
    }
}
