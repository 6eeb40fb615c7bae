package io.dvsflow.connectors.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Kafka client properties from a {@code .properties} file, passed through unchanged to every client
 * (security protocol, SASL, TLS trust stores, ...), plus the bootstrap servers.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {}

    /**
     * Loads {@code file} (may be {@code null}) and sets {@code bootstrap.servers}.
     *
     * @throws IOException naming the file when it cannot be read
     */
    public static Properties load(Path file, String bootstrapServers) throws IOException {
        Properties p = new Properties();
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IOException(
                        file + ": cannot read Kafka client properties: " + e.getMessage(), e);
            }
        }
        if (bootstrapServers != null) {
            p.setProperty("bootstrap.servers", bootstrapServers);
        }
        return p;
    }
}
