package io.dvsflow.connectors.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFormatsDetectionTest {

    @ParameterizedTest
    @CsvSource({
        "'#!AER-DAT4.0\r\n', AEDAT4",
        "'#!AER-DAT3.1\r\n#Format: RAW\r\n', AEDAT3",
        "'#!AER-DAT2.0\r\n# This is a raw AE data file\r\n', AEDAT2",
        "'#!AER-DAT1.0\n', AEDAT1",
        "'# created by an old jAER\n', AEDAT1",
        "'% evt 2.0\n% plugin_name hal_plugin_gen31_fx3\n', EVT2",
        "'% camera_integrator_name Prophesee\n% evt 3.0\n', EVT3",
        "'% format EVT3;height=720;width=1280\n% end\n', EVT3",
    })
    void detectsHeaderedFormatsByContent(String head, EventFormat expected) throws Exception {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(EventFormats.detect(bytes, bytes.length, "x")).isEqualTo(expected);
    }

    @Test
    void detectsDatFromTheTypeAndSizeBytesAfterTheHeader() throws Exception {
        byte[] header =
                "% Data file containing Event2D events.\n% Version 2\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[header.length + 2 + 8];
        System.arraycopy(header, 0, bytes, 0, header.length);
        bytes[header.length] = 0x0C; // EventCD
        bytes[header.length + 1] = 8; // event size
        assertThat(EventFormats.detect(bytes, bytes.length, "x")).isEqualTo(EventFormat.DAT);
    }

    @Test
    void detectsNmnistRecordsWithRisingTimestamps() throws Exception {
        // two records: x=1, y=2, p=1, ts=5 and x=3, y=4, p=0, ts=0x010203
        byte[] bytes = {1, 2, (byte) 0x80, 0, 5, 3, 4, 0x01, 0x02, 0x03};
        assertThat(EventFormats.detect(bytes, bytes.length, "x")).isEqualTo(EventFormat.NMNIST);
    }

    @Test
    void theExtensionDoesNotMatter(@TempDir Path dir) throws Exception {
        Path misnamed = dir.resolve("recording.dat");
        Files.write(misnamed, "#!AER-DAT3.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(EventFormats.detect(misnamed)).isEqualTo(EventFormat.AEDAT3);
    }

    @Test
    void unknownAndEmptyInputsNameTheSource() {
        byte[] garbage = {0x7F, 'E', 'L', 'F', 0, 0};
        assertThatThrownBy(() -> EventFormats.detect(garbage, 6, "a.bin"))
                .isInstanceOf(EventFormatException.class)
                .hasMessageStartingWith("a.bin: at byte 0: unrecognised event format");
        assertThatThrownBy(() -> EventFormats.detect(new byte[0], 0, "empty.raw"))
                .hasMessageContaining("empty.raw")
                .hasMessageContaining("empty file");
        byte[] bareProphesee = "% plugin_name x\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> EventFormats.detect(bareProphesee, bareProphesee.length, "p.raw"))
                .hasMessageContaining("evt2, evt3 or dat");
    }

    @ParameterizedTest
    @CsvSource({
        "mnistdvs_mnist_0_scale04_0001.aedat, AEDAT2",
        "pyaedattools_IMU_translBoxes.aedat, AEDAT2",
        "tonic_sample_aedat_header.aedat, AEDAT2",
        "tonic_sample.aedat4, AEDAT4",
        "expelliarmus_evt2_sample.raw, EVT2",
        "faery_evt2.raw, EVT2",
        "expelliarmus_evt3_sample.raw, EVT3",
        "tonic_sample_ncars.dat, DAT",
        "tonic_sample_nmnist.bin, NMNIST",
    })
    void detectsEveryRealRecording(String name, EventFormat expected) throws Exception {
        assertThat(EventFormats.detect(RealData.file(name))).isEqualTo(expected);
    }

    @Test
    void shortNamesRoundTrip() {
        for (EventFormat f : EventFormat.values()) {
            assertThat(EventFormat.fromShortName(f.shortName())).isEqualTo(f);
        }
        assertThatThrownBy(() -> EventFormat.fromShortName("avi"))
                .hasMessageContaining("aedat1, aedat2");
    }
}
