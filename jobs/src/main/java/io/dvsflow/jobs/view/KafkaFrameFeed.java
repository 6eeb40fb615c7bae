package io.dvsflow.jobs.view;

import io.dvsflow.schemas.avro.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link FrameStore} from a Kafka topic of Avro {@link Frame}s (single-object encoding, as
 * written by {@code FrameKafkaSerializer}).
 *
 * <p>Policies: the consumer reads with {@code isolation.level=read_committed} (only frames of
 * committed checkpoints of an exactly-once job), without a consumer group (it assigns itself every
 * partition, so it never disturbs the offsets of other consumers) and starts {@value
 * #REPLAY_PER_PARTITION} records before the end of each partition so that the page shows something
 * at once. Records that are not a valid frame (bad encoding, unknown schema, pixel buffer that does
 * not match {@code channels x height x width}, more than {@value #MAX_PIXELS} values) are counted
 * in {@link #skipped()} and logged, never fatal. Latest record of a key wins (a stream's frames
 * share one partition, so that is arrival order).
 */
public final class KafkaFrameFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameFeed.class);

    /** Records replayed from the end of each partition at start. */
    public static final int REPLAY_PER_PARTITION = 64;

    /** Largest frame accepted ({@code channels * width * height}). */
    public static final long MAX_PIXELS = 1L << 24;

    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final String topic;
    private final FrameStore store;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public KafkaFrameFeed(String bootstrap, String topic, FrameStore store) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Starts consuming on a daemon thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dvsflow-view");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        running = true;
        thread = new Thread(this::run, "dvsflow-view-kafka");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - REPLAY_PER_PARTITION));
            }
            LOG.info(
                    "viewer consuming {} partitions of {} at {}",
                    partitions.size(),
                    topic,
                    bootstrap);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    consumed.incrementAndGet();
                    offer(r.value(), r.timestamp());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("viewer consumer of {} stopped: {}", topic, e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> out = new ArrayList<>();
                for (PartitionInfo i : infos) {
                    out.add(new TopicPartition(topic, i.partition()));
                }
                return out;
            }
            LOG.info("waiting for topic {} at {}", topic, bootstrap);
        }
        return List.of();
    }

    /**
     * Decodes one record value and stores it; counts and logs it as skipped when it is not a valid
     * frame.
     *
     * @return true when stored
     */
    boolean offer(byte[] value, long producedAtMillis) {
        Frame frame;
        try {
            frame = Frame.getDecoder().decode(value);
        } catch (Exception e) {
            return skip("undecodable record: " + e);
        }
        long w = frame.getWidth();
        long h = frame.getHeight();
        long c = frame.getChannels();
        if (w < 1 || h < 1 || c < 1 || w * h * c > MAX_PIXELS) {
            return skip("frame of " + c + " x " + h + " x " + w + " values out of bounds");
        }
        int bytesPerValue = frame.getPixelType() == io.dvsflow.schemas.avro.PixelType.UINT8 ? 1 : 4;
        if (frame.getPixels().remaining() != w * h * c * bytesPerValue) {
            return skip(
                    "pixel buffer of "
                            + frame.getPixels().remaining()
                            + " bytes, expected "
                            + w * h * c * bytesPerValue);
        }
        store.put(ViewFrame.ofFrame(0, frame, producedAtMillis, System.currentTimeMillis()));
        return true;
    }

    private boolean skip(String why) {
        long n = skipped.incrementAndGet();
        if (n <= 10 || Long.bitCount(n) == 1) {
            LOG.warn("topic {}: skipped record #{} ({})", topic, n, why);
        }
        return false;
    }

    /** Records that were not valid frames. */
    public long skipped() {
        return skipped.get();
    }

    /** Records consumed (valid or not). */
    public long consumed() {
        return consumed.get();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
            running = false;
        }
        if (t != null) {
            consumer.wakeup();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
