package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.jobs.kafka.KafkaConnectors;
import io.dvsflow.jobs.replay.ReplayJob;
import io.dvsflow.schemas.EventPacket;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow replay INPUT --bootstrap HOST:PORT --topic T}: plays recordings into Kafka as live
 * cameras would, through {@link ReplayJob} on a local Flink environment.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Play a recording, or every recording of a folder (a dataset), into a Kafka topic as"
                    + " live cameras would: packets keyed by stream id (the file name, or the path"
                    + " inside the folder), paced by event time. Runs a Flink job in this JVM;"
                    + " prints events/s and packets sent.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow kafka-local --port 9092 &",
            "  ./dvsflow replay user01_led.aedat --bootstrap 127.0.0.1:9092 --topic events",
            "  ./dvsflow replay dvs-gesture/ --bootstrap 127.0.0.1:9092 --topic events --speed 0",
            "  ./dvsflow replay rec.raw --bootstrap broker:9093 --topic events --loop \\",
            "      --kafka-properties client.properties --delivery exactly-once",
        })
final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A recording or a folder.")
    Path input;

    @Option(
            names = "--bootstrap",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "Topic to fill.")
    String topic;

    @Option(
            names = "--speed",
            defaultValue = "1.0",
            paramLabel = "X",
            description =
                    "Pacing: 1.0 real time, N times real time, 0 as fast as possible"
                            + " (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description =
                    "Kafka client properties (security.protocol, sasl.*, ssl.*, ...) passed"
                            + " through unchanged.")
    Path kafkaProperties;

    @Option(
            names = "--loop",
            description =
                    "Play again and again until Ctrl-C; each pass shifts every stream's event time"
                            + " by that stream's span so time keeps increasing.")
    boolean loop;

    @Option(
            names = "--passes",
            defaultValue = "1",
            paramLabel = "N",
            description = "Play N times (default: ${DEFAULT-VALUE}; --loop: no limit).")
    int passes;

    @Option(
            names = "--delivery",
            defaultValue = "at-least-once",
            paramLabel = "G",
            description =
                    "at-least-once or exactly-once (Kafka transactions committed on checkpoints;"
                            + " readers use isolation.level=read_committed)"
                            + " (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "P",
            description =
                    "Transactional id prefix for exactly-once (default: dvsflow-replay-TOPIC).")
    String transactionalIdPrefix;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "1s",
            paramLabel = "D",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval with exactly-once: how often transactions commit"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "Recordings played at the same time (default: ${DEFAULT-VALUE}: one after"
                            + " another).")
    int parallelism;

    @Option(
            names = "--packet-events",
            defaultValue = "4096",
            paramLabel = "N",
            description =
                    "Largest number of events per Kafka record; small packets keep the latency"
                            + " of a live camera (default: ${DEFAULT-VALUE}).")
    int packetEvents;

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString());
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new ParameterException(
                    spec.commandLine(), "--speed must be 0 or a positive factor, not " + speed);
        }
        if (passes < 1) {
            throw new ParameterException(spec.commandLine(), "--passes must be >= 1");
        }
        if (parallelism < 1) {
            throw new ParameterException(spec.commandLine(), "--parallelism must be >= 1");
        }
        boolean exactlyOnce;
        switch (delivery.toLowerCase(Locale.ROOT)) {
            case "at-least-once" -> exactlyOnce = false;
            case "exactly-once" -> exactlyOnce = true;
            default ->
                    throw new ParameterException(
                            spec.commandLine(),
                            "--delivery must be at-least-once or exactly-once, not " + delivery);
        }
        Properties client = KafkaClientProperties.load(kafkaProperties, bootstrap);
        if (packetEvents < 1 || packetEvents > ReaderOptions.MAX_PACKET_CAPACITY) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--packet-events must be in [1, " + ReaderOptions.MAX_PACKET_CAPACITY + "]");
        }
        ReaderOptions options = readerOptions.toOptions().withPacketCapacity(packetEvents);
        DvsFileSource source =
                DvsFileSource.builder()
                        .addPath(input)
                        .readerOptions(options)
                        .replaySpeed(speed)
                        .build();

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // a replay reports a failure instead of restarting forever
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (exactlyOnce) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        }

        Map<String, Long> period = loop || passes > 1 ? periods(source, options) : Map.of();
        PrintWriter out = spec.commandLine().getOut();
        long totalEvents = 0;
        long totalPackets = 0;
        long totalNanos = 0;
        int maxPasses = loop ? Integer.MAX_VALUE : passes;
        for (int pass = 0; pass < maxPasses; pass++) {
            Map<String, Long> shift = new HashMap<>();
            for (Map.Entry<String, Long> e : period.entrySet()) {
                shift.put(e.getKey(), Math.multiplyExact(e.getValue(), (long) pass));
            }
            KafkaConnectors.SinkBuilder<EventPacket> sinkBuilder =
                    KafkaConnectors.packetSink(client, topic);
            if (exactlyOnce) {
                String prefix =
                        transactionalIdPrefix != null
                                ? transactionalIdPrefix
                                : "dvsflow-replay-" + topic;
                sinkBuilder.exactlyOnce(prefix);
            }
            KafkaSink<EventPacket> sink = sinkBuilder.build();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            ReplayJob.build(env, source, sink, shift);
            long t0 = System.nanoTime();
            JobExecutionResult result = env.execute("dvsflow replay " + input.getFileName());
            long nanos = System.nanoTime() - t0;
            long events = counter(result, ReplayJob.EVENTS);
            long packets = counter(result, ReplayJob.PACKETS);
            totalEvents += events;
            totalPackets += packets;
            totalNanos += nanos;
            double streamS =
                    Math.max(
                            1e-3,
                            (counter(result, ReplayJob.LAST_MILLIS)
                                            - counter(result, ReplayJob.FIRST_MILLIS))
                                    / 1e3);
            out.printf(
                    Locale.ROOT,
                    "%ssent %,d events in %,d packets from %d recording(s) to %s:"
                            + " %,.0f events/s while streaming (%.2f s), job %.2f s with"
                            + " start-up%n",
                    maxPasses > 1 ? "pass " + (pass + 1) + ": " : "",
                    events,
                    packets,
                    source.recordings().size(),
                    topic,
                    packets > 1 ? events / streamS : Double.NaN,
                    streamS,
                    nanos / 1e9);
            out.flush();
        }
        if (maxPasses > 1) {
            out.printf(
                    Locale.ROOT,
                    "total: %,d events in %,d packets; jobs %.2f s with start-up: %,.0f events/s%n",
                    totalEvents,
                    totalPackets,
                    totalNanos / 1e9,
                    totalEvents / Math.max(totalNanos / 1e9, 1e-9));
        }
        return 0;
    }

    /** Per stream, the time shift between passes: the span of its events plus one µs. */
    private static Map<String, Long> periods(DvsFileSource source, ReaderOptions options)
            throws java.io.IOException {
        Map<String, Long> out = new HashMap<>();
        for (RecordingSplit r : source.recordings()) {
            RecordingSummary s = RecordingSummary.scan(Path.of(r.path()), options);
            out.put(r.streamId(), s.tLastUs() - s.tFirstUs() + 1);
        }
        return out;
    }

    private static long counter(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
