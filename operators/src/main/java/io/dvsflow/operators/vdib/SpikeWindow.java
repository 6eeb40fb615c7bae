package io.dvsflow.operators.vdib;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The readout spikes of one stream for one event-time window {@code [windowStartUs, windowEndUs)}:
 * the output of {@link LifEncoderFunction}, one record per encoder step (windows without events
 * between two windows with events are stepped too and give records with {@code eventCount = 0}).
 *
 * <p>The arrays are not copied; producers hand over fresh arrays and consumers must not modify
 * them.
 *
 * @param streamId camera or recording id (the key)
 * @param windowStartUs window start, inclusive, µs of event time
 * @param windowEndUs window end, exclusive, µs of event time
 * @param modelVersion version of the encoder weights that produced the spikes
 * @param spikes indices of the readout neurons that spiked, ascending, each in {@code [0, N_Y)}
 * @param activeInputs distinct active inputs of the window (binary bins: polarity x pixel)
 * @param eventCount events of the window inside the model's crop
 * @param hiddenSpikes spikes per hidden layer in this step
 * @param arrivalWallUs wall-clock time (µs since the Unix epoch) at which the window's last packet
 *     reached the encoder, 0 for windows without events (used for the event-to-image latency)
 */
@TypeInfo(SpikeWindowTypeInfoFactory.class)
public record SpikeWindow(
        String streamId,
        long windowStartUs,
        long windowEndUs,
        long modelVersion,
        int[] spikes,
        int activeInputs,
        long eventCount,
        int[] hiddenSpikes,
        long arrivalWallUs) {

    /** Largest spike or hidden-layer array accepted by the serializer (guards allocation). */
    public static final int MAX_LENGTH = 1 << 24;

    /** Checks the window and the arrays. */
    public SpikeWindow {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(spikes, "spikes");
        Objects.requireNonNull(hiddenSpikes, "hiddenSpikes");
        if (windowEndUs <= windowStartUs) {
            throw new IllegalArgumentException(
                    "empty window [" + windowStartUs + ", " + windowEndUs + ")");
        }
        if (spikes.length > MAX_LENGTH || hiddenSpikes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("spike arrays exceed " + MAX_LENGTH);
        }
    }

    /** Equal when every field is equal, arrays by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpikeWindow w
                && windowStartUs == w.windowStartUs
                && windowEndUs == w.windowEndUs
                && modelVersion == w.modelVersion
                && activeInputs == w.activeInputs
                && eventCount == w.eventCount
                && arrivalWallUs == w.arrivalWallUs
                && streamId.equals(w.streamId)
                && Arrays.equals(spikes, w.spikes)
                && Arrays.equals(hiddenSpikes, w.hiddenSpikes);
    }

    /** The same window without the wall-clock stamp (for comparing runs). */
    public SpikeWindow withoutWallClock() {
        return new SpikeWindow(
                streamId,
                windowStartUs,
                windowEndUs,
                modelVersion,
                spikes,
                activeInputs,
                eventCount,
                hiddenSpikes,
                0L);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, windowStartUs, modelVersion) * 31 + Arrays.hashCode(spikes);
    }

    @Override
    public String toString() {
        return "SpikeWindow{stream="
                + streamId
                + ", window=["
                + windowStartUs
                + ", "
                + windowEndUs
                + "), model="
                + modelVersion
                + ", spikes="
                + Arrays.toString(spikes)
                + ", activeInputs="
                + activeInputs
                + ", events="
                + eventCount
                + "}";
    }
}
