package io.dvsflow.jobs.cli;

import java.nio.file.Path;

/** dvsflow's data folder: {@code DVSFLOW_HOME}, else {@code ~/.dvsflow}. */
final class DataHome {

    private DataHome() {}

    static Path resolve() {
        String env = System.getenv("DVSFLOW_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".dvsflow");
    }
}
