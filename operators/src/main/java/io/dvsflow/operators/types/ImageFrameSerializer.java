package io.dvsflow.operators.types;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link ImageFrame}.
 *
 * <p>Layout: stream id and kind ({@link StringValue#writeString}), {@code long windowStartUs},
 * {@code long windowEndUs}, {@code int width}, {@code int height}, {@code int channels}, {@code
 * long eventCount}, {@code long modelVersion}, then the {@code channels * height * width} pixel
 * values as {@code float}s, then {@code int} the number of spike statistics values ({@code -1}:
 * none) and those {@code float}s. A shape whose value count exceeds {@link ImageFrame#MAX_VALUES}
 * is rejected with an {@link IOException} before anything is allocated.
 */
public final class ImageFrameSerializer extends TypeSerializer<ImageFrame> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ImageFrame> duplicate() {
        return this;
    }

    @Override
    public ImageFrame createInstance() {
        return new ImageFrame("", 0, 1, 1, 1, 1, new float[1], "", 0);
    }

    @Override
    public ImageFrame copy(ImageFrame from) {
        return new ImageFrame(
                from.streamId(),
                from.windowStartUs(),
                from.windowEndUs(),
                from.width(),
                from.height(),
                from.channels(),
                from.pixels().clone(),
                from.kind(),
                from.eventCount(),
                from.modelVersion(),
                from.spikeStats() == null ? null : from.spikeStats().clone());
    }

    @Override
    public ImageFrame copy(ImageFrame from, ImageFrame reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ImageFrame frame, DataOutputView target) throws IOException {
        StringValue.writeString(frame.streamId(), target);
        StringValue.writeString(frame.kind(), target);
        target.writeLong(frame.windowStartUs());
        target.writeLong(frame.windowEndUs());
        target.writeInt(frame.width());
        target.writeInt(frame.height());
        target.writeInt(frame.channels());
        target.writeLong(frame.eventCount());
        target.writeLong(frame.modelVersion());
        for (float v : frame.pixels()) {
            target.writeFloat(v);
        }
        float[] stats = frame.spikeStats();
        target.writeInt(stats == null ? -1 : stats.length);
        if (stats != null) {
            for (float v : stats) {
                target.writeFloat(v);
            }
        }
    }

    @Override
    public ImageFrame deserialize(DataInputView source) throws IOException {
        String streamId = StringValue.readString(source);
        String kind = StringValue.readString(source);
        long start = source.readLong();
        long end = source.readLong();
        int width = source.readInt();
        int height = source.readInt();
        int channels = source.readInt();
        long eventCount = source.readLong();
        long modelVersion = source.readLong();
        int n = checkedValues(width, height, channels);
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = source.readFloat();
        }
        float[] stats = readStats(source);
        try {
            return new ImageFrame(
                    streamId,
                    start,
                    end,
                    width,
                    height,
                    channels,
                    pixels,
                    kind,
                    eventCount,
                    modelVersion,
                    stats);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt ImageFrame record: " + e.getMessage(), e);
        }
    }

    @Override
    public ImageFrame deserialize(ImageFrame reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StringValue.copyString(source, target);
        StringValue.copyString(source, target);
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
        int width = source.readInt();
        int height = source.readInt();
        int channels = source.readInt();
        int n = checkedValues(width, height, channels);
        target.writeInt(width);
        target.writeInt(height);
        target.writeInt(channels);
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
        for (int i = 0; i < n; i++) {
            target.writeInt(source.readInt());
        }
        int k = statsLength(source.readInt());
        target.writeInt(k);
        for (int i = 0; i < k; i++) {
            target.writeInt(source.readInt());
        }
    }

    private static int statsLength(int k) throws IOException {
        if (k < -1 || k > ImageFrame.STATS_PER_LAYER * ImageFrame.MAX_STAT_LAYERS) {
            throw new IOException("corrupt ImageFrame record: " + k + " spike statistics values");
        }
        return k;
    }

    private static float[] readStats(DataInputView source) throws IOException {
        int k = statsLength(source.readInt());
        if (k < 0) {
            return null;
        }
        float[] stats = new float[k];
        for (int i = 0; i < k; i++) {
            stats[i] = source.readFloat();
        }
        return stats;
    }

    private static int checkedValues(int width, int height, int channels) throws IOException {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IOException(
                    "corrupt ImageFrame record: shape " + channels + "x" + height + "x" + width);
        }
        long n = (long) width * height * channels;
        if (n > ImageFrame.MAX_VALUES) {
            throw new IOException(
                    "corrupt ImageFrame record: "
                            + n
                            + " values exceed the bound "
                            + ImageFrame.MAX_VALUES);
        }
        return (int) n;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ImageFrameSerializer;
    }

    @Override
    public int hashCode() {
        return ImageFrameSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ImageFrame> snapshotConfiguration() {
        return new ImageFrameSerializerSnapshot();
    }
}
