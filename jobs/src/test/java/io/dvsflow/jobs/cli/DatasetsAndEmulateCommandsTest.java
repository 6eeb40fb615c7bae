package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.jobs.cli.DvsflowCliTest.Run;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code datasets} and {@code emulate}: digits are injected with the hidden {@code --digits-file}
 * (never npm).
 */
class DatasetsAndEmulateCommandsTest {

    /** 30 digits, 3 per class: a ring whose radius grows with the class. */
    static Path digitsFile(Path dir) throws IOException {
        int n = 30;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            double radius = 4 + 0.5 * label + 0.2 * (i / 10);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    double d = Math.hypot(c - 13.5, r - 13.5);
                    pixels[i * 784 + r * 28 + c] = (byte) (Math.abs(d - radius) < 1.5 ? 255 : 0);
                }
            }
        }
        Path file = dir.resolve("digits.bin");
        new MnistImages(28, 28, labels, pixels).write(file);
        return file;
    }

    private static Run run(String... args) {
        return DvsflowCliTest.run(args);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "datasets",
                "datasets fetch",
                "datasets inspect",
                "emulate",
                "emulate mnist-dvs",
                "emulate nmnist",
                "emulate frames"
            })
    void newCommandsHaveHelpWithAnExample(String command) {
        String[] args =
                Stream.concat(Stream.of(command.split(" ")), Stream.of("--help"))
                        .toArray(String[]::new);
        Run r = run(args);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: dvsflow " + command).contains("Examples:");
    }

    @Test
    void fetchPrintsClassCountsAndSplitSizes(@TempDir Path dir) throws IOException {
        Run r = run("datasets", "fetch", "mnist", "--digits-file", digitsFile(dir).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // 30 images: test = min(2000, 30 / 5) = 6, so 24 train
        assertThat(r.out()).contains("30 images of 28x28").contains("split: 24 train / 6 test");
        assertThat(r.out()).containsPattern("(?m)^\\s+0\\s+3\\s+");
        Run bad = run("datasets", "fetch", "cifar", "--digits-file", dir.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown dataset 'cifar'");
    }

    @Test
    void emulateMnistDvsWritesTheRealLayoutSeededAndInspectListsIt(@TempDir Path dir)
            throws IOException {
        Path digits = digitsFile(dir);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path out : List.of(a, b)) {
            Run r =
                    run(
                            "emulate",
                            "mnist-dvs",
                            "--count",
                            "2",
                            "--scales",
                            "4,8",
                            "--seed",
                            "5",
                            "--split",
                            "test",
                            "--duration",
                            "200ms",
                            "--out",
                            out.toString(),
                            "--digits-file",
                            digits.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("wrote 4 recordings");
            assertThat(r.err()).contains("4/4 recordings");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(a)) {
            files = s.filter(p -> p.toString().endsWith(".aedat")).sorted().toList();
        }
        assertThat(files).hasSize(4);
        for (Path f : files) {
            String rel = a.relativize(f).toString().replace('\\', '/');
            // test digits are numbered from 0901 so the reference split agrees
            assertThat(rel)
                    .matches("grabbed_data(\\d)/scale(4|8)/mnist_\\1_scale0?\\2_09\\d\\d.aedat");
            assertThat(Files.readAllBytes(b.resolve(a.relativize(f))))
                    .isEqualTo(Files.readAllBytes(f));
            RecordingSummary s = RecordingSummary.scan(f, ReaderOptions.defaults());
            assertThat(s.info().format()).isEqualTo(EventFormat.AEDAT2);
            assertThat(s.events()).isPositive();
        }
        // one unreadable file does not stop the listing
        Path junk =
                files.get(0)
                        .resolveSibling(
                                "mnist_"
                                        + files.get(0).getFileName().toString().charAt(6)
                                        + "_scale04_0999.aedat");
        Files.writeString(junk, "hello, not events");
        Run json = run("datasets", "inspect", a.toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out())
                .contains("\"layout\": \"mnist-dvs\"")
                .contains("\"emulated\": true")
                .contains("\"recordings\": 4")
                .contains("\"with_target\": 4")
                .contains("\"by_split\": {\"test\": 4}")
                .contains(
                        "mnist_"
                                + files.get(0).getFileName().toString().charAt(6)
                                + "_scale04_0999.aedat\": \"");
        Run text = run("datasets", "inspect", a.toString(), "--scale", "8");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out())
                .contains("layout:      mnist-dvs (emulated)")
                .contains("2 readable {test=2}")
                .contains("unreadable:  0");
    }

    @Test
    void emulateNmnistWritesBinFilesInTheirLayout(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("nm");
        Run r =
                run(
                        "emulate",
                        "nmnist",
                        "--count",
                        "3",
                        "--seed",
                        "2",
                        "--out",
                        out.toString(),
                        "--digits-file",
                        digitsFile(dir).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Run json = run("datasets", "inspect", out.toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out())
                .contains("\"layout\": \"n-mnist\"")
                .contains("\"emulated\": true")
                .contains("\"recordings\": 3")
                .contains("\"by_split\": {\"train\": 3}")
                .contains("\"unreadable\": {}");
    }

    @Test
    void emulateFramesTurnsPngsIntoAnAedat3File(@TempDir Path dir) throws IOException {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        for (int k = 0; k < 4; k++) {
            BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 8; x++) {
                    int v = x == k + 2 ? 250 : 20; // a bright column moving right
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            ImageIO.write(img, "png", frames.resolve(String.format("img_%03d.png", k)).toFile());
        }
        Path out = dir.resolve("moving.aedat");
        Run r =
                run(
                        "emulate",
                        "frames",
                        frames.toString(),
                        "--fps",
                        "100",
                        "--out",
                        out.toString(),
                        "--to",
                        "aedat3");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("from 4 frames of 8x6").contains("(aedat3)");
        RecordingSummary s = RecordingSummary.scan(out, ReaderOptions.defaults());
        assertThat(s.info().format()).isEqualTo(EventFormat.AEDAT3);
        assertThat(s.info().width()).isEqualTo(8);
        assertThat(s.events()).isPositive();
        assertThat(s.onEvents()).isPositive();
        assertThat(s.offEvents()).isPositive();
        assertThat(s.tLastUs()).isLessThanOrEqualTo(30_000L); // frame 3 at 3 * 10^6 / 100 µs

        Run none =
                run(
                        "emulate",
                        "frames",
                        dir.resolve("nothing").toString(),
                        "--fps",
                        "10",
                        "--out",
                        out.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no such");
    }

    @Test
    void inspectRefusesAFolderWithoutAKnownLayout(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "x");
        Run r = run("datasets", "inspect", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("has no known dataset layout");
    }
}
