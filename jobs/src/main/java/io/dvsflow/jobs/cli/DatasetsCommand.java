package io.dvsflow.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dvsflow datasets ...}: fetch real images and inspect dataset folders. */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = "Fetch the real MNIST digits and inspect dataset folders as they ship.",
        subcommands = {DatasetsFetchCommand.class, DatasetsInspectCommand.class},
        footer = {
            "",
            "Examples:",
            "  ./dvsflow datasets fetch mnist",
            "  ./dvsflow datasets inspect ~/data/DvsGesture --json",
        })
final class DatasetsCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
