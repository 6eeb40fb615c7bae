package io.dvsflow.jobs.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Checks on the files a command is given, with one-sentence errors. */
final class CliFiles {

    private CliFiles() {}

    static void requireReadable(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such readable file");
        }
    }
}
