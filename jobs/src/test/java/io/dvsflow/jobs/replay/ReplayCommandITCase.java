package io.dvsflow.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.kafka.EventPacketWireFormat;
import io.dvsflow.jobs.cli.CliRun;
import io.dvsflow.jobs.kafka.LocalKafkaBroker;
import io.dvsflow.jobs.kafka.TestRecordings;
import io.dvsflow.schemas.EventPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dvsflow replay} end to end against an in-process broker. */
class ReplayCommandITCase {

    @TempDir static Path dir;

    static LocalKafkaBroker broker;
    static Path recording;
    static EventPacket written;

    @BeforeAll
    static void setUp() throws Exception {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
        written = TestRecordings.events("rec", 64, 48, 5_000, 100, 7, 3);
        recording = TestRecordings.writeAedat3(dir.resolve("rec.aedat"), written);
    }

    @AfterAll
    static void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String run(String... args) {
        String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
        verbose[args.length] = "--verbose";
        return CliRun.succeed(verbose);
    }

    /** The topic's packets, checked to be keyed by their stream id, concatenated. */
    private static EventPacket topicEvents(String topic, String isolation) throws Exception {
        List<EventPacket> packets = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TestRecordings.readAll(broker.bootstrapServers(), topic, isolation)) {
            EventPacket p = EventPacketWireFormat.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(p.streamId());
            assertThat(p.streamId()).isEqualTo("rec.aedat");
            packets.add(p);
        }
        return TestRecordings.concat("rec.aedat", packets);
    }

    private static void assertSameEvents(EventPacket actual, EventPacket expected, long shift) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            if (actual.t(i) != expected.t(i) + shift
                    || actual.x(i) != expected.x(i)
                    || actual.y(i) != expected.y(i)
                    || actual.p(i) != expected.p(i)) {
                throw new AssertionError(
                        "event "
                                + i
                                + " differs: "
                                + actual.t(i)
                                + ","
                                + actual.x(i)
                                + ","
                                + actual.y(i)
                                + ","
                                + actual.p(i)
                                + " vs "
                                + expected.t(i)
                                + "+"
                                + shift
                                + ","
                                + expected.x(i)
                                + ","
                                + expected.y(i)
                                + ","
                                + expected.p(i));
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theTopicHoldsExactlyTheRecordingsEvents() throws Exception {
        String out =
                run(
                        "replay",
                        recording.toString(),
                        "--bootstrap",
                        broker.bootstrapServers(),
                        "--topic",
                        "replay-once",
                        "--speed",
                        "0");
        assertThat(out).contains("sent 5,000 events in").contains("events/s");
        EventPacket sent = topicEvents("replay-once", "read_uncommitted");
        assertSameEvents(sent, written, 0);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void twoExactlyOncePassesShiftTheSecondByTheSpanPlusOneMicrosecond() throws Exception {
        String out =
                run(
                        "replay",
                        recording.toString(),
                        "--bootstrap",
                        broker.bootstrapServers(),
                        "--topic",
                        "replay-twice",
                        "--speed",
                        "0",
                        "--passes",
                        "2",
                        "--delivery",
                        "exactly-once",
                        "--checkpoint-interval",
                        "200ms");
        assertThat(out).contains("pass 2: sent 5,000 events").contains("total: 10,000 events");
        EventPacket sent = topicEvents("replay-twice", "read_committed");
        assertThat(sent.size()).isEqualTo(10_000);
        // span: first t = 100, last t = 100 + 4999 * 7 = 35,093; shift = 35,093 - 100 + 1
        long shift = 34_994;
        EventPacket first = new EventPacket("rec.aedat", 64, 48, 5_000);
        EventPacket second = new EventPacket("rec.aedat", 64, 48, 5_000);
        for (int i = 0; i < 10_000; i++) {
            (i < 5_000 ? first : second).add(sent.t(i), sent.x(i), sent.y(i), sent.p(i));
        }
        assertSameEvents(first, written, 0);
        assertSameEvents(second, written, shift);
    }
}
