package io.dvsflow.connectors.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The MNIST-DVS layout (Serrano-Gotarredona and Linares-Barranco 2015), real or emulated by {@link
 * MnistDvsEmulation}: {@code
 * root/grabbed_data{d}/scale{4,8,16}/mnist_{d}_scale{04,08,16}_{nnnn}.aedat} (folder {@code
 * scale4}, file {@code scale04}), jAER AEDAT 2.0 on a 128 x 128 DVS.
 *
 * <ul>
 *   <li><b>Label</b>: the digit {@code d} of the folder; a file whose name states another digit or
 *       scale than its folders is listed as a problem, not used.
 *   <li><b>Split</b>: the dataset ships without one. dvsflow's reference split, per digit and
 *       scale: recordings {@code 0001..0900} train, {@code 0901..1000} test ({@link #FIRST_TEST_ID}
 *       .. {@link #LAST_TEST_ID}; the real dataset numbers each digit's recordings 0001..1000,
 *       about 1000 per digit); any other number (e.g. {@code 0000}, emulated) is train. An emulated
 *       recording's sidecar that states a split ({@code train} or {@code test}) overrides the
 *       number.
 *   <li><b>Target</b>: the source digit from the sidecar {@code .emulation.csv} ({@link
 *       MnistDvsSidecar}) when present; a sidecar that cannot be read is a problem and the
 *       recording is still listed without a target.
 *   <li><b>Scale filter</b>: only the given scales (default all three).
 * </ul>
 */
public final class MnistDvsLayout implements DatasetLayout {

    /** First recording number of the reference test split. */
    public static final int FIRST_TEST_ID = 901;

    /** Last recording number of the reference test split. */
    public static final int LAST_TEST_ID = 1000;

    /** The three MNIST-DVS scales. */
    public static final Set<Integer> ALL_SCALES = Set.of(4, 8, 16);

    private static final Pattern FILE =
            Pattern.compile("mnist_([0-9])_scale([0-9]{2})_([0-9]{4})\\.aedat");

    private final Path root;
    private final Set<Integer> scales;

    /** All scales. */
    public MnistDvsLayout(Path root) {
        this(root, ALL_SCALES);
    }

    /**
     * @param scales the scales to list (a subset of 4, 8, 16)
     */
    public MnistDvsLayout(Path root, Set<Integer> scales) {
        for (int s : scales) {
            MnistDvsEmulation.digitSizePx(s); // validates
        }
        this.root = root;
        this.scales = new TreeSet<>(scales);
    }

    @Override
    public String name() {
        return "mnist-dvs";
    }

    @Override
    public Path root() {
        return root;
    }

    /** The reference split of recording number {@code id}. */
    public static DatasetSplit referenceSplit(int id) {
        return id >= FIRST_TEST_ID && id <= LAST_TEST_ID ? DatasetSplit.TEST : DatasetSplit.TRAIN;
    }

    @Override
    public DatasetScan scan() throws IOException {
        List<DatasetRecording> recordings = new ArrayList<>();
        List<DatasetProblem> problems = new ArrayList<>();
        boolean anySidecar = false;
        for (int d = 0; d <= 9; d++) {
            Path digitDir = root.resolve("grabbed_data" + d);
            if (!Files.isDirectory(digitDir)) {
                continue;
            }
            for (int scale : scales) {
                Path dir = digitDir.resolve("scale" + scale);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                for (Path file : sortedFiles(dir)) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".emulation.csv")) {
                        continue;
                    }
                    Matcher m = FILE.matcher(name);
                    if (!m.matches()) {
                        problems.add(
                                new DatasetProblem(
                                        file,
                                        "name does not follow mnist_{d}_scale{ss}_{nnnn}.aedat"));
                        continue;
                    }
                    int fileDigit = Integer.parseInt(m.group(1));
                    int fileScale = Integer.parseInt(m.group(2));
                    if (fileDigit != d || fileScale != scale) {
                        problems.add(
                                new DatasetProblem(
                                        file,
                                        "name states digit "
                                                + fileDigit
                                                + " scale "
                                                + fileScale
                                                + " but the folders say digit "
                                                + d
                                                + " scale "
                                                + scale));
                        continue;
                    }
                    int id = Integer.parseInt(m.group(3));
                    DatasetSplit split = referenceSplit(id);
                    byte[] target = null;
                    Path sidecar = MnistDvsEmulation.sidecarPath(file);
                    if (Files.isRegularFile(sidecar)) {
                        anySidecar = true;
                        try {
                            MnistDvsSidecar s = MnistDvsSidecar.read(sidecar);
                            target = s.target();
                            if (s.split() != DatasetSplit.UNSPLIT) {
                                split = s.split();
                            }
                            if (s.label() != d) {
                                problems.add(
                                        new DatasetProblem(
                                                sidecar,
                                                "sidecar label "
                                                        + s.label()
                                                        + " differs from the folder's digit "
                                                        + d));
                            }
                        } catch (IOException e) {
                            problems.add(new DatasetProblem(sidecar, e.getMessage()));
                        }
                    }
                    recordings.add(
                            new DatasetRecording(
                                    name.substring(0, name.length() - ".aedat".length()),
                                    file,
                                    d,
                                    split,
                                    target,
                                    List.of(),
                                    MnistDvsEmulation.SENSOR_SIZE,
                                    MnistDvsEmulation.SENSOR_SIZE));
                }
            }
        }
        return new DatasetScan(name(), anySidecar, recordings, problems);
    }

    static List<Path> sortedFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
