package io.dvsflow.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dvsflow} command line: one vocabulary for every user-facing action (see README.md).
 *
 * <p>Exit codes: 0 success, 1 failure of the work (bad input file, failed job), 2 bad usage.
 */
@Command(
        name = "dvsflow",
        mixinStandardHelpOptions = true,
        version = "dvsflow 0.1.0",
        description = "Streaming pipeline for event cameras (DVS) on Apache Flink.",
        subcommands = {CommandLine.HelpCommand.class})
public final class DvsflowCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line (for tests and {@link #main}). */
    public static CommandLine commandLine() {
        return new CommandLine(new DvsflowCli());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
