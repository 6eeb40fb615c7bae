package io.dvsflow.connectors.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.formats.nmnist.NmnistWriter;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.LabeledSegment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three layout readers on fixtures built with the project's writers in the real layouts. */
class DatasetLayoutsTest {

    private static final EventPacket THREE =
            EventPacket.builder("x", 128, 128).on(100, 1, 2).off(200, 3, 4).on(300, 5, 6).build();

    private static Path write(Path file, EventFormat format) throws IOException {
        Files.createDirectories(file.getParent());
        try (EventWriter w =
                EventFormats.writer(
                        file, format, WriterOptions.of(128, 128).withDevice("DVS128"))) {
            w.write(THREE);
        }
        return file;
    }

    private static Map<String, DatasetRecording> byId(DatasetScan scan) {
        return scan.recordings().stream()
                .collect(Collectors.toMap(DatasetRecording::streamId, Function.identity()));
    }

    @Test
    void mnistDvsLayoutListsLabelsReferenceSplitScalesAndTargets(@TempDir Path root)
            throws IOException {
        write(root.resolve("grabbed_data3/scale4/mnist_3_scale04_0001.aedat"), EventFormat.AEDAT2);
        write(root.resolve("grabbed_data3/scale4/mnist_3_scale04_0900.aedat"), EventFormat.AEDAT2);
        write(root.resolve("grabbed_data3/scale4/mnist_3_scale04_0901.aedat"), EventFormat.AEDAT2);
        write(root.resolve("grabbed_data3/scale16/mnist_3_scale16_1000.aedat"), EventFormat.AEDAT2);
        // wrong digit in the name, and a stray file
        write(root.resolve("grabbed_data3/scale4/mnist_4_scale04_0002.aedat"), EventFormat.AEDAT2);
        Files.writeString(root.resolve("grabbed_data3/scale4/notes.txt"), "x");
        // an emulated recording: its sidecar's split (test) overrides the number (train)
        byte[] digit = new byte[784];
        digit[0] = (byte) 0xAB;
        MnistDvsEmulation emulation =
                new MnistDvsEmulation(MnistDvsEmulation.DEFAULT_PARAMETERS, 100_000L);
        emulation.writeRecording(root, 7, 5, 8, digit, 1L, DatasetSplit.TEST);
        // a corrupt sidecar: listed as a problem, the recording stays (without target)
        write(root.resolve("grabbed_data7/scale8/mnist_7_scale08_0006.aedat"), EventFormat.AEDAT2);
        Files.writeString(
                root.resolve("grabbed_data7/scale8/mnist_7_scale08_0006.emulation.csv"), "junk\n");

        assertThat(DatasetLayout.detect(root)).get().isInstanceOf(MnistDvsLayout.class);
        DatasetScan scan = new MnistDvsLayout(root).scan();
        assertThat(scan.layout()).isEqualTo("mnist-dvs");
        assertThat(scan.emulated()).isTrue();
        Map<String, DatasetRecording> r = byId(scan);
        assertThat(r.keySet())
                .containsExactlyInAnyOrder(
                        "mnist_3_scale04_0001",
                        "mnist_3_scale04_0900",
                        "mnist_3_scale04_0901",
                        "mnist_3_scale16_1000",
                        "mnist_7_scale08_0005",
                        "mnist_7_scale08_0006");
        assertThat(r.get("mnist_3_scale04_0001").label()).isEqualTo(3);
        assertThat(r.get("mnist_3_scale04_0900").split()).isEqualTo(DatasetSplit.TRAIN);
        assertThat(r.get("mnist_3_scale04_0901").split()).isEqualTo(DatasetSplit.TEST);
        assertThat(r.get("mnist_3_scale16_1000").split()).isEqualTo(DatasetSplit.TEST);
        assertThat(r.get("mnist_3_scale04_0001").hasTarget()).isFalse();
        DatasetRecording emulated = r.get("mnist_7_scale08_0005");
        assertThat(emulated.split()).isEqualTo(DatasetSplit.TEST);
        assertThat(emulated.target()).hasSize(784).startsWith((byte) 0xAB, (byte) 0);
        assertThat(emulated.width()).isEqualTo(128);
        assertThat(r.get("mnist_7_scale08_0006").hasTarget()).isFalse();
        assertThat(scan.problems())
                .extracting(p -> p.path().getFileName().toString())
                .containsExactlyInAnyOrder(
                        "mnist_4_scale04_0002.aedat",
                        "notes.txt",
                        "mnist_7_scale08_0006.emulation.csv");

        DatasetScan only16 = new MnistDvsLayout(root, Set.of(16)).scan();
        assertThat(only16.recordings())
                .extracting(DatasetRecording::streamId)
                .containsExactly("mnist_3_scale16_1000");
    }

    @Test
    void dvsGestureLayoutGivesOneSegmentPerLabelRow(@TempDir Path root) throws IOException {
        Path trial1 = write(root.resolve("user01_fluorescent.aedat"), EventFormat.AEDAT3);
        write(root.resolve("user24_led.aedat"), EventFormat.AEDAT3);
        write(root.resolve("user02_natural.aedat"), EventFormat.AEDAT3); // no labels file
        Files.writeString(
                root.resolve("gesture_mapping.csv"),
                "action,label\nhand_clapping,1\nright_hand_wave,2\nother_gestures,11\n");
        // overlapping windows (rows 2 and 3), a repeated class (1 twice), a reversed row
        Files.writeString(
                root.resolve("user01_fluorescent_labels.csv"),
                "class,startTime_usec,endTime_usec\r\n"
                        + "1,1000,5000\r\n"
                        + "2,4000,9000\r\n"
                        + "1,9000,12000\r\n"
                        + "11,20000,15000\r\n");
        Files.writeString(
                root.resolve("user24_led_labels.csv"),
                "class,startTime_usec,endTime_usec\n11,50,60\n7,70,80\n");
        Files.writeString(root.resolve("trials_to_train.txt"), "user01_fluorescent.aedat\n");
        Files.writeString(root.resolve("trials_to_test.txt"), "user24_led.aedat\n\n");

        assertThat(DatasetLayout.detect(root)).get().isInstanceOf(DvsGestureLayout.class);
        DatasetScan scan = new DvsGestureLayout(root).scan();
        Map<String, DatasetRecording> r = byId(scan);
        assertThat(r.keySet()).containsExactlyInAnyOrder("user01_fluorescent", "user24_led");
        DatasetRecording one = r.get("user01_fluorescent");
        assertThat(one.split()).isEqualTo(DatasetSplit.TRAIN);
        assertThat(one.label()).isEqualTo(-1);
        assertThat(one.segments())
                .containsExactly(
                        new LabeledSegment("user01_fluorescent", 1000L, 5000L, 1, "hand_clapping"),
                        new LabeledSegment(
                                "user01_fluorescent", 4000L, 9000L, 2, "right_hand_wave"),
                        new LabeledSegment(
                                "user01_fluorescent", 9000L, 12000L, 1, "hand_clapping"));
        DatasetRecording test = r.get("user24_led");
        assertThat(test.split()).isEqualTo(DatasetSplit.TEST);
        assertThat(test.segments()).hasSize(1); // class 7 is not in the mapping
        assertThat(scan.problems())
                .extracting(DatasetProblem::reason)
                .anyMatch(s -> s.contains("line 5: end 15000 is not after start 20000"))
                .anyMatch(s -> s.contains("class 7 is not in gesture_mapping.csv"))
                .anyMatch(s -> s.contains("no labels file user02_natural_labels.csv"));
        // the fixture trial reads back with the AEDAT 3.1 reader
        try (EventReader reader = EventFormats.open(trial1, ReaderOptions.defaults())) {
            assertThat(reader.info().format()).isEqualTo(EventFormat.AEDAT3);
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(3);
        }
    }

    @Test
    void nmnistLayoutUsesSplitAndDigitFolders(@TempDir Path root) throws IOException {
        for (String f : List.of("Train/0/00002.bin", "Train/0/00001.bin", "Test/9/00001.bin")) {
            Path file = root.resolve(f);
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file);
                    NmnistWriter w = new NmnistWriter(out, WriterOptions.of(34, 34))) {
                w.write(EventPacket.builder("n", 34, 34).on(5, 33, 33).build());
            }
        }
        Files.createDirectories(root.resolve("Train/x"));
        Files.writeString(root.resolve("Test/9/readme.txt"), "x", StandardCharsets.UTF_8);

        assertThat(DatasetLayout.detect(root)).get().isInstanceOf(NmnistLayout.class);
        DatasetScan scan = new NmnistLayout(root).scan();
        assertThat(scan.emulated()).isFalse();
        assertThat(scan.recordings())
                .extracting(DatasetRecording::streamId)
                .containsExactly("Test/9/00001", "Train/0/00001", "Train/0/00002");
        DatasetRecording test = scan.recordings().get(0);
        assertThat(test.label()).isEqualTo(9);
        assertThat(test.split()).isEqualTo(DatasetSplit.TEST);
        assertThat(test.width()).isEqualTo(34);
        assertThat(test.height()).isEqualTo(34);
        assertThat(scan.recordings().get(1).split()).isEqualTo(DatasetSplit.TRAIN);
        assertThat(scan.problems())
                .extracting(p -> p.path().getFileName().toString())
                .containsExactlyInAnyOrder("x", "readme.txt");
    }

    @Test
    void unknownFoldersHaveNoLayout(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("a.txt"), "x");
        assertThat(DatasetLayout.detect(root)).isEmpty();
        assertThat(DatasetLayout.detect(root.resolve("missing"))).isEmpty();
    }
}
