package io.dvsflow.connectors.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The N-MNIST layout (Orchard et al. 2015): {@code root/Train/{digit}/*.bin} and {@code
 * root/Test/{digit}/*.bin} (folder names matched in any case), ATIS {@code .bin} records.
 *
 * <ul>
 *   <li>Label: the digit folder; split: {@code Train} or {@code Test}; stream id {@code
 *       Train/3/00012} (split folder, digit, file stem).
 *   <li>Geometry: {@link #SENSOR_SIZE} x {@link #SENSOR_SIZE}, N-MNIST's sensor window; the {@code
 *       .bin} reader reports 0 x 0 because the format does not say.
 *   <li>A folder under {@code Train}/{@code Test} that is not a digit, or a non-{@code .bin} file,
 *       is a problem and skipped.
 *   <li>Emulated: a file {@link #EMULATION_MARKER} in the root (written by dvsflow's emulator).
 * </ul>
 */
public final class NmnistLayout implements DatasetLayout {

    /** N-MNIST's sensor side (pixels). */
    public static final int SENSOR_SIZE = 34;

    /** Marker file dvsflow's N-MNIST emulation writes into the root. */
    public static final String EMULATION_MARKER = "dvsflow-emulation.txt";

    private final Path root;

    public NmnistLayout(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "n-mnist";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public DatasetScan scan() throws IOException {
        List<DatasetRecording> recordings = new ArrayList<>();
        List<DatasetProblem> problems = new ArrayList<>();
        List<Path> splitDirs;
        try (Stream<Path> s = Files.list(root)) {
            splitDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path splitDir : splitDirs) {
            String splitName = splitDir.getFileName().toString();
            DatasetSplit split;
            if (splitName.equalsIgnoreCase("train")) {
                split = DatasetSplit.TRAIN;
            } else if (splitName.equalsIgnoreCase("test")) {
                split = DatasetSplit.TEST;
            } else {
                continue;
            }
            List<Path> digitDirs;
            try (Stream<Path> s = Files.list(splitDir)) {
                digitDirs = s.sorted().toList();
            }
            for (Path digitDir : digitDirs) {
                String d = digitDir.getFileName().toString();
                if (!Files.isDirectory(digitDir) || !d.matches("[0-9]")) {
                    problems.add(new DatasetProblem(digitDir, "not a digit folder 0..9"));
                    continue;
                }
                int label = Integer.parseInt(d);
                for (Path file : MnistDvsLayout.sortedFiles(digitDir)) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".bin")) {
                        problems.add(new DatasetProblem(file, "not a .bin recording"));
                        continue;
                    }
                    String stem = name.substring(0, name.length() - 4);
                    recordings.add(
                            new DatasetRecording(
                                    splitName + "/" + d + "/" + stem,
                                    file,
                                    label,
                                    split,
                                    null,
                                    List.of(),
                                    SENSOR_SIZE,
                                    SENSOR_SIZE));
                }
            }
        }
        boolean emulated = Files.isRegularFile(root.resolve(EMULATION_MARKER));
        return new DatasetScan(name(), emulated, recordings, problems);
    }
}
