package io.dvsflow.operators.filters;

import io.dvsflow.schemas.EventPacket;
import java.io.Serializable;

/**
 * A denoise filter over packets, free of Flink: reads a packet, appends the events it keeps to
 * another, and remembers what it needs in a per-pixel timestamp map (µs, {@link #NEVER} for a pixel
 * that has not been seen). {@link DenoiseFilterFunction} keeps the map in keyed state.
 *
 * <p>Filters only drop events: the output never holds more events than the input, and kept events
 * keep their order and values. Events outside the sensor are dropped.
 */
public interface PacketFilter extends Serializable {

    /** Map value of a pixel without a recorded event. */
    long NEVER = Long.MIN_VALUE;

    /** Sensor width in pixels. */
    int sensorWidth();

    /** Sensor height in pixels. */
    int sensorHeight();

    /**
     * How long (µs) after an event it can still influence a decision; once the stream's event time
     * has passed the last event by more than this, the map can be dropped without changing any
     * later (non-late) decision.
     */
    long memoryUs();

    /** A fresh map: {@code long[width * height]} filled with {@link #NEVER}. */
    default long[] newTimestampMap() {
        long[] map = new long[sensorWidth() * sensorHeight()];
        java.util.Arrays.fill(map, NEVER);
        return map;
    }

    /**
     * Appends the kept events of {@code in} to {@code out} and updates {@code lastTimestamps}.
     *
     * @param lastTimestamps the map from {@link #newTimestampMap()}, updated in place
     */
    void filter(EventPacket in, long[] lastTimestamps, EventPacket out);
}
