package io.dvsflow.connectors.datasets;

import java.util.Locale;

/** The part of a dataset a recording belongs to. */
public enum DatasetSplit {
    /** Training recordings. */
    TRAIN,
    /** Test recordings. */
    TEST,
    /** The layout does not say (e.g. a DVS Gesture trial listed in neither split file). */
    UNSPLIT;

    /**
     * Lower-case name used in output and sidecars: {@code train}, {@code test}, {@code unsplit}.
     */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code train} or {@code test} (case-insensitive).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static DatasetSplit parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "train" -> TRAIN;
            case "test" -> TEST;
            case "unsplit" -> UNSPLIT;
            default ->
                    throw new IllegalArgumentException(
                            "split must be train or test, was '" + s + "'");
        };
    }
}
