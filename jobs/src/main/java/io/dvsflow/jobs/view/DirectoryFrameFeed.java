package io.dvsflow.jobs.view;

import io.dvsflow.connectors.sink.PngMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link FrameStore} from a folder that a job writes PNG frames into, in the layout of
 * {@code PngFrameSink}: {@code DIR/<stream>/<kind>_<windowStartUs, 13 digits>.png}. PNG files
 * directly in {@code DIR} count as a stream named after {@code DIR}.
 *
 * <p>Policy: the folder is polled (default every {@value #DEFAULT_INTERVAL_MILLIS} ms) rather than
 * watched with a {@code WatchService}, which is not recursive and silently overflows; a stream
 * folder is listed again only when its modification time changed (adding or atomically replacing a
 * file changes it) or is within {@value #RECENT_MILLIS} ms of now (coarse file-system clocks). Per
 * {@code (stream, kind)} the file with the largest window start is the latest; it is read again
 * when its modification time or size changes (a job replaying after a restore rewrites it).
 * Temporary files ({@code *.tmp}) and files larger than {@value #MAX_PNG_BYTES} bytes are ignored.
 */
public final class DirectoryFrameFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryFrameFeed.class);

    /** Default polling interval. */
    public static final long DEFAULT_INTERVAL_MILLIS = 200;

    /** Folders modified this recently are listed on every poll. */
    static final long RECENT_MILLIS = 2_000;

    /** Largest PNG file read (bytes). */
    public static final long MAX_PNG_BYTES = 32L << 20;

    /** Most stream folders followed. */
    public static final int MAX_STREAMS = 256;

    /** {@code <kind>_<13 digits>.png}, as written by {@code PngFrameSink}. */
    static final Pattern FRAME_NAME = Pattern.compile("([A-Za-z0-9.-]+)_(\\d{13})\\.png");

    private record Seen(String name, long windowStartUs, long modified, long size) {}

    private final Path dir;
    private final FrameStore store;
    private final long intervalMillis;
    private final Map<Path, Long> folderModified = new HashMap<>();
    private final Map<FrameStore.Key, Seen> seen = new HashMap<>();
    private ScheduledExecutorService poller;

    public DirectoryFrameFeed(Path dir, FrameStore store) {
        this(dir, store, Duration.ofMillis(DEFAULT_INTERVAL_MILLIS));
    }

    /**
     * @param dir the folder of frames (it may not exist yet)
     * @param interval time between two polls
     */
    public DirectoryFrameFeed(Path dir, FrameStore store, Duration interval) {
        this.dir = dir.toAbsolutePath().normalize();
        this.store = store;
        this.intervalMillis = Math.max(10, interval.toMillis());
    }

    /** Scans once now, then polls on a daemon thread until {@link #close()}. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        poller =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "dvsflow-view-dir");
                            t.setDaemon(true);
                            return t;
                        });
        poller.scheduleWithFixedDelay(this::pollQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            scanOnce();
        } catch (IOException | RuntimeException e) {
            LOG.warn("scanning {} failed: {}", dir, e.toString());
        }
    }

    /**
     * Looks for new or changed frames once.
     *
     * @return the number of frames stored by this scan
     */
    public synchronized int scanOnce() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int stored = 0;
        String rootStream = dir.getFileName() == null ? "frames" : dir.getFileName().toString();
        stored += scanFolder(dir, rootStream);
        int streams = 0;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                if (++streams > MAX_STREAMS) {
                    LOG.warn(
                            "more than {} stream folders in {}; ignoring the rest",
                            MAX_STREAMS,
                            dir);
                    break;
                }
                stored += scanFolder(child, child.getFileName().toString());
            }
        }
        return stored;
    }

    private int scanFolder(Path folder, String stream) throws IOException {
        long now = System.currentTimeMillis();
        long modified;
        try {
            modified = Files.getLastModifiedTime(folder).toMillis();
        } catch (NoSuchFileException e) {
            return 0;
        }
        Long before = folderModified.put(folder, modified);
        if (before != null && before == modified && now - modified > RECENT_MILLIS) {
            return 0;
        }
        Map<String, Seen> best = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*_*.png")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = FRAME_NAME.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                long start = Long.parseLong(m.group(2));
                Seen current = best.get(m.group(1));
                if (current == null || start > current.windowStartUs()) {
                    best.put(m.group(1), new Seen(name, start, 0, 0));
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        int stored = 0;
        for (Map.Entry<String, Seen> e : best.entrySet()) {
            if (offer(folder, stream, e.getKey(), e.getValue())) {
                stored++;
            }
        }
        return stored;
    }

    private boolean offer(Path folder, String stream, String kind, Seen candidate)
            throws IOException {
        Path file = folder.resolve(candidate.name());
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        FrameStore.Key key = new FrameStore.Key(stream, kind);
        Seen previous = seen.get(key);
        long modified = attrs.lastModifiedTime().toMillis();
        if (previous != null
                && (previous.windowStartUs() > candidate.windowStartUs()
                        || (previous.name().equals(candidate.name())
                                && previous.modified() == modified
                                && previous.size() == attrs.size()))) {
            return false;
        }
        if (attrs.size() > MAX_PNG_BYTES || attrs.size() == 0) {
            return false;
        }
        byte[] png;
        try (InputStream in = Files.newInputStream(file)) {
            png = in.readNBytes((int) MAX_PNG_BYTES);
        } catch (NoSuchFileException e) {
            return false;
        }
        seen.put(
                key, new Seen(candidate.name(), candidate.windowStartUs(), modified, attrs.size()));
        Map<String, String> meta = PngMetadata.read(png);
        store.put(
                ViewFrame.ofPng(
                        0,
                        stream,
                        kind,
                        candidate.windowStartUs(),
                        longOr(meta.get("windowEndUs"), -1L),
                        longOr(meta.get("modelVersion"), null),
                        longOr(meta.get("eventCount"), null),
                        PngMetadata.spikes(meta.get("spikes")),
                        png,
                        modified,
                        System.currentTimeMillis()));
        return true;
    }

    private static Long longOr(String value, Long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
