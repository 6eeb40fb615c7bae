package io.dvsflow.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.jobs.cli.CliRun;
import io.dvsflow.schemas.avro.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end through Kafka: {@code replay} a recording into a topic, then {@code
 * naturalize --input-topic ... --output-topic ... --exactly-once} gives the same frames as {@code
 * naturalize --input FILE --out DIR}.
 */
class NaturalizeCommandKafkaITCase {

    @TempDir static Path dir;

    static LocalKafkaBroker broker;

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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void kafkaInKafkaOutEqualsFileInPngOut() throws Exception {
        // 20,000 events over 200 ms on 64x48 -> 50 ms windows
        Path recording =
                TestRecordings.writeAedat3(
                        dir.resolve("cam.aedat"),
                        TestRecordings.events("cam", 64, 48, 20_000, 0, 10, 5));
        String bootstrap = broker.bootstrapServers();
        run(
                "replay",
                recording.toString(),
                "--bootstrap",
                bootstrap,
                "--topic",
                "events",
                "--speed",
                "0");

        Path pngs = dir.resolve("pngs");
        run(
                "naturalize",
                "--input",
                recording.toString(),
                "--method",
                "counts",
                "--window",
                "50ms",
                "--out",
                pngs.toString(),
                "--parallelism",
                "1");
        String summary =
                run(
                        "naturalize",
                        "--bootstrap",
                        bootstrap,
                        "--input-topic",
                        "events",
                        "--bounded",
                        "--sensor",
                        "64x48",
                        "--method",
                        "counts",
                        "--window",
                        "50ms",
                        "--output-topic",
                        "frames",
                        "--exactly-once",
                        "--checkpoint-interval",
                        "200ms",
                        "--parallelism",
                        "1");
        assertThat(summary).contains("20,000 events");

        List<Frame> frames = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TestRecordings.readAll(bootstrap, "frames", "read_committed")) {
            frames.add(Frame.getDecoder().decode(r.value()));
        }
        long pngCount;
        try (Stream<Path> s = Files.walk(pngs)) {
            // frames sit in one folder per stream; the contact sheet sits beside those folders
            pngCount =
                    s.filter(p -> p.toString().endsWith(".png") && !p.getParent().equals(pngs))
                            .count();
        }
        // windows [0,50) [50,100) [100,150) [150,200) ms
        assertThat(pngCount).isEqualTo(4);
        assertThat(frames).hasSize(4);
        assertThat(frames.stream().mapToLong(Frame::getEventCount).sum()).isEqualTo(20_000);
        assertThat(frames).allSatisfy(f -> assertThat(f.getKind()).isEqualTo("counts"));
    }
}
