package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.PacketCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow bench pipeline INPUT}: end-to-end throughput of file -> event-time bins -> images
 * on the embedded default, measured on the job's own clock (job submission to end, so start-up is
 * included; use {@code --copies} to make the run long enough that it does not dominate).
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Run file -> watermarks -> keyed binning (or a naturalizer) -> discarding sink on a"
                    + " local Flink environment and print end-to-end Mev/s and frames/s.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow bench pipeline sample.raw --copies 20",
            "  ./dvsflow bench pipeline rec.aedat --method highpass --window 10ms",
        })
final class BenchPipelineCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A recording.")
    Path input;

    @Option(
            names = "--copies",
            defaultValue = "10",
            paramLabel = "N",
            description = "Read the recording N times as N streams (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(
            names = "--method",
            defaultValue = "counts",
            paramLabel = "M",
            description =
                    "counts, binary, signed, voxel, highpass, integrate (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(
            names = "--window",
            defaultValue = "10ms",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Window length (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            paramLabel = "N",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireReadable(input);
        if (copies < 1 || copies > 10_000) {
            throw new IllegalArgumentException("--copies must be in [1, 10000], was " + copies);
        }
        RecordingSummary summary =
                RecordingSummary.scan(
                        input, io.dvsflow.connectors.formats.ReaderOptions.defaults());
        DvsFileSource.Builder b = DvsFileSource.builder();
        for (int i = 0; i < copies; i++) {
            b.addRecording(input, "copy-" + i);
        }
        NaturalizeSettings settings =
                NaturalizeSettings.defaults(summary.effectiveWidth(), summary.effectiveHeight())
                        .withMethod(NaturalizeMethod.parse(method))
                        .withWindow(window);
        StreamExecutionEnvironment env = JobEnvironments.create(parallelism, null);
        NaturalizeJob.build(env, b.build(), settings).frames().sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("dvsflow bench pipeline");
        double seconds = result.getNetRuntime() / 1e3;
        long events = result.<Long>getAccumulatorResult(PacketCounter.EVENTS);
        long windows = copies * Math.max(1, summary.durationUs() / (window.toNanos() / 1000));
        spec.commandLine()
                .getOut()
                .printf(
                        "%s x %d streams (%s): %,d events, %dx%d, %s %s windows%n"
                                + "end to end: %.2f Mev/s, about %.0f frames/s, %.2f s job run time"
                                + " (parallelism %d, start-up included)%n",
                        input,
                        copies,
                        summary.info().format().shortName(),
                        events,
                        summary.effectiveWidth(),
                        summary.effectiveHeight(),
                        window,
                        method,
                        events / seconds / 1e6,
                        windows / seconds,
                        seconds,
                        parallelism);
        return 0;
    }
}
