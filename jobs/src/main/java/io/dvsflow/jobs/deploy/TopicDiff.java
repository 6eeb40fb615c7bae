package io.dvsflow.jobs.deploy;

import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.schemas.avro.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Compares the committed frames of two Kafka topics ({@code read_committed}) with {@link
 * FrameComparison}: counts, duplicates by (stream, window), lost and extra frames, bit-identical
 * pixels. Prints a summary; exit code 0 when identical, 1 when different, 2 on bad arguments.
 *
 * <pre>
 * java -cp "$CP" io.dvsflow.jobs.deploy.TopicDiff --bootstrap 127.0.0.1:9092 \
 *     --expected frames-reference --actual frames-chaos
 * </pre>
 */
@Command(
        name = "topic-diff",
        mixinStandardHelpOptions = true,
        description = {
            "Compare the committed Avro frames of two topics: same frames, none lost, none"
                    + " duplicated, bit-identical images. Exit code 0 when identical.",
        })
public final class TopicDiff implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--expected", required = true, description = "Reference topic.")
    String expected;

    @Option(names = "--actual", required = true, description = "Topic to check.")
    String actual;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            description = "Seconds allowed to read each topic (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--show",
            defaultValue = "8",
            description = "Differences to list (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(
            names = "--until-us",
            defaultValue = "9223372036854775807",
            description =
                    "Compare only frames whose window ends at or before this event time (µs);"
                            + " default: all.")
    long untilUs;

    @Override
    public Integer call() throws Exception {
        Properties client = KafkaClientProperties.load(null, bootstrap);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        List<Frame> e = CommittedFrames.frames(client, expected, timeout);
        List<Frame> a = CommittedFrames.frames(client, actual, timeout);
        e.removeIf(f -> f.getWindowEndUs() > untilUs);
        a.removeIf(f -> f.getWindowEndUs() > untilUs);
        FrameComparison.Result r = FrameComparison.compare(e, a, show);
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%s (expected) vs %s (actual), read_committed%s%n",
                expected,
                actual,
                untilUs == Long.MAX_VALUE ? "" : ", windows ending by " + untilUs + " us");
        out.print(r.summary());
        out.flush();
        return r.identical() ? 0 : 1;
    }

    /** Runs the comparison and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TopicDiff()).execute(args));
    }
}
