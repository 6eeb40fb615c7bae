package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.MnistDigits;
import java.nio.file.Path;

/**
 * dvsflow's data folder: {@code DVSFLOW_HOME}, else {@code ~/.dvsflow} (one rule, kept in
 * MnistDigits).
 */
final class DataHome {

    private DataHome() {}

    static Path resolve() {
        return MnistDigits.defaultDataDir();
    }
}
