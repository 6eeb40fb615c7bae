package io.dvsflow.connectors.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A dataset's folder layout as it ships: lists its recordings with stream id, label, split, target
 * and labelled segments. Implementations: {@link MnistDvsLayout}, {@link DvsGestureLayout}, {@link
 * NmnistLayout}.
 *
 * <p>{@link #detect} picks the layout of a folder by its names, in this order:
 *
 * <ol>
 *   <li>a folder {@code grabbed_data0..9} under the root: MNIST-DVS (real or emulated);
 *   <li>{@code trials_to_train.txt}, {@code trials_to_test.txt}, {@code gesture_mapping.csv} or a
 *       file {@code userNN_*_labels.csv} in the root: DVS Gesture;
 *   <li>a folder {@code Train} or {@code Test} (any case) holding digit folders: N-MNIST.
 * </ol>
 */
public interface DatasetLayout {

    /** Short name: {@code mnist-dvs}, {@code dvs-gesture} or {@code n-mnist}. */
    String name();

    /** The dataset's root folder. */
    Path root();

    /**
     * Lists the recordings. Problems with single entries (unexpected names, unreadable label files)
     * are collected in the result, never thrown.
     *
     * @throws IOException only when the root itself cannot be listed
     */
    DatasetScan scan() throws IOException;

    /**
     * The layout of {@code root}, or empty when none is recognised.
     *
     * @throws IOException when the root cannot be listed
     */
    static Optional<DatasetLayout> detect(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        boolean mnistDvs = false;
        boolean gesture = false;
        boolean nmnist = false;
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child) && name.matches("grabbed_data[0-9]")) {
                    mnistDvs = true;
                } else if (Set.of(
                                        DvsGestureLayout.TRAIN_LIST,
                                        DvsGestureLayout.TEST_LIST,
                                        DvsGestureLayout.MAPPING)
                                .contains(name)
                        || name.matches("user[0-9]+_.+_labels\\.csv")) {
                    gesture = true;
                } else if (Files.isDirectory(child)
                        && (name.equalsIgnoreCase("train") || name.equalsIgnoreCase("test"))) {
                    nmnist = true;
                }
            }
        }
        if (mnistDvs) {
            return Optional.of(new MnistDvsLayout(root));
        }
        if (gesture) {
            return Optional.of(new DvsGestureLayout(root));
        }
        if (nmnist) {
            return Optional.of(new NmnistLayout(root));
        }
        return Optional.empty();
    }
}
