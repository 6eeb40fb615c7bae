package io.dvsflow.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dvsflow emulate ...}: DVS recordings from images and frames. */
@Command(
        name = "emulate",
        mixinStandardHelpOptions = true,
        description =
                "Emulate a DVS (v2e / ESIM pixel model) watching real digits or frames and write"
                        + " the events in a real dataset's layout and format.",
        subcommands = {
            EmulateMnistDvsCommand.class,
            EmulateNmnistCommand.class,
            EmulateFramesCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow emulate mnist-dvs --count 10 --scales 4 --seed 1 --split test --out emu/",
            "  ./dvsflow emulate nmnist --count 10 --seed 1 --out nmnist/",
            "  ./dvsflow emulate frames frames/ --fps 30 --out video.aedat --to aedat3",
        })
final class EmulateCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
