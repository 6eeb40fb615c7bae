package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.DatasetSplit;
import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistDvsEmulation;
import io.dvsflow.connectors.datasets.MnistDvsLayout;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.connectors.emulator.SplitMix64;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow emulate mnist-dvs}: MNIST-DVS-like recordings from the real MNIST digits.
 *
 * <p>Choice of digits: the indices of the chosen split of the real digits ({@link
 * MnistDigits#split}), optionally only the classes of {@code --digit}, shuffled by Fisher-Yates
 * with a {@link SplitMix64} seeded by {@code --seed}; the first {@code --count} are emulated, each
 * at every scale of {@code --scales}. Recording numbers count per class from 1 (train) or from
 * {@link MnistDvsLayout#FIRST_TEST_ID} (test), so the reference split by number agrees with the
 * sidecar for up to 100 test recordings per class. Seed of one recording: {@code
 * SplitMix64.mix(seed + 0x9E3779B97F4A7C15 (image + 1)) + scale}.
 */
@Command(
        name = "mnist-dvs",
        mixinStandardHelpOptions = true,
        description = {
            "Emulate MNIST-DVS recordings: real MNIST digits moving slowly on a 60 Hz LCD in front"
                    + " of a 128x128 DVS, written as AEDAT 2.0 in the real layout"
                    + " grabbed_data{d}/scale{s}/mnist_{d}_scale{ss}_{nnnn}.aedat, each with a"
                    + " .emulation.csv sidecar (label, split, source digit, path). Each written file"
                    + " is read back and checked. Progress goes to stderr.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow emulate mnist-dvs --count 100 --scales 4,8,16 --seed 1 --split train"
                    + " --out emu/",
            "  ./dvsflow emulate mnist-dvs --count 5 --scales 4 --digit 0 --seed 7 --out zeros/",
        })
final class EmulateMnistDvsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--count",
            required = true,
            paramLabel = "N",
            description = "Digits to emulate.")
    int count;

    @Option(
            names = "--scales",
            split = ",",
            defaultValue = "4,8,16",
            paramLabel = "S",
            description = "MNIST-DVS scales, any of 4, 8, 16 (default: ${DEFAULT-VALUE}).")
    List<Integer> scales;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--split",
            defaultValue = "train",
            paramLabel = "train|test",
            description = "Take the digits from this split of the real digits (default: train).")
    String split;

    @Option(
            names = "--digit",
            split = ",",
            paramLabel = "D",
            description = "Only these classes (default: all).")
    List<Integer> digitsFilter;

    @Option(
            names = "--duration",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Recording length (default: ${DEFAULT-VALUE}).")
    Duration duration;

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
        for (int s : scales) {
            MnistDvsEmulation.digitSizePx(s);
        }
        PrintWriter err = spec.commandLine().getErr();
        MnistImages images = digits.load(err);
        MnistSplit parts = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        int[] pool = which == DatasetSplit.TEST ? parts.test() : parts.train();
        int[] chosen = choose(images, pool, digitsFilter, count, seed);
        MnistDvsEmulation emulation =
                new MnistDvsEmulation(
                        MnistDvsEmulation.DEFAULT_PARAMETERS, duration.toNanos() / 1000);
        Files.createDirectories(out);
        int[] next = new int[10];
        Arrays.fill(next, which == DatasetSplit.TEST ? MnistDvsLayout.FIRST_TEST_ID : 1);
        int total = chosen.length * scales.size();
        ProgressLine progress = new ProgressLine(err, "recordings", total);
        long events = 0;
        int done = 0;
        for (int image : chosen) {
            int label = images.label(image);
            int number = next[label]++;
            byte[] digit = images.image(image);
            for (int scale : scales) {
                long recordingSeed =
                        SplitMix64.mix(seed + 0x9E3779B97F4A7C15L * (image + 1L)) + scale;
                Path file =
                        emulation.writeRecording(
                                out, label, number, scale, digit, recordingSeed, which);
                RecordingSummary s = RecordingSummary.scan(file, ReaderOptions.defaults());
                if (s.backwardSteps() > 0
                        || s.maxX() >= MnistDvsEmulation.SENSOR_SIZE
                        || s.maxY() >= MnistDvsEmulation.SENSOR_SIZE
                        || s.skippedTotal() > 0) {
                    throw new IllegalStateException(file + ": the written file did not read back");
                }
                events += s.events();
                done++;
                progress.update(done, events);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "wrote %d recordings (%,d events) of %d %s digits to %s%n",
                done, events, chosen.length, which.shortName(), out);
        o.flush();
        return 0;
    }

    /** Shuffles the pool (filtered by class) with the seed and keeps the first {@code count}. */
    static int[] choose(
            MnistImages images, int[] pool, List<Integer> filter, int count, long seed) {
        int[] candidates =
                IntStream.of(pool)
                        .filter(i -> filter == null || filter.contains(images.label(i)))
                        .toArray();
        if (candidates.length == 0) {
            throw new IllegalArgumentException("no digit of the requested classes in this split");
        }
        SplitMix64 random = new SplitMix64(seed);
        for (int i = candidates.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
        }
        return Arrays.copyOf(candidates, Math.min(count, candidates.length));
    }
}
