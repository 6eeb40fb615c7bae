package io.dvsflow.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.sink.PngMetadata;
import io.dvsflow.jobs.cli.CliRun;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online learning through Kafka, as on a cluster: references come from a Kafka topic, learned
 * versions go to a compacted model topic, and a later job starts from the newest version there.
 * Malformed reference records go to the dead-letter topic; a corrupt record on the model topic is
 * skipped and the job runs on.
 */
public class VdibKafkaTopicsITCase {

    @TempDir static Path dir;

    static LocalKafkaBroker broker;

    /** A small model: 16 x 16 crop at (20, 10), 50 ms bins, 40 LIF, 24 readouts, tau_d 4. */
    public static VdibModel model() {
        return new VdibModel(
                SnnEncoder.random(
                        2 * 16 * 16,
                        new int[] {40},
                        24,
                        LifParameters.decolle(),
                        4,
                        8,
                        0.5f,
                        true,
                        3L),
                new LogisticDecoder(24 * 4, 16, 16, 4L),
                DecoderInputMode.WINDOW,
                4,
                VdibModel.InputSettings.dvs(16, 16, 20, 10, 40, 50_000L),
                1e-3,
                0.3);
    }

    @BeforeAll
    static void start() throws Exception {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String run(String... args) {
        return CliRun.succeed(args);
    }

    /** A target image (bright square on black, 16 x 16) for window {@code k} of {@code stream}. */
    private static byte[] target(String stream, int k) {
        ByteBuffer px = ByteBuffer.allocate(16 * 16 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                px.putFloat(x >= 4 && x < 12 && y >= 4 && y < 12 ? 1f : 0f);
            }
        }
        px.flip();
        Frame f =
                Frame.newBuilder()
                        .setStreamId(stream)
                        .setWindowStartUs(k * 50_000L)
                        .setWindowEndUs((k + 1) * 50_000L)
                        .setWidth(16)
                        .setHeight(16)
                        .setPixelType(PixelType.FLOAT32)
                        .setPixels(px)
                        .setKind("target")
                        .build();
        return io.dvsflow.connectors.sink.FrameKafkaSerializer.encode(f);
    }

    private static void produce(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
            producer.flush();
        }
    }

    private static long maxVersion(List<ConsumerRecord<byte[], byte[]>> records) {
        long max = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                max = Math.max(max, ModelGate.decode(r.value(), false).version());
            } catch (RuntimeException e) {
                // not a model
            }
        }
        return max;
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void learnedVersionsGoToTheModelTopicAndTheNextJobStartsFromThem() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Path modelFile = dir.resolve("start.avro");
        ModelSnapshots.save(model().toSnapshot(9L, Map.of()), modelFile);
        // 40,000 events over 2 s on 64 x 48
        Path recording =
                TestRecordings.writeAedat3(
                        dir.resolve("cam.aedat"),
                        TestRecordings.events("cam", 64, 48, 40_000, 0, 50, 7));
        for (int k = 3; k < 40; k += 4) {
            produce("targets", "cam.aedat", target("cam.aedat", k));
        }
        produce("targets", "cam.aedat", new byte[] {1, 2, 3}); // malformed

        Path out1 = dir.resolve("out1");
        run(
                "naturalize",
                "--input",
                recording.toString(),
                "--method",
                "vdib",
                "--model",
                modelFile.toString(),
                "--learn",
                "--learning-rate",
                "1e-2",
                "--reference-topic",
                "targets",
                // paced like a camera, so the references (read from Kafka at start) arrive before
                // the windows they belong to are stepped
                "--speed",
                "1",
                "--model-topic",
                "models",
                "--bootstrap",
                bootstrap,
                "--out",
                out1.toString(),
                "--parallelism",
                "1");

        // the learner wrote its versions to the compacted model topic
        List<ConsumerRecord<byte[], byte[]>> models =
                TestRecordings.readAll(bootstrap, "models", "read_committed");
        assertThat(models).isNotEmpty();
        long learned = maxVersion(models);
        assertThat(learned).isGreaterThan(9L);
        assertThat(models)
                .allSatisfy(
                        r ->
                                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                        .isEqualTo(ModelTopic.MODEL_KEY));
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrap);
        try (Admin a = Admin.create(admin)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "models");
            Config c = a.describeConfigs(List.of(r)).all().get().get(r);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
        }
        // the malformed reference went to the dead letters with its reason
        List<ConsumerRecord<byte[], byte[]>> dead =
                TestRecordings.readAll(bootstrap, "targets.dead", "read_uncommitted");
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader("dvsflow.error").value()))
                .contains("not an Avro Frame");

        // a corrupt record on the model topic; a new job without --model starts from the newest
        // valid version there and skips the corrupt one
        produce("models", ModelTopic.MODEL_KEY, new byte[] {9, 9, 9, 9});
        Path out2 = dir.resolve("out2");
        String summary =
                run(
                        "naturalize",
                        "--input",
                        recording.toString(),
                        "--method",
                        "vdib",
                        "--model-topic",
                        "models",
                        "--bootstrap",
                        bootstrap,
                        "--out",
                        out2.toString(),
                        "--parallelism",
                        "1");
        assertThat(summary).contains("model: version " + learned + " from topic models");
        List<Path> pngs;
        try (Stream<Path> s = Files.walk(out2)) {
            pngs =
                    s.filter(p -> p.toString().endsWith(".png") && p.toString().contains("vdib"))
                            .toList();
        }
        assertThat(pngs).hasSizeGreaterThan(30);
        for (Path png : pngs) {
            assertThat(PngMetadata.read(Files.readAllBytes(png)))
                    .containsEntry("modelVersion", Long.toString(learned));
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theClusterJobLearnsThroughTheTopicsOnAMiniCluster() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Path modelFile = dir.resolve("cluster-start.avro");
        ModelSnapshots.save(model().toSnapshot(20L, Map.of()), modelFile);
        Path recording =
                TestRecordings.writeAedat3(
                        dir.resolve("cam2.aedat"),
                        TestRecordings.events("cam2", 64, 48, 40_000, 0, 50, 11));
        run(
                "replay",
                recording.toString(),
                "--bootstrap",
                bootstrap,
                "--topic",
                "c-events",
                "--speed",
                "0");
        String stream = firstKey(bootstrap, "c-events"); // the replayed camera's key
        for (int k = 3; k < 40; k += 4) {
            produce("c-targets", stream, target(stream, k));
        }
        // references past the recording's end are stepped at the end of the input whatever the
        // timing of the two Kafka sources, so learning happens even if the others arrive late
        for (int k = 40; k < 44; k++) {
            produce("c-targets", stream, target(stream, k));
        }
        io.dvsflow.jobs.NaturalizeClusterJob job =
                io.dvsflow.jobs.NaturalizeClusterJob.parse(
                        "--bootstrap",
                        bootstrap,
                        "--input-topic",
                        "c-events",
                        "--output-topic",
                        "c-frames",
                        "--bounded",
                        "--delivery",
                        "at-least-once",
                        "--sensor",
                        "64x48",
                        "--max-disorder",
                        "5ms",
                        "--method",
                        "vdib",
                        "--model",
                        modelFile.toString(),
                        "--model-topic",
                        "c-models",
                        "--learn",
                        "--learning-rate",
                        "1e-2",
                        "--reference-topic",
                        "c-targets");
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment();
        env.setParallelism(1);
        job.build(env);
        env.execute("cluster vdib");
        List<ConsumerRecord<byte[], byte[]>> frames =
                TestRecordings.readAll(bootstrap, "c-frames", "read_uncommitted");
        assertThat(frames).hasSizeGreaterThan(30);
        assertThat(maxVersion(TestRecordings.readAll(bootstrap, "c-models", "read_committed")))
                .isGreaterThan(20L);
    }

    private static String firstKey(String bootstrap, String topic) throws Exception {
        ConsumerRecord<byte[], byte[]> r =
                TestRecordings.readAll(bootstrap, topic, "read_uncommitted").get(0);
        return new String(r.key(), StandardCharsets.UTF_8);
    }
}
