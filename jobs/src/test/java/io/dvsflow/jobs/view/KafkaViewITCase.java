package io.dvsflow.jobs.view;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.sink.FrameKafkaSerializer;
import io.dvsflow.jobs.kafka.LocalKafkaBroker;
import io.dvsflow.schemas.avro.Frame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer in Kafka mode against a real in-process broker, with transactional frames. */
class KafkaViewITCase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50); // poll interval of a bounded wait
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Frame f) {
        producer.beginTransaction();
        producer.send(
                new ProducerRecord<>(
                        topic,
                        f.getStreamId().toString().getBytes(UTF_8),
                        FrameKafkaSerializer.encode(f)));
        producer.commitTransaction();
    }

    @Test
    void showsCommittedFramesFromATopic(@TempDir Path tmp) throws Exception {
        String topic = "frames";
        LocalKafkaBroker started;
        try {
            started = LocalKafkaBroker.start(tmp.resolve("kafka"), 0);
        } catch (Exception e) {
            // visible skip: this test is about the viewer, not the broker
            Assumptions.abort("LocalKafkaBroker did not start: " + e.getMessage());
            return;
        }
        try (LocalKafkaBroker broker = started) {
            Properties a = new Properties();
            a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(a)) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            }
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "view-test");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                    ViewServer server = ViewServer.consuming(broker.bootstrapServers(), topic)) {
                producer.initTransactions();
                // written before the viewer starts: replayed from the end of the partition
                send(producer, topic, TestFrames.gradient("cam1", "vdib", 50_000, 0));
                server.start(0);
                FrameStore store = server.store();
                await("the replayed frame", () -> store.get("cam1", "vdib") != null);
                assertThat(store.get("cam1", "vdib").modelVersion()).isEqualTo(7L);

                // written while it runs: arrives live
                send(producer, topic, TestFrames.gradient("cam1", "vdib", 100_000, 1));
                send(producer, topic, TestFrames.gradient("cam1", "counts", 100_000, 2));
                await(
                        "the live frames",
                        () ->
                                store.get("cam1", "counts") != null
                                        && store.get("cam1", "vdib").windowStartUs() == 100_000);

                HttpClient http = HttpClient.newHttpClient();
                URI api = server.uri().resolve("api/frames");
                String json =
                        http.send(
                                        HttpRequest.newBuilder(api)
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                assertThat(json)
                        .contains("\"modelVersion\":7")
                        .contains("\"eventCount\":123")
                        .contains("\"windowEndUs\":150000");
                HttpResponse<byte[]> png =
                        http.send(
                                HttpRequest.newBuilder(
                                                server.uri()
                                                        .resolve("frame?stream=cam1&kind=counts"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(png.statusCode()).isEqualTo(200);
                // PNG signature: 0x89 'P' 'N' 'G'
                assertThat(png.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            }
        }
    }
}
