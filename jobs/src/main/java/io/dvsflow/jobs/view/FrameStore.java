package io.dvsflow.jobs.view;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest {@link ViewFrame} per {@code (stream, kind)}, bounded, with listeners notified on
 * every update. Thread-safe.
 *
 * <p>Bound: at most {@code maxEntries} keys (default {@value #DEFAULT_MAX_ENTRIES}); when a new key
 * would exceed it, the key updated least recently is dropped, so a source that invents stream ids
 * cannot grow the viewer's memory without limit. Each entry holds one PNG (or one Avro frame).
 */
public final class FrameStore {

    /** Default bound on the number of {@code (stream, kind)} entries. */
    public static final int DEFAULT_MAX_ENTRIES = 512;

    /** The identity of an entry. */
    public record Key(String stream, String kind) {}

    private final int maxEntries;
    private final LinkedHashMap<Key, ViewFrame> latest = new LinkedHashMap<>();
    private final List<Consumer<ViewFrame>> listeners = new CopyOnWriteArrayList<>();
    private long sequence;

    /** A store bounded to {@value #DEFAULT_MAX_ENTRIES} entries. */
    public FrameStore() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public FrameStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /**
     * Stores a frame as the latest of its key (giving it the next sequence number) and notifies the
     * listeners.
     *
     * @return the stored frame, with its sequence number
     */
    public ViewFrame put(ViewFrame frame) {
        ViewFrame stored;
        synchronized (this) {
            stored = frame.withSequence(++sequence);
            Key key = new Key(frame.stream(), frame.kind());
            latest.remove(key);
            latest.put(key, stored);
            Iterator<Key> oldest = latest.keySet().iterator();
            while (latest.size() > maxEntries) {
                oldest.next();
                oldest.remove();
            }
        }
        for (Consumer<ViewFrame> l : listeners) {
            l.accept(stored);
        }
        return stored;
    }

    /** The latest frame of a key, or null. */
    public synchronized ViewFrame get(String stream, String kind) {
        return latest.get(new Key(stream, kind));
    }

    /** A copy of all entries, least recently updated first. */
    public synchronized List<ViewFrame> snapshot() {
        return new ArrayList<>(latest.values());
    }

    /** A copy of the entries as a map. */
    public synchronized Map<Key, ViewFrame> asMap() {
        return new LinkedHashMap<>(latest);
    }

    public synchronized int size() {
        return latest.size();
    }

    /** Number of frames stored so far (the last sequence number given). */
    public synchronized long updates() {
        return sequence;
    }

    /**
     * Calls {@code listener} with every frame stored from now on (on the storing thread; it must
     * not block).
     *
     * @return closing it removes the listener
     */
    public AutoCloseable subscribe(Consumer<ViewFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
