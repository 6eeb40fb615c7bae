package io.dvsflow.jobs.camera;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.kafka.EventPacketWireFormat;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges a live camera served over TCP by iniVation's DV software (AEDAT 4.0 network framing, see
 * {@link Aedat4NetworkInput}) into a Kafka topic: packets keyed by the camera's stream id, in
 * {@link EventPacketWireFormat}.
 *
 * <p>Why a plain producer and not a Flink job: a socket is a single, unbounded source that cannot
 * be rewound, so checkpoints could not replay anything and Flink's exactly-once would add nothing;
 * the producer is idempotent with {@code acks=all} (defaults, overridable by the client
 * properties). The topic then feeds any number of Flink jobs, which get their replayability from
 * Kafka.
 *
 * <p>Connection policy: on a refused connection, a read error or the server closing the stream, the
 * bridge reconnects after a back-off that starts at {@code initialBackoff} and doubles up to {@code
 * maxBackoff}, reset by every connection that delivers its header. {@link #close()} stops it from
 * any thread: the socket is closed, what was sent is flushed and {@link #run()} returns. A send
 * that Kafka finally refuses (after the producer's own retries) stops the bridge with that error. A
 * malformed stream (an {@code EventFormatException}) counts as a disconnection.
 *
 * <pre>{@code
 * CameraBridge bridge = new CameraBridge(settings, producerProperties);
 * Runtime.getRuntime().addShutdownHook(new Thread(bridge::close));
 * bridge.run();
 * }</pre>
 */
public final class CameraBridge implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraBridge.class);

    /** Interval between progress log lines. */
    static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Opens an event reader over a connected socket's stream. */
    @FunctionalInterface
    public interface ReaderFactory {
        /** Opens a reader; it owns {@code in}. */
        EventReader open(InputStream in, String source, ReaderOptions options) throws IOException;
    }

    /** DV's AEDAT 4.0 network stream, with or without the version line. */
    public static final ReaderFactory AEDAT4_NETWORK =
            (in, source, options) ->
                    EventFormats.open(
                            Aedat4NetworkInput.withVersionLine(in, source),
                            source,
                            EventFormat.AEDAT4,
                            options);

    /**
     * Settings.
     *
     * @param host DV's host
     * @param port DV's TCP output port
     * @param topic Kafka topic
     * @param streamId key and stream id of the packets
     * @param readerOptions options of the reader (packet size, flips)
     * @param connectTimeout TCP connect timeout
     * @param initialBackoff first wait before reconnecting
     * @param maxBackoff longest wait before reconnecting
     * @param maxConnections stop after this many connections ended ({@code 0}: never)
     */
    public record Settings(
            String host,
            int port,
            String topic,
            String streamId,
            ReaderOptions readerOptions,
            Duration connectTimeout,
            Duration initialBackoff,
            Duration maxBackoff,
            int maxConnections) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(readerOptions, "readerOptions");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in [1, 65535], was " + port);
            }
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "back-off must satisfy 0 <= initial <= max, was "
                                + initialBackoff
                                + " and "
                                + maxBackoff);
            }
            if (maxConnections < 0) {
                throw new IllegalArgumentException("maxConnections must be >= 0");
            }
        }

        /**
         * Defaults: stream id {@code host:port}, 5 s connect timeout, back-off 100 ms doubling to
         * 10 s, reconnect forever.
         */
        public static Settings of(String host, int port, String topic) {
            return new Settings(
                    host,
                    port,
                    topic,
                    host + ":" + port,
                    ReaderOptions.defaults(),
                    Duration.ofSeconds(5),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    0);
        }

        public Settings withStreamId(String id) {
            return new Settings(
                    host,
                    port,
                    topic,
                    id,
                    readerOptions,
                    connectTimeout,
                    initialBackoff,
                    maxBackoff,
                    maxConnections);
        }

        public Settings withBackoff(Duration initial, Duration max) {
            return new Settings(
                    host,
                    port,
                    topic,
                    streamId,
                    readerOptions,
                    connectTimeout,
                    initial,
                    max,
                    maxConnections);
        }

        public Settings withMaxConnections(int n) {
            return new Settings(
                    host,
                    port,
                    topic,
                    streamId,
                    readerOptions,
                    connectTimeout,
                    initialBackoff,
                    maxBackoff,
                    n);
        }

        public Settings withReaderOptions(ReaderOptions o) {
            return new Settings(
                    host,
                    port,
                    topic,
                    streamId,
                    o,
                    connectTimeout,
                    initialBackoff,
                    maxBackoff,
                    maxConnections);
        }
    }

    /**
     * What the bridge did so far.
     *
     * @param connections connections that delivered a stream header
     * @param failedAttempts connection attempts that failed (refused, timed out, bad header)
     * @param packets packets sent to Kafka
     * @param events events sent to Kafka
     */
    public record Stats(long connections, long failedAttempts, long packets, long events) {}

    private final Settings settings;
    private final ReaderFactory readers;
    private final Producer<byte[], byte[]> producer;
    private final byte[] key;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<Socket> socket = new AtomicReference<>();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    /**
     * A bridge of DV's AEDAT 4.0 network stream.
     *
     * @param producerProperties Kafka client properties, with {@code bootstrap.servers}
     */
    public CameraBridge(Settings settings, Properties producerProperties) {
        this(settings, AEDAT4_NETWORK, producer(producerProperties));
    }

    /** A bridge with another reader (tests, other framings) and a given producer (owned). */
    public CameraBridge(
            Settings settings, ReaderFactory readers, Producer<byte[], byte[]> producer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.key = settings.streamId().getBytes(StandardCharsets.UTF_8);
    }

    /** An idempotent byte-array producer ({@code acks=all}) over the given client properties. */
    public static KafkaProducer<byte[], byte[]> producer(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Counts so far (safe from any thread). */
    public Stats stats() {
        return new Stats(connections.get(), failedAttempts.get(), packets.get(), events.get());
    }

    /**
     * Connects, forwards and reconnects until {@link #close()} or {@code maxConnections}; then
     * flushes and closes the producer.
     *
     * @throws IllegalStateException when Kafka refused a packet
     */
    @Override
    public void run() {
        String source = "dv://" + settings.host() + ":" + settings.port();
        ReaderOptions options = settings.readerOptions().withStreamId(settings.streamId());
        long backoffMs = settings.initialBackoff().toMillis();
        int ended = 0;
        try {
            while (!stopped()) {
                boolean delivered = false;
                try (Socket s = new Socket()) {
                    socket.set(s);
                    if (stopped()) {
                        break;
                    }
                    s.connect(
                            new InetSocketAddress(settings.host(), settings.port()),
                            (int) settings.connectTimeout().toMillis());
                    s.setTcpNoDelay(true);
                    try (EventReader reader = readers.open(s.getInputStream(), source, options)) {
                        delivered = true;
                        connections.incrementAndGet();
                        LOG.info("Connected to {}; sending to topic {}", source, settings.topic());
                        forward(reader);
                    }
                    LOG.info("{} closed the stream", source);
                } catch (IOException | RuntimeException e) {
                    if (stopped()) {
                        break;
                    }
                    if (e instanceof IllegalStateException && sendFailure.get() != null) {
                        throw (IllegalStateException) e;
                    }
                    if (!delivered) {
                        failedAttempts.incrementAndGet();
                    }
                    LOG.warn("{}: {}", source, e.toString());
                } finally {
                    socket.set(null);
                }
                checkSendFailure();
                if (delivered) {
                    ended++;
                    backoffMs = settings.initialBackoff().toMillis();
                    if (settings.maxConnections() > 0 && ended >= settings.maxConnections()) {
                        break;
                    }
                }
                if (stopped()) {
                    break;
                }
                LOG.info("Reconnecting to {} in {} ms", source, backoffMs);
                if (stop.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    break;
                }
                backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        }
        checkSendFailure();
        Stats st = stats();
        LOG.info(
                "Camera bridge stopped: {} connection(s), {} packets, {} events",
                st.connections(),
                st.packets(),
                st.events());
    }

    private void forward(EventReader reader) throws IOException {
        EventPacket packet = reader.newPacket();
        long lastLog = System.nanoTime();
        long eventsAtLog = events.get();
        while (!stopped() && reader.read(packet)) {
            checkSendFailure();
            producer.send(
                    new ProducerRecord<>(
                            settings.topic(), key, EventPacketWireFormat.encode(packet)),
                    (metadata, error) -> {
                        if (error != null) {
                            sendFailure.compareAndSet(null, error);
                        }
                    });
            packets.incrementAndGet();
            events.addAndGet(packet.size());
            long now = System.nanoTime();
            if (now - lastLog >= PROGRESS_NANOS) {
                long n = events.get();
                LOG.info(
                        "{}: {} packets, {} events sent ({} events/s)",
                        settings.streamId(),
                        packets.get(),
                        n,
                        Math.round((n - eventsAtLog) / ((now - lastLog) / 1e9)));
                lastLog = now;
                eventsAtLog = n;
            }
        }
    }

    private void checkSendFailure() {
        Exception e = sendFailure.get();
        if (e != null) {
            throw new IllegalStateException(
                    "Kafka refused a packet of " + settings.streamId() + ": " + e.getMessage(), e);
        }
    }

    private boolean stopped() {
        return stop.getCount() == 0;
    }

    /** Stops the bridge (idempotent, from any thread); {@link #run()} then returns. */
    @Override
    public void close() {
        stop.countDown();
        Socket s = socket.get();
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing the socket", e);
            }
        }
    }
}
