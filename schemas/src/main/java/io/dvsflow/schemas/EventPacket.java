package io.dvsflow.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * A packet of DVS events from one stream, held in primitive columns.
 *
 * <p>Event {@code i} (for {@code 0 <= i < size()}) is the tuple {@code (t[i], x[i], y[i], p[i])}:
 *
 * <ul>
 *   <li>{@code t}: timestamp in microseconds (µs) of the sensor clock, as a 64-bit value (never
 *       wraps);
 *   <li>{@code x}, {@code y}: pixel column and row, {@code 0 <= x < width}, {@code 0 <= y <
 *       height}, origin at the upper left unless a reader documents otherwise;
 *   <li>{@code p}: polarity, {@code 1} for ON (brightness increase), {@code 0} for OFF.
 * </ul>
 *
 * <p>A packet is a mutable, reusable buffer: readers fill a packet in place ({@link #clear()}, then
 * {@link #add}) so that the read path allocates nothing per event. The column arrays may be longer
 * than {@link #size()}; only the first {@code size()} entries are meaningful. Callers that keep a
 * packet beyond the next fill must take a {@link #copy()}.
 *
 * <pre>{@code
 * EventPacket packet = new EventPacket("cam0", 128, 128, 4096);
 * packet.add(1_000L, 10, 20, 1);
 * long t = packet.timestamps()[0];
 * }</pre>
 */
public final class EventPacket {

    /** Default number of events a packet holds before a reader emits it. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private String streamId;
    private int width;
    private int height;
    private long[] t;
    private short[] x;
    private short[] y;
    private byte[] p;
    private int size;

    /**
     * Creates an empty packet.
     *
     * @param streamId the stream (camera or recording) the events come from
     * @param width sensor width in pixels ({@code 0} when unknown)
     * @param height sensor height in pixels ({@code 0} when unknown)
     * @param capacity initial number of events the columns hold
     */
    public EventPacket(String streamId, int width, int height, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException(
                    "sensor size must be >= 0, was " + width + "x" + height);
        }
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.width = width;
        this.height = height;
        this.t = new long[capacity];
        this.x = new short[capacity];
        this.y = new short[capacity];
        this.p = new byte[capacity];
    }

    /** Creates an empty packet with {@link #DEFAULT_CAPACITY}. */
    public EventPacket(String streamId, int width, int height) {
        this(streamId, width, height, DEFAULT_CAPACITY);
    }

    /**
     * Wraps existing columns without copying.
     *
     * @throws IllegalArgumentException if a column is shorter than {@code size}
     */
    public static EventPacket wrap(
            String streamId,
            int width,
            int height,
            long[] t,
            short[] x,
            short[] y,
            byte[] p,
            int size) {
        if (size < 0 || t.length < size || x.length < size || y.length < size || p.length < size) {
            throw new IllegalArgumentException("columns shorter than size " + size);
        }
        EventPacket packet = new EventPacket(streamId, width, height, 0);
        packet.t = t;
        packet.x = x;
        packet.y = y;
        packet.p = p;
        packet.size = size;
        return packet;
    }

    /** Starts a builder. */
    public static Builder builder(String streamId, int width, int height) {
        return new Builder(streamId, width, height);
    }

    /** Appends one event, growing the columns when full. */
    public void add(long tUs, int xPx, int yPx, int polarity) {
        if (size == t.length) {
            grow(size + 1);
        }
        t[size] = tUs;
        x[size] = (short) xPx;
        y[size] = (short) yPx;
        p[size] = (byte) polarity;
        size++;
    }

    /**
     * Ensures that the columns hold at least {@code capacity} events, keeping the current events.
     */
    public void ensureCapacity(int capacity) {
        if (capacity > t.length) {
            grow(capacity);
        }
    }

    private void grow(int minCapacity) {
        int newCapacity = Math.max(minCapacity, Math.max(16, t.length + (t.length >> 1)));
        t = Arrays.copyOf(t, newCapacity);
        x = Arrays.copyOf(x, newCapacity);
        y = Arrays.copyOf(y, newCapacity);
        p = Arrays.copyOf(p, newCapacity);
    }

    /** Removes all events, keeping the columns for reuse. */
    public void clear() {
        size = 0;
    }

    /**
     * Sets the number of valid events after a caller filled the columns directly.
     *
     * @throws IllegalArgumentException if {@code newSize} exceeds the capacity
     */
    public void setSize(int newSize) {
        if (newSize < 0 || newSize > t.length) {
            throw new IllegalArgumentException(
                    "size " + newSize + " outside [0, " + t.length + "]");
        }
        this.size = newSize;
    }

    /** Number of valid events. */
    public int size() {
        return size;
    }

    /** {@code true} when the packet holds no event. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of events the columns hold without growing. */
    public int capacity() {
        return t.length;
    }

    /** {@code true} when {@link #size()} reached {@link #capacity()}. */
    public boolean isFull() {
        return size == t.length;
    }

    public String streamId() {
        return streamId;
    }

    public void setStreamId(String streamId) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    /** Sensor width in pixels, {@code 0} when unknown. */
    public int width() {
        return width;
    }

    /** Sensor height in pixels, {@code 0} when unknown. */
    public int height() {
        return height;
    }

    /** Sets the sensor geometry (pixels). */
    public void setGeometry(int width, int height) {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException(
                    "sensor size must be >= 0, was " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /** Timestamp column (µs); valid up to {@link #size()}. */
    public long[] timestamps() {
        return t;
    }

    /** x column (pixels); valid up to {@link #size()}. */
    public short[] xs() {
        return x;
    }

    /** y column (pixels); valid up to {@link #size()}. */
    public short[] ys() {
        return y;
    }

    /** Polarity column (1 = ON, 0 = OFF); valid up to {@link #size()}. */
    public byte[] polarities() {
        return p;
    }

    public long t(int i) {
        checkIndex(i);
        return t[i];
    }

    public int x(int i) {
        checkIndex(i);
        return x[i];
    }

    public int y(int i) {
        checkIndex(i);
        return y[i];
    }

    public int p(int i) {
        checkIndex(i);
        return p[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " outside [0, " + size + ")");
        }
    }

    /** Timestamp of the first event (µs). */
    public long firstTimestamp() {
        checkIndex(0);
        return t[0];
    }

    /** Timestamp of the last event (µs). */
    public long lastTimestamp() {
        checkIndex(size - 1);
        return t[size - 1];
    }

    /** A copy whose columns are exactly {@link #size()} long. */
    public EventPacket copy() {
        return wrap(
                streamId,
                width,
                height,
                Arrays.copyOf(t, size),
                Arrays.copyOf(x, size),
                Arrays.copyOf(y, size),
                Arrays.copyOf(p, size),
                size);
    }

    /** Appends every event of {@code other}. */
    public void addAll(EventPacket other) {
        int n = other.size;
        ensureCapacity(size + n);
        System.arraycopy(other.t, 0, t, size, n);
        System.arraycopy(other.x, 0, x, size, n);
        System.arraycopy(other.y, 0, y, size, n);
        System.arraycopy(other.p, 0, p, size, n);
        size += n;
    }

    /** Equal when stream, geometry and the valid events are equal (capacity is ignored). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EventPacket other)) {
            return false;
        }
        return size == other.size
                && width == other.width
                && height == other.height
                && streamId.equals(other.streamId)
                && Arrays.equals(t, 0, size, other.t, 0, size)
                && Arrays.equals(x, 0, size, other.x, 0, size)
                && Arrays.equals(y, 0, size, other.y, 0, size)
                && Arrays.equals(p, 0, size, other.p, 0, size);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(streamId, width, height, size);
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(t[i]);
            h = 31 * h + x[i];
            h = 31 * h + y[i];
            h = 31 * h + p[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "EventPacket{stream="
                + streamId
                + ", "
                + width
                + "x"
                + height
                + ", events="
                + size
                + (size > 0 ? ", t=[" + t[0] + ".." + t[size - 1] + "]" : "")
                + "}";
    }

    /**
     * Builds a packet event by event.
     *
     * <pre>{@code
     * EventPacket packet = EventPacket.builder("cam0", 128, 128).on(10, 5, 7).off(20, 6, 7).build();
     * }</pre>
     */
    public static final class Builder {
        private final EventPacket packet;

        Builder(String streamId, int width, int height) {
            this.packet = new EventPacket(streamId, width, height, 16);
        }

        /** Adds an event with explicit polarity (1 = ON, 0 = OFF). */
        public Builder add(long tUs, int x, int y, int polarity) {
            if (polarity != 0 && polarity != 1) {
                throw new IllegalArgumentException("polarity must be 0 or 1, was " + polarity);
            }
            packet.add(tUs, x, y, polarity);
            return this;
        }

        /** Adds an ON event. */
        public Builder on(long tUs, int x, int y) {
            return add(tUs, x, y, 1);
        }

        /** Adds an OFF event. */
        public Builder off(long tUs, int x, int y) {
            return add(tUs, x, y, 0);
        }

        /** Returns the packet, trimmed to its events. */
        public EventPacket build() {
            return packet.copy();
        }
    }
}
