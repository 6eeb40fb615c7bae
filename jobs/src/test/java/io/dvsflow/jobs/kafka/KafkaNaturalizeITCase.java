package io.dvsflow.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.kafka.EventPacketWireFormat;
import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka in and out: packets of two recordings (AEDAT 3.1 files) plus one garbage record on a topic,
 * the naturalize graph fed by the Kafka packet source, frames to Kafka exactly-once; the committed
 * frames equal those of the same graph fed from memory, and the garbage record sits in the
 * dead-letter topic.
 */
class KafkaNaturalizeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path dir;

    static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void framesThroughKafkaExactlyOnceEqualTheInMemoryRunAndGarbageIsDeadLettered()
            throws Exception {
        int w = 64;
        int h = 48;
        // two cameras: a at 10 us per event for 300 ms, b at 15 us per event from 1 ms
        Path a =
                TestRecordings.writeAedat3(
                        dir.resolve("a.aedat"), TestRecordings.events("a", w, h, 30_000, 0, 10, 1));
        Path b =
                TestRecordings.writeAedat3(
                        dir.resolve("b.aedat"),
                        TestRecordings.events("b", w, h, 20_000, 1_000, 15, 2));
        // small packets interleaved by first timestamp, as two live cameras would send them:
        // a packet spans at most 256 * 15 us = 3.84 ms < the 5 ms disorder, so nothing is late
        List<EventPacket> packets = new ArrayList<>(TestRecordings.packets(a, "cam-a", 256));
        packets.addAll(TestRecordings.packets(b, "cam-b", 256));
        packets.sort(Comparator.comparingLong(EventPacket::firstTimestamp));
        assertThat(packets.stream().mapToLong(EventPacket::size).sum()).isEqualTo(50_000);

        String in = "packets";
        Properties client = KafkaClientProperties.load(null, broker.bootstrapServers());
        Properties producerProps = new Properties();
        producerProps.putAll(client);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            int half = packets.size() / 2;
            for (int i = 0; i < packets.size(); i++) {
                EventPacket p = packets.get(i);
                producer.send(
                        new ProducerRecord<>(
                                in,
                                p.streamId().getBytes(StandardCharsets.UTF_8),
                                EventPacketWireFormat.encode(p)));
                if (i == half) {
                    producer.send(
                            new ProducerRecord<>(
                                    in,
                                    "cam-a".getBytes(StandardCharsets.UTF_8),
                                    "not a packet".getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }

        NaturalizeSettings settings = NaturalizeSettings.defaults(w, h);

        // Kafka in, Kafka out (exactly-once, commits on 200 ms checkpoints)
        throughKafka(client, in, "it-naturalize", "packets-dead", settings, "frames");
        // the same graph fed from memory
        List<Frame> expected = inMemory(packets, settings);
        List<Frame> actual = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TestRecordings.readAll(broker.bootstrapServers(), "frames", "read_committed")) {
            Frame f = Frame.getDecoder().decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo(f.getStreamId().toString());
            actual.add(f);
        }
        Comparator<Frame> order =
                Comparator.comparing((Frame f) -> f.getStreamId().toString())
                        .thenComparingLong(Frame::getWindowStartUs);
        expected.sort(order);
        actual.sort(order);

        // a: events in [0, 300 ms) -> windows 0..250 ms: 6 frames;
        // b: events in [1 ms, 301 ms) -> windows 0..300 ms: 7 frames
        assertThat(expected).hasSize(13);
        assertThat(expected.stream().mapToLong(Frame::getEventCount).sum()).isEqualTo(50_000);
        assertThat(summary(actual)).isEqualTo(summary(expected));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i))
                    .as("frame %d of %s", i, summary(expected))
                    .isEqualTo(expected.get(i));
        }

        List<ConsumerRecord<byte[], byte[]>> dead =
                TestRecordings.readAll(
                        broker.bootstrapServers(), "packets-dead", "read_uncommitted");
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("not a packet");
        Header reason = dead.get(0).headers().lastHeader("dvsflow.error");
        assertThat(reason).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("C3 01");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void vdibFramesThroughKafkaExactlyOnceEqualTheInMemoryRun() throws Exception {
        int w = 64;
        int h = 48;
        Path a =
                TestRecordings.writeAedat3(
                        dir.resolve("va.aedat"),
                        TestRecordings.events("a", w, h, 30_000, 0, 10, 3));
        List<EventPacket> packets = new ArrayList<>(TestRecordings.packets(a, "cam-v", 256));
        Properties client = KafkaClientProperties.load(null, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (EventPacket p : packets) {
                producer.send(
                        new ProducerRecord<>(
                                "vdib-packets",
                                p.streamId().getBytes(StandardCharsets.UTF_8),
                                EventPacketWireFormat.encode(p)));
            }
            producer.flush();
        }
        byte[] model =
                io.dvsflow.models.snapshot.ModelSnapshots.toBytes(
                        VdibKafkaTopicsITCase.model().toSnapshot(4L, java.util.Map.of()));
        NaturalizeSettings settings =
                NaturalizeSettings.defaults(w, h)
                        .withVdib(
                                io.dvsflow.jobs.naturalize.VdibRun.options(
                                        model, false, 1e-3, 1, 1, 7L, null));

        throughKafka(client, "vdib-packets", "it-vdib", null, settings, "vdib-frames");
        List<Frame> expected = inMemory(packets, settings);
        List<Frame> actual = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TestRecordings.readAll(
                        broker.bootstrapServers(), "vdib-frames", "read_committed")) {
            actual.add(Frame.getDecoder().decode(r.value()));
        }
        Comparator<Frame> order = Comparator.comparingLong(Frame::getWindowStartUs);
        expected.sort(order);
        actual.sort(order);
        // events in [0, 300 ms): 6 windows of 50 ms, one vdib image each, model version 4
        assertThat(expected).hasSize(6);
        assertThat(expected)
                .allSatisfy(
                        f -> {
                            assertThat(f.getKind()).isEqualTo("vdib");
                            assertThat(f.getModelVersion()).isEqualTo(4L);
                            assertThat(f.getSpikeStats()).isNotNull();
                        });
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /**
     * Runs the naturalize graph from topic {@code in} (bounded at its current end) to topic {@code
     * out}, exactly-once with commits on 200 ms checkpoints.
     */
    private static void throughKafka(
            Properties client,
            String in,
            String group,
            String deadLetter,
            NaturalizeSettings settings,
            String out)
            throws Exception {
        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(200);
        KafkaConnectors.PacketSourceBuilder source =
                KafkaConnectors.packetSource(client, in)
                        .groupId(group)
                        .bounded(OffsetsInitializer.latest());
        if (deadLetter != null) {
            source.deadLetterTopic(deadLetter);
        }
        DataStream<EventPacket> fromKafka =
                env.fromSource(
                        source.build(),
                        PacketWatermarks.boundedDisorder(
                                settings.maxDisorder(), settings.idleness()),
                        "kafka-packets",
                        EventPacketTypeInfo.INSTANCE);
        NaturalizeJob.build(fromKafka, settings)
                .frames()
                .sinkTo(KafkaConnectors.frameSink(client, out).exactlyOnce("it-" + out).build());
        env.execute("naturalize-through-kafka");
    }

    /** The same graph fed from memory, in one ordered stream. */
    private static List<Frame> inMemory(List<EventPacket> packets, NaturalizeSettings settings)
            throws Exception {
        StreamExecutionEnvironment mem = env();
        DataStream<EventPacket> fromMemory =
                mem.fromData(packets, EventPacketTypeInfo.INSTANCE)
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                PacketWatermarks.boundedDisorder(
                                        settings.maxDisorder(), settings.idleness()))
                        .setParallelism(1);
        List<Frame> frames = new ArrayList<>();
        try (CloseableIterator<Frame> it =
                NaturalizeJob.build(fromMemory, settings).frames().executeAndCollect()) {
            it.forEachRemaining(frames::add);
        }
        return frames;
    }

    private static List<String> summary(List<Frame> frames) {
        return frames.stream()
                .map(f -> f.getStreamId() + "@" + f.getWindowStartUs() + ":" + f.getEventCount())
                .toList();
    }
}
