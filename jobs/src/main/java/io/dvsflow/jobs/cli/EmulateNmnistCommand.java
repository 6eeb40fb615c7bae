package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.DatasetSplit;
import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.connectors.datasets.NmnistEmulation;
import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow emulate nmnist}: N-MNIST-like saccade recordings ({@link NmnistEmulation}) from
 * the real digits, in N-MNIST's {@code Train|Test/{digit}/NNNNN.bin} layout. Digits are chosen as
 * by {@code emulate mnist-dvs}; file numbers count per class from 0.
 */
@Command(
        name = "nmnist",
        mixinStandardHelpOptions = true,
        description = {
            "Emulate N-MNIST recordings: a real MNIST digit seen by a 34x34 sensor making three"
                    + " saccades of 100 ms, written as .bin files in the Train|Test/{digit}/ layout."
                    + " Progress goes to stderr.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow emulate nmnist --count 100 --seed 1 --out nmnist/",
            "  ./dvsflow emulate nmnist --count 20 --split test --out nmnist/",
        })
final class EmulateNmnistCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--count",
            required = true,
            paramLabel = "N",
            description = "Digits to emulate.")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--split",
            defaultValue = "train",
            paramLabel = "train|test",
            description = "Take the digits from this split and write them there (default: train).")
    String split;

    @Option(
            names = "--digit",
            split = ",",
            paramLabel = "D",
            description = "Only these classes (default: all).")
    List<Integer> digitsFilter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset root.")
    Path out;

    @Mixin DigitsSourceMixin digits;

    @Override
    public Integer call() throws Exception {
        DatasetSplit which = DatasetSplit.parse(split);
        if (which == DatasetSplit.UNSPLIT) {
            throw new IllegalArgumentException("--split must be train or test");
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        MnistImages images = digits.load(err);
        MnistSplit parts = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        int[] pool = which == DatasetSplit.TEST ? parts.test() : parts.train();
        int[] chosen = EmulateMnistDvsCommand.choose(images, pool, digitsFilter, count, seed);
        NmnistEmulation emulation = new NmnistEmulation();
        Files.createDirectories(out);
        int[] next = new int[10];
        ProgressLine progress = new ProgressLine(err, "recordings", chosen.length);
        long events = 0;
        int done = 0;
        for (int image : chosen) {
            int label = images.label(image);
            long recordingSeed = SplitMix64.mix(seed + 0x9E3779B97F4A7C15L * (image + 1L));
            Path file =
                    emulation.writeRecording(
                            out, which, label, next[label]++, images.image(image), recordingSeed);
            RecordingSummary s =
                    RecordingSummary.scan(
                            file, ReaderOptions.defaults().withFormat(EventFormat.NMNIST));
            if (s.backwardSteps() > 0
                    || s.maxX() >= NmnistEmulation.SENSOR_SIZE
                    || s.maxY() >= NmnistEmulation.SENSOR_SIZE) {
                throw new IllegalStateException(file + ": the written file did not read back");
            }
            events += s.events();
            done++;
            progress.update(done, events);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "wrote %d recordings (%,d events) of %s digits to %s%n",
                done, events, which.shortName(), out);
        o.flush();
        return 0;
    }
}
