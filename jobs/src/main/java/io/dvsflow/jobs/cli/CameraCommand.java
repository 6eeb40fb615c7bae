package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.jobs.camera.CameraBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dvsflow camera --host H --port P --bootstrap B --topic T}: DV's TCP output into Kafka. */
@Command(
        name = "camera",
        mixinStandardHelpOptions = true,
        description = {
            "Bridge a live camera into Kafka: connect to the TCP network output of iniVation's DV"
                    + " software (AEDAT 4.0 network framing, with or without the '#!AER-DAT4.0'"
                    + " line) and send its event packets to a topic, keyed by the camera's stream"
                    + " id. Reconnects with back-off when DV goes away; Ctrl-C stops it and prints"
                    + " what was sent.",
        },
        footer = {
            "",
            "In DV, add an output module 'Network TCP server' (events), e.g. on port 7777.",
            "",
            "Examples:",
            "  ./dvsflow camera --host 127.0.0.1 --port 7777 --bootstrap 127.0.0.1:9092"
                    + " --topic events",
            "  ./dvsflow camera --host 10.0.0.5 --port 7777 --bootstrap broker:9093 --topic events"
                    + " \\",
            "      --stream-id davis346-lab --kafka-properties client.properties",
        })
final class CameraCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--host", required = true, paramLabel = "H", description = "DV's host.")
    String host;

    @Option(
            names = "--port",
            required = true,
            paramLabel = "P",
            description = "DV's TCP output port.")
    int port;

    @Option(
            names = "--bootstrap",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "Topic to fill.")
    String topic;

    @Option(
            names = "--stream-id",
            paramLabel = "ID",
            description = "Stream id and Kafka key of the packets (default: HOST:PORT).")
    String streamId;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client properties passed through unchanged.")
    Path kafkaProperties;

    @Option(
            names = "--max-backoff",
            defaultValue = "10s",
            paramLabel = "D",
            converter = DurationConverter.class,
            description =
                    "Longest wait between reconnection attempts; waits start at 100ms and double"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration maxBackoff;

    @Option(
            names = "--connections",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Stop after N connections ended (default: ${DEFAULT-VALUE}: run until"
                            + " Ctrl-C).")
    int connections;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be in [1, 65535]");
        }
        if (connections < 0) {
            throw new ParameterException(spec.commandLine(), "--connections must be >= 0");
        }
        Duration initial = Duration.ofMillis(100);
        if (maxBackoff.compareTo(initial) < 0) {
            throw new ParameterException(spec.commandLine(), "--max-backoff must be >= 100ms");
        }
        Properties client = KafkaClientProperties.load(kafkaProperties, bootstrap);
        CameraBridge.Settings settings =
                CameraBridge.Settings.of(host, port, topic)
                        .withBackoff(initial, maxBackoff)
                        .withMaxConnections(connections);
        if (streamId != null) {
            settings = settings.withStreamId(streamId);
        }
        CameraBridge bridge = new CameraBridge(settings, client);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            bridge.close();
                            try {
                                finished.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "camera-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine()
                .getOut()
                .printf(
                        "bridging %s:%d into topic %s as stream %s; Ctrl-C stops%n",
                        host, port, topic, settings.streamId());
        spec.commandLine().getOut().flush();
        long t0 = System.nanoTime();
        try {
            bridge.run();
        } finally {
            CameraBridge.Stats st = bridge.stats();
            double s = (System.nanoTime() - t0) / 1e9;
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "sent %,d events in %,d packets over %d connection(s) in %.1f s:"
                                    + " %,.0f events/s%n",
                            st.events(),
                            st.packets(),
                            st.connections(),
                            s,
                            st.events() / Math.max(s, 1e-9));
            spec.commandLine().getOut().flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }
}
