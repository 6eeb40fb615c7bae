package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.VdibModels;
import io.dvsflow.jobs.naturalize.VdibRun;
import java.nio.file.Path;
import java.util.List;
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
 * {@code dvsflow bench naturalize INPUT}: the VDIB naturalization job (inference) on the embedded
 * default, once per replay speed, printing events in (Mev/s), images out (frames/s) and the
 * event-to-image latency percentiles (defined in {@code VdibDecoderFunction}). Wall time is the
 * job's (submission to end, start-up included).
 */
@Command(
        name = "naturalize",
        mixinStandardHelpOptions = true,
        description = {
            "Run file -> watermarks -> LIF encoder -> VDIB decoder -> discarding sink on a local"
                    + " Flink environment at each replay speed and print Mev/s in, frames/s out"
                    + " and event-to-image latency p50/p99. Without --model an untrained model of"
                    + " the demo's size is used (throughput only; its images mean nothing).",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow bench naturalize mnist_0_scale04_0001.aedat",
            "  ./dvsflow bench naturalize rec.aedat --model model.avro --copies 8 --speeds 1,0",
        })
final class BenchNaturalizeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A recording.")
    Path input;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "VDIB model (default: an untrained model, seed 1).")
    Path model;

    @Option(
            names = "--copies",
            defaultValue = "4",
            paramLabel = "N",
            description = "Read the recording N times as N streams (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(
            names = "--speeds",
            defaultValue = "1,0",
            split = ",",
            paramLabel = "X",
            description =
                    "Replay speeds to run: 1 = real time, 0 = as fast as possible (default:"
                            + " ${DEFAULT-VALUE}).")
    List<Double> speeds;

    @Option(
            names = "--packet-events",
            defaultValue = "64",
            paramLabel = "N",
            description =
                    "Events per packet read from the file; small packets keep the latency at 1x"
                            + " replay low (default: ${DEFAULT-VALUE}).")
    int packetEvents;

    @Option(
            names = "--sensor",
            defaultValue = "128x128",
            paramLabel = "WxH",
            description = "Sensor size (default: ${DEFAULT-VALUE}).")
    String sensor;

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
        String[] wh = sensor.toLowerCase(java.util.Locale.ROOT).split("x");
        int w = Integer.parseInt(wh[0].trim());
        int h = Integer.parseInt(wh[1].trim());
        byte[] m;
        if (model != null) {
            CliFiles.requireReadable(model);
            m = VdibModels.load(model);
        } else {
            m = VdibModels.untrainedBytes(1L);
            spec.commandLine()
                    .getOut()
                    .println("model: untrained (no --model), throughput figures only");
        }
        for (double speed : speeds) {
            DvsFileSource.Builder b =
                    DvsFileSource.builder()
                            .replaySpeed(speed)
                            .readerOptions(
                                    ReaderOptions.defaults().withPacketCapacity(packetEvents));
            for (int i = 0; i < copies; i++) {
                b.addRecording(input, "copy-" + i);
            }
            NaturalizeSettings settings =
                    NaturalizeSettings.defaults(w, h)
                            .withVdib(VdibRun.options(m, false, 1e-3, 1, 1, 1L, null));
            StreamExecutionEnvironment env = JobEnvironments.create(parallelism, null);
            VdibRun.lowLatency(env);
            NaturalizeJob.Graph g = VdibRun.build(env, b.build(), copies, settings, null);
            g.frames().sinkTo(new DiscardingSink<>());
            long t0 = System.nanoTime();
            JobExecutionResult result = env.execute("dvsflow bench naturalize");
            double seconds = (System.nanoTime() - t0) / 1e9;
            spec.commandLine()
                    .getOut()
                    .printf(
                            "speed %s, %d stream(s): %s%n",
                            speed == 0 ? "max" : speed + "x",
                            copies,
                            VdibRun.figures(result, seconds).line());
        }
        return 0;
    }
}
