package io.dvsflow.connectors.datasets;

import io.dvsflow.schemas.avro.LabeledSegment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IBM DVS Gesture layout (Amir et al. 2017), all in one folder:
 *
 * <ul>
 *   <li>{@code userNN_<lighting>.aedat}: one trial, AEDAT 3.1, 128 x 128 DVS;
 *   <li>{@code userNN_<lighting>_labels.csv}: header {@code class,startTime_usec,endTime_usec},
 *       then one row per gesture performance, times on the recording's event clock (µs);
 *   <li>{@code gesture_mapping.csv}: header {@code action,label}, then {@code name,number} for the
 *       classes 1..11 (optional: names are {@code null} without it);
 *   <li>{@code trials_to_train.txt} / {@code trials_to_test.txt}: one {@code .aedat} file name per
 *       line (optional: a trial listed in neither is {@link DatasetSplit#UNSPLIT}).
 * </ul>
 *
 * <p>Policies:
 *
 * <ul>
 *   <li><b>One segment per label row</b>, in file order, {@code [startTime_usec, endTime_usec)}, as
 *       a {@link LabeledSegment} with the trial's stream id and the class name from the mapping.
 *   <li><b>Overlapping windows are kept as they are</b>: each row stays its own segment, so an
 *       event inside an overlap belongs to both (a consumer that needs one label per event picks,
 *       e.g., the segment that started last). Nothing is trimmed or merged.
 *   <li><b>Repeated classes</b> (a class performed twice in one trial) give two segments with the
 *       same label; they are not merged, even when adjacent.
 *   <li>A row with {@code end <= start}, a non-numeric field, or a class missing from a present
 *       mapping is a {@link DatasetProblem} and skipped; the trial's other rows are kept.
 *   <li>A trial without a labels file is a problem and not listed; so is a labels file larger than
 *       {@link #MAX_LABEL_FILE_BYTES}.
 *   <li>The recording's own {@code label} is {@code -1} (a trial holds all classes).
 * </ul>
 */
public final class DvsGestureLayout implements DatasetLayout {

    /** Training trial list. */
    public static final String TRAIN_LIST = "trials_to_train.txt";

    /** Test trial list. */
    public static final String TEST_LIST = "trials_to_test.txt";

    /** Class names. */
    public static final String MAPPING = "gesture_mapping.csv";

    /** Largest labels, mapping or list file read: 1 MiB (real ones are under 1 KB). */
    public static final int MAX_LABEL_FILE_BYTES = 1 << 20;

    /** DVS128 side (pixels). */
    public static final int SENSOR_SIZE = 128;

    private static final Pattern TRIAL = Pattern.compile("user[0-9]+_.+\\.aedat");

    private final Path root;

    public DvsGestureLayout(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "dvs-gesture";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public DatasetScan scan() throws IOException {
        List<DatasetProblem> problems = new ArrayList<>();
        Map<Integer, String> names = readMapping(root.resolve(MAPPING), problems);
        Set<String> train = readList(root.resolve(TRAIN_LIST), problems);
        Set<String> test = readList(root.resolve(TEST_LIST), problems);
        List<DatasetRecording> recordings = new ArrayList<>();
        for (Path file : MnistDvsLayout.sortedFiles(root)) {
            String name = file.getFileName().toString();
            if (!TRIAL.matcher(name).matches()) {
                continue;
            }
            String stem = name.substring(0, name.length() - ".aedat".length());
            Path labels = root.resolve(stem + "_labels.csv");
            if (!Files.isRegularFile(labels)) {
                problems.add(new DatasetProblem(file, "no labels file " + labels.getFileName()));
                continue;
            }
            List<LabeledSegment> segments;
            try {
                segments = readLabels(labels, stem, names, problems);
            } catch (IOException e) {
                problems.add(new DatasetProblem(labels, e.getMessage()));
                continue;
            }
            DatasetSplit split =
                    train.contains(name)
                            ? DatasetSplit.TRAIN
                            : test.contains(name) ? DatasetSplit.TEST : DatasetSplit.UNSPLIT;
            recordings.add(
                    new DatasetRecording(
                            stem, file, -1, split, null, segments, SENSOR_SIZE, SENSOR_SIZE));
        }
        return new DatasetScan(name(), false, recordings, problems);
    }

    /** Reads a labels file into segments; bad rows go to {@code problems}. */
    static List<LabeledSegment> readLabels(
            Path file, String streamId, Map<Integer, String> names, List<DatasetProblem> problems)
            throws IOException {
        List<String> lines = readLines(file);
        List<LabeledSegment> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || (n == 0 && line.startsWith("class"))) {
                continue;
            }
            String[] f = line.split(",");
            String where = file.getFileName() + " line " + (n + 1);
            if (f.length < 3) {
                problems.add(new DatasetProblem(file, where + ": expected class,start,end"));
                continue;
            }
            int label;
            long start;
            long end;
            try {
                label = Integer.parseInt(f[0].strip());
                start = Long.parseLong(f[1].strip());
                end = Long.parseLong(f[2].strip());
            } catch (NumberFormatException e) {
                problems.add(new DatasetProblem(file, where + ": not a number"));
                continue;
            }
            if (end <= start) {
                problems.add(
                        new DatasetProblem(
                                file, where + ": end " + end + " is not after start " + start));
                continue;
            }
            if (!names.isEmpty() && !names.containsKey(label)) {
                problems.add(
                        new DatasetProblem(
                                file, where + ": class " + label + " is not in " + MAPPING));
                continue;
            }
            out.add(new LabeledSegment(streamId, start, end, label, names.get(label)));
        }
        return out;
    }

    private static Map<Integer, String> readMapping(Path file, List<DatasetProblem> problems) {
        Map<Integer, String> names = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return names;
        }
        try {
            List<String> lines = readLines(file);
            for (int n = 0; n < lines.size(); n++) {
                String[] f = lines.get(n).strip().split(",");
                if (f.length < 2) {
                    continue;
                }
                try {
                    names.put(Integer.parseInt(f[1].strip()), f[0].strip());
                } catch (NumberFormatException e) {
                    if (n > 0) {
                        problems.add(
                                new DatasetProblem(
                                        file, "line " + (n + 1) + ": class number expected"));
                    }
                }
            }
        } catch (IOException e) {
            problems.add(new DatasetProblem(file, e.getMessage()));
        }
        return names;
    }

    private static Set<String> readList(Path file, List<DatasetProblem> problems) {
        Set<String> names = new HashSet<>();
        if (!Files.isRegularFile(file)) {
            return names;
        }
        try {
            for (String line : readLines(file)) {
                String s = line.strip();
                if (!s.isEmpty()) {
                    names.add(Path.of(s).getFileName().toString());
                }
            }
        } catch (IOException e) {
            problems.add(new DatasetProblem(file, e.getMessage()));
        }
        return names;
    }

    private static List<String> readLines(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_LABEL_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_LABEL_FILE_BYTES) {
            throw new IOException(
                    file + ": larger than " + MAX_LABEL_FILE_BYTES + " bytes, not a labels file");
        }
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
