package io.dvsflow.connectors.formats;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locates the real recordings in {@code ../shared/data/real} (system property {@code
 * dvsflow.shared}, set by the build). Tests that use them skip, visibly, when the folder is absent.
 */
public final class RealData {

    private static final Logger LOG = LoggerFactory.getLogger(RealData.class);

    private RealData() {}

    /** The real file {@code name}, or a skipped test (with a logged reason) when it is absent. */
    public static Path file(String name) {
        String shared = System.getProperty("dvsflow.shared", "../shared");
        Path p = Path.of(shared, "data", "real", name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            LOG.warn("SKIPPED: real recording {} is absent (no ../shared/data/real here)", p);
        }
        assumeTrue(Files.isRegularFile(p), "real recording absent: " + p);
        return p;
    }
}
