package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.connectors.sink.PngFrameSink;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.PacketCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dvsflow naturalize}: the naturalization job on the embedded default. */
@Command(
        name = "naturalize",
        mixinStandardHelpOptions = true,
        description = {
            "Run the naturalization job: recordings are read in event time, binned per stream and"
                    + " turned into images (high-pass filter, direct integration or event frames),"
                    + " written as PNG files per stream. Runs on a local Flink environment in this"
                    + " JVM.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow naturalize --input rec.aedat --method highpass --window 20ms --out out/",
            "  ./dvsflow naturalize --input mnist-dvs/ --method counts --window 50ms --out frames/",
        })
final class NaturalizeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "PATH",
            description = "A recording or a folder of recordings (repeatable).")
    List<Path> inputs;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder: one sub-folder of PNG frames per stream.")
    Path out;

    @Option(
            names = "--method",
            defaultValue = "highpass",
            paramLabel = "M",
            description =
                    "highpass, integrate, counts, binary, signed or voxel (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = "--window",
            defaultValue = "50ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Window length (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--sensor",
            paramLabel = "WxH",
            description = "Sensor size, e.g. 128x128 (default: from the first recording).")
    String sensor;

    @Option(
            names = "--contrast",
            defaultValue = "0.1",
            paramLabel = "C",
            description = "Contrast per event c (default: ${DEFAULT-VALUE}).")
    float contrast;

    @Option(
            names = "--cutoff",
            defaultValue = "6.283",
            paramLabel = "RAD_S",
            description = "High-pass cut-off alpha in rad/s (default: ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(
            names = "--denoise",
            defaultValue = "none",
            paramLabel = "F",
            description =
                    "none, ba (background activity) or refractory (default: ${DEFAULT-VALUE}).")
    String denoise;

    @Option(
            names = "--denoise-window",
            defaultValue = "1ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Correlation time or refractory period (default: ${DEFAULT-VALUE}).")
    Duration denoiseWindow;

    @Option(
            names = "--speed",
            defaultValue = "0",
            paramLabel = "X",
            description =
                    "Replay speed: 0 as fast as possible, 1 real time (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            paramLabel = "N",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--scale",
            defaultValue = "4",
            paramLabel = "K",
            description = "PNG enlargement per pixel (default: ${DEFAULT-VALUE}).")
    int scale;

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws Exception {
        DvsFileSource.Builder builder =
                DvsFileSource.builder().readerOptions(readerOptions.toOptions());
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file");
            }
            builder.addPath(p);
        }
        DvsFileSource source = builder.replaySpeed(speed).build();
        int[] size = sensorSize(source.recordings());
        NaturalizeSettings settings =
                NaturalizeSettings.defaults(size[0], size[1])
                        .withMethod(NaturalizeMethod.parse(method))
                        .withWindow(window)
                        .withHighPass(contrast, cutoff)
                        .withDenoise(denoise, denoiseWindow);
        StreamExecutionEnvironment env = JobEnvironments.create(parallelism, null);
        NaturalizeJob.build(env, source, settings)
                .frames()
                .sinkTo(new PngFrameSink(out, scale))
                .name("png-frames")
                .uid("png-frames");
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("dvsflow naturalize");
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = result.<Long>getAccumulatorResult(PacketCounter.EVENTS);
        long frames;
        try (Stream<Path> files = Files.walk(out)) {
            frames = files.filter(f -> f.toString().endsWith(".png")).count();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "naturalized %d recording(s): %,d events -> %,d frames (%dx%d, %s, %s"
                                + " windows) in %.1f s (%.3f Mev/s) -> %s%n",
                        source.recordings().size(),
                        events,
                        frames,
                        size[0],
                        size[1],
                        settings.method().name().toLowerCase(java.util.Locale.ROOT),
                        window,
                        seconds,
                        events / seconds / 1e6,
                        out);
        return 0;
    }

    private int[] sensorSize(List<RecordingSplit> recordings) throws java.io.IOException {
        if (sensor != null) {
            String[] wh = sensor.toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                return new int[] {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "--sensor must look like 128x128, was '" + sensor + "'");
            }
        }
        RecordingSummary s =
                RecordingSummary.scan(Path.of(recordings.get(0).path()), readerOptions.toOptions());
        return new int[] {s.effectiveWidth(), s.effectiveHeight()};
    }
}
