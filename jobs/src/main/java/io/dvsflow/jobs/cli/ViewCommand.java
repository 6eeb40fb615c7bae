package io.dvsflow.jobs.cli;

import io.dvsflow.jobs.view.ViewServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow view --dir DIR | --bootstrap HOST:PORT --topic T [--port N]}: the live viewer
 * ({@link ViewServer}) until Ctrl-C.
 */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a live web page on 127.0.0.1 that shows, per stream, the latest event frames"
                    + " and naturalized images side by side, with window time, model version,"
                    + " event count, latency and spike statistics ('-' when unknown). Frames come"
                    + " from a folder that a job writes PNGs into, or from a Kafka topic of frames"
                    + " (read_committed). Runs until Ctrl-C.",
            "Latency is the time from the frame leaving the pipeline (file modification time, or"
                    + " Kafka record timestamp) to the viewer receiving it.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow view --dir out/frames",
            "  ./dvsflow view --bootstrap 127.0.0.1:9092 --topic frames --port 8080",
        })
final class ViewCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    static final class Source {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                required = true,
                description = "Folder of PNG frames: DIR/<stream>/<kind>_<windowStartUs>.png.")
        Path dir;

        @ArgGroup(exclusive = false)
        KafkaSource kafka;
    }

    static final class KafkaSource {
        @Option(
                names = "--bootstrap",
                paramLabel = "HOST:PORT",
                required = true,
                description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(
                names = "--topic",
                paramLabel = "T",
                required = true,
                description = "Topic of Avro frames.")
        String topic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8080",
            description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], was " + port);
        }
        ViewServer server;
        if (source.dir != null) {
            if (!Files.isDirectory(source.dir)) {
                throw new IllegalArgumentException("--dir " + source.dir + ": no such folder");
            }
            server = ViewServer.watching(source.dir);
        } else {
            server = ViewServer.consuming(source.kafka.bootstrap, source.kafka.topic);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (server) {
            try {
                server.start(port);
            } catch (java.net.BindException e) {
                throw new IllegalArgumentException(
                        "--port " + port + " is in use; choose another or 0 for any free port");
            }
            spec.commandLine().getOut().printf("viewer at %s ; Ctrl-C stops it%n", server.uri());
            spec.commandLine().getOut().flush();
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        server.close();
                                        stopped.countDown();
                                    },
                                    "dvsflow-view-stop"));
            stopped.await();
        }
        return 0;
    }
}
