package io.dvsflow.operators.types;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An image of one stream over the half-open event-time window {@code [windowStartUs, windowEndUs)}:
 * an event frame from the binner or a naturalized image.
 *
 * <p>{@code pixels} holds {@code channels x height x width} values, channel-major then row-major
 * (row 0 at the top): the value of channel {@code c}, row {@code r}, column {@code q} is {@code
 * pixels[(c * height + r) * width + q]}. This is the layout of the Avro {@code Frame} (see {@link
 * ImageFrameAvroConverter}). The record does not copy the array; producers hand over a fresh array
 * and consumers must not modify it.
 *
 * @param streamId camera or recording id (the key)
 * @param windowStartUs window start, inclusive, µs of event time
 * @param windowEndUs window end, exclusive, µs of event time
 * @param width image width in pixels ({@code >= 1})
 * @param height image height in pixels ({@code >= 1})
 * @param channels number of planes ({@code >= 1})
 * @param pixels the values, {@code channels * height * width} of them
 * @param kind what the image shows: {@code counts}, {@code binary}, {@code signed}, {@code voxel},
 *     {@code integrate} or {@code highpass}
 * @param eventCount number of events that contributed to the window
 * @param modelVersion version of the learned model that produced the image ({@code vdib}), or
 *     {@link #NO_MODEL} for binned and classical images
 * @param spikeStats spike statistics of the spiking layers behind a {@code vdib} image, or null:
 *     {@link #STATS_PER_LAYER} values per layer, hidden layers first, the readout last: {@code
 *     rate} (spikes per neuron per step), {@code activeRatio} (fraction of neurons that fired at
 *     least once) and {@code burstingRatio} (fraction firing in at least the burst threshold of the
 *     steps), {@code NaN} where unknown (see {@code VdibDecoderFunction} for the steps covered)
 */
@TypeInfo(ImageFrameTypeInfoFactory.class)
public record ImageFrame(
        String streamId,
        long windowStartUs,
        long windowEndUs,
        int width,
        int height,
        int channels,
        float[] pixels,
        String kind,
        long eventCount,
        long modelVersion,
        float[] spikeStats) {

    /** Values per layer in {@link #spikeStats()}: rate, active ratio, bursting ratio. */
    public static final int STATS_PER_LAYER = 3;

    /** Most layers accepted in {@link #spikeStats()}. */
    public static final int MAX_STAT_LAYERS = 64;

    /** An image without spike statistics. */
    public ImageFrame(
            String streamId,
            long windowStartUs,
            long windowEndUs,
            int width,
            int height,
            int channels,
            float[] pixels,
            String kind,
            long eventCount,
            long modelVersion) {
        this(
                streamId,
                windowStartUs,
                windowEndUs,
                width,
                height,
                channels,
                pixels,
                kind,
                eventCount,
                modelVersion,
                null);
    }

    /** {@link #modelVersion()} of images no learned model produced. */
    public static final long NO_MODEL = -1L;

    /** An image no learned model produced ({@code modelVersion = NO_MODEL}). */
    public ImageFrame(
            String streamId,
            long windowStartUs,
            long windowEndUs,
            int width,
            int height,
            int channels,
            float[] pixels,
            String kind,
            long eventCount) {
        this(
                streamId,
                windowStartUs,
                windowEndUs,
                width,
                height,
                channels,
                pixels,
                kind,
                eventCount,
                NO_MODEL);
    }

    /** Largest {@code channels * height * width} accepted (64 Mi values, 256 MiB). */
    public static final int MAX_VALUES = 1 << 26;

    /** Checks the shape and the window. */
    public ImageFrame {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(kind, "kind");
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException(
                    "shape must be positive, was " + channels + "x" + height + "x" + width);
        }
        long values = (long) channels * height * width;
        if (values > MAX_VALUES || pixels.length != values) {
            throw new IllegalArgumentException(
                    "pixels holds "
                            + pixels.length
                            + " values, shape "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width
                            + " needs "
                            + values
                            + " (at most "
                            + MAX_VALUES
                            + ")");
        }
        if (windowEndUs <= windowStartUs) {
            throw new IllegalArgumentException(
                    "empty window [" + windowStartUs + ", " + windowEndUs + ")");
        }
        if (modelVersion < NO_MODEL) {
            throw new IllegalArgumentException(
                    "modelVersion must be >= 0 or NO_MODEL, was " + modelVersion);
        }
        if (eventCount < 0) {
            throw new IllegalArgumentException("eventCount must be >= 0, was " + eventCount);
        }
        if (spikeStats != null
                && (spikeStats.length == 0
                        || spikeStats.length % STATS_PER_LAYER != 0
                        || spikeStats.length > STATS_PER_LAYER * MAX_STAT_LAYERS)) {
            throw new IllegalArgumentException(
                    "spikeStats must hold 3 values per layer (1 to "
                            + MAX_STAT_LAYERS
                            + " layers), was "
                            + spikeStats.length);
        }
    }

    /** Number of layers in {@link #spikeStats()} (0 without statistics). */
    public int statLayers() {
        return spikeStats == null ? 0 : spikeStats.length / STATS_PER_LAYER;
    }

    /** Name of statistics layer {@code l}: {@code hidden<l>}, the last one {@code readout}. */
    public String statLayerName(int l) {
        Objects.checkIndex(l, statLayers());
        return l == statLayers() - 1 ? "readout" : "hidden" + l;
    }

    /** Value at channel {@code c}, row {@code y}, column {@code x}. */
    public float at(int c, int y, int x) {
        Objects.checkIndex(c, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[(c * height + y) * width + x];
    }

    /** Sum of all values. */
    public double sum() {
        double s = 0;
        for (float v : pixels) {
            s += v;
        }
        return s;
    }

    /** Equal when every field is equal, the pixels compared by value. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ImageFrame f
                && windowStartUs == f.windowStartUs
                && windowEndUs == f.windowEndUs
                && width == f.width
                && height == f.height
                && channels == f.channels
                && eventCount == f.eventCount
                && modelVersion == f.modelVersion
                && streamId.equals(f.streamId)
                && kind.equals(f.kind)
                && Arrays.equals(pixels, f.pixels)
                && Arrays.equals(spikeStats, f.spikeStats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, windowStartUs, windowEndUs, width, height, channels, kind)
                        * 31
                + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageFrame{stream="
                + streamId
                + ", window=["
                + windowStartUs
                + ", "
                + windowEndUs
                + "), "
                + kind
                + " "
                + channels
                + "x"
                + height
                + "x"
                + width
                + ", events="
                + eventCount
                + (modelVersion == NO_MODEL ? "" : ", model=" + modelVersion)
                + "}";
    }
}
