package io.dvsflow.jobs.cli;

import picocli.CommandLine.Command;

/** {@code dvsflow bench ...}: throughput figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure throughput: decode (file -> events), pipeline (file -> frames).",
        subcommands = {
            BenchDecodeCommand.class,
            BenchPipelineCommand.class,
            BenchNaturalizeCommand.class
        })
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
