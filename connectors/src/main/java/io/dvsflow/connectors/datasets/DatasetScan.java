package io.dvsflow.connectors.datasets;

import java.util.List;

/**
 * What a layout found under its root: the usable recordings, in a stable order (sorted by path),
 * and the problems met on the way.
 *
 * @param layout the layout's name (e.g. {@code mnist-dvs})
 * @param emulated whether the recordings were made by dvsflow's emulator (sidecars or marker
 *     present)
 * @param recordings the recordings, sorted by path
 * @param problems entries that could not be used, with reasons
 */
public record DatasetScan(
        String layout,
        boolean emulated,
        List<DatasetRecording> recordings,
        List<DatasetProblem> problems) {

    /** Copies the lists. */
    public DatasetScan {
        recordings = List.copyOf(recordings);
        problems = List.copyOf(problems);
    }
}
