package io.dvsflow.jobs.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (combined broker and controller) from the project's own
 * classpath: formats a log directory, starts the server, and stops it on {@link #close()}.
 *
 * <p>For trying things out ({@code dvsflow kafka-local}) and for tests that need a real broker;
 * replication factors are 1, so it is not for production.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of("/tmp/kafka"), 0)) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats {@code logDir} (when new) and starts a broker.
     *
     * @param logDir the broker's data folder (created)
     * @param port client port, or {@code 0} for a free one
     */
    public static LocalKafkaBroker start(Path logDir, int port) throws IOException {
        Files.createDirectories(logDir);
        int clientPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + clientPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("log.flush.interval.messages", "1000000");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        Path config = logDir.resolve("server.properties");
        try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "dvsflow kafka-local");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            // static quorum (controller.quorum.voters): format without --standalone, which
            // Kafka 4.x refuses in combination with a static voter list
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc;
            try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
                rc =
                        StorageTool.execute(
                                new String[] {
                                    "format",
                                    "-t",
                                    Uuid.randomUuid().toString(),
                                    "-c",
                                    config.toString()
                                },
                                out);
            }
            if (rc != 0) {
                throw new IOException(
                        "cannot format Kafka storage in "
                                + logDir
                                + ": "
                                + log.toString(StandardCharsets.UTF_8).strip());
            }
        } else {
            // an existing folder keeps its cluster id; ports in the stored config are replaced
            LOG.info("Reusing Kafka data in {}", logDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
        server.startup();
        LOG.info("Kafka broker listening on 127.0.0.1:{} (data in {})", clientPort, logDir);
        return new LocalKafkaBroker(server, clientPort);
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Blocks until the broker shuts down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
