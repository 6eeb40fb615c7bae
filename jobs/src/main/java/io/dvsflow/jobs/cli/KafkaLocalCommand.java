package io.dvsflow.jobs.cli;

import io.dvsflow.jobs.kafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dvsflow kafka-local}: a single-node KRaft broker for trying things out. */
@Command(
        name = "kafka-local",
        mixinStandardHelpOptions = true,
        description = {
            "Start a single-node Kafka broker (KRaft, broker and controller in one process) from"
                    + " dvsflow's own classpath, and keep it running until Ctrl-C. For trying"
                    + " things out; not for production (replication factor 1).",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow kafka-local --port 9092",
            "  ./dvsflow replay recording.aedat --bootstrap 127.0.0.1:9092 --topic events",
        })
final class KafkaLocalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "9092",
            paramLabel = "N",
            description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Data folder (default: DVSFLOW_HOME/kafka-local, or ~/.dvsflow/kafka-local).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : DataHome.resolve().resolve("kafka-local");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, port)) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "Kafka broker ready: --bootstrap %s (data in %s); Ctrl-C stops it%n",
                            broker.bootstrapServers(), dir);
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-local-stop"));
            broker.awaitShutdown();
        }
        return 0;
    }
}
