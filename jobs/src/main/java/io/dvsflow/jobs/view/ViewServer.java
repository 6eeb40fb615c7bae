package io.dvsflow.jobs.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live viewer: a web page on {@code 127.0.0.1} that shows the latest frame of every {@code
 * (stream, kind)} of a {@link FrameStore}, updated through server-sent events.
 *
 * <pre>{@code
 * try (ViewServer server = ViewServer.watching(Path.of("out/frames"))) {
 *     int port = server.start(0); // 0: any free port
 *     System.err.println("open " + server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>Routes: {@code /} the page (self-contained HTML and JS, no external resources); {@code
 * /events} the server-sent event stream: one {@code frame} event (data: {@link ViewFrame#toJson()})
 * per current entry on connection, then one per update, and a comment line every {@value
 * #KEEPALIVE_MILLIS} ms; {@code /frame?stream=S&kind=K} the latest PNG of that key; {@code
 * /api/frames} the current entries as a JSON array.
 *
 * <p>Policies: binds the loopback address only (the page has no authentication). A slow client
 * never accumulates a backlog: its pending updates are coalesced to the latest per key. At most
 * {@value #MAX_EVENT_CLIENTS} event streams at once; more get HTTP 503.
 */
public final class ViewServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewServer.class);

    /** Most concurrent {@code /events} clients. */
    public static final int MAX_EVENT_CLIENTS = 16;

    /** Interval of keep-alive comments on an idle event stream. */
    public static final long KEEPALIVE_MILLIS = 15_000;

    private static final String PAGE_RESOURCE = "/io/dvsflow/jobs/view/index.html";

    private final FrameStore store;
    private final AutoCloseable feed;
    private final Runnable startFeed;
    private final String title;
    private final AtomicInteger eventClients = new AtomicInteger();
    private final Set<EventClient> clients = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private ExecutorService executor;
    private volatile boolean closed;

    /**
     * A server over a store that something else fills (e.g. a job running in the same process).
     *
     * @param title shown in the page's heading
     */
    public ViewServer(FrameStore store, String title) {
        this(store, title, null, () -> {});
    }

    private ViewServer(FrameStore store, String title, AutoCloseable feed, Runnable startFeed) {
        this.store = store;
        this.title = title;
        this.feed = feed;
        this.startFeed = startFeed;
    }

    /** A server over a folder of PNG frames ({@link DirectoryFrameFeed}). */
    public static ViewServer watching(Path dir) {
        FrameStore store = new FrameStore();
        DirectoryFrameFeed feed = new DirectoryFrameFeed(dir, store);
        return new ViewServer(store, dir.toString(), feed, feed::start);
    }

    /** A server over a Kafka topic of Avro frames ({@link KafkaFrameFeed}). */
    public static ViewServer consuming(String bootstrap, String topic) {
        FrameStore store = new FrameStore();
        KafkaFrameFeed feed = new KafkaFrameFeed(bootstrap, topic, store);
        return new ViewServer(store, topic + " @ " + bootstrap, feed, feed::start);
    }

    /** The store the page shows. */
    public FrameStore store() {
        return store;
    }

    /**
     * Starts the feed and the HTTP server on {@code 127.0.0.1}.
     *
     * @param port TCP port, or 0 for any free port
     * @return the port bound
     */
    public synchronized int start(int port) throws IOException {
        if (server != null) {
            return server.getAddress().getPort();
        }
        server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "dvsflow-view-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        startFeed.run();
        LOG.info("viewer serving {} at {}", title, uri());
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public synchronized URI uri() {
        if (server == null) {
            throw new IllegalStateException("the viewer is not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", bytes("only GET"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page());
                case "/events" -> events(ex);
                case "/frame" -> frame(ex);
                case "/api/frames" -> send(ex, 200, "application/json", bytes(framesJson()));
                default -> send(ex, 404, "text/plain", bytes("no such page: " + path));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private byte[] page() throws IOException {
        try (InputStream in = ViewServer.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IOException("missing resource " + PAGE_RESOURCE);
            }
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder t = new StringBuilder();
            ViewFrame.quote(t, title);
            return bytes(html.replace("\"@TITLE@\"", t.toString()));
        }
    }

    private void frame(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        ViewFrame f = store.get(q.getOrDefault("stream", ""), q.getOrDefault("kind", ""));
        if (f == null) {
            send(ex, 404, "text/plain", bytes("no frame for that stream and kind"));
            return;
        }
        send(ex, 200, "image/png", f.png());
    }

    private String framesJson() {
        StringBuilder b = new StringBuilder("[");
        for (ViewFrame f : store.snapshot()) {
            b.append(b.length() > 1 ? "," : "").append(f.toJson());
        }
        return b.append(']').toString();
    }

    /** Pending updates of one event-stream client, coalesced to the latest per key. */
    private static final class EventClient {
        final LinkedHashMap<FrameStore.Key, ViewFrame> pending = new LinkedHashMap<>();
        volatile boolean closed;

        synchronized void offer(ViewFrame f) {
            pending.put(new FrameStore.Key(f.stream(), f.kind()), f);
            notifyAll();
        }

        synchronized List<ViewFrame> await(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (pending.isEmpty() && !closed) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            List<ViewFrame> out = new ArrayList<>(pending.values());
            pending.clear();
            return out;
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    private void events(HttpExchange ex) throws IOException {
        if (eventClients.incrementAndGet() > MAX_EVENT_CLIENTS) {
            eventClients.decrementAndGet();
            send(ex, 503, "text/plain", bytes("too many viewers"));
            return;
        }
        EventClient client = new EventClient();
        clients.add(client);
        try (AutoCloseable sub = store.subscribe(client::offer)) {
            for (ViewFrame f : store.snapshot()) {
                client.offer(f);
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(bytes("retry: 1000\n\n"));
            out.flush();
            while (!closed && !client.closed) {
                List<ViewFrame> batch = client.await(KEEPALIVE_MILLIS);
                if (batch.isEmpty()) {
                    out.write(bytes(": keep-alive\n\n"));
                } else {
                    StringBuilder b = new StringBuilder();
                    for (ViewFrame f : batch) {
                        b.append("event: frame\nid: ")
                                .append(f.sequence())
                                .append("\ndata: ")
                                .append(f.toJson())
                                .append("\n\n");
                    }
                    out.write(bytes(b.toString()));
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("event client went away: {}", e.toString());
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            clients.remove(client);
            eventClients.decrementAndGet();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the feed, ends the event streams and the HTTP server. */
    @Override
    public synchronized void close() {
        closed = true;
        for (EventClient c : clients) {
            c.close();
        }
        if (feed != null) {
            try {
                feed.close();
            } catch (Exception e) {
                throw e instanceof RuntimeException r
                        ? r
                        : new UncheckedIOException(new IOException(e));
            }
        }
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }
}
