package io.dvsflow.operators.vdib;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link SpikeWindow}.
 *
 * <p>Layout: stream id ({@link StringValue#writeString}), {@code long windowStartUs}, {@code long
 * windowEndUs}, {@code long modelVersion}, {@code int activeInputs}, {@code long eventCount},
 * {@code long arrivalWallUs}, {@code int n} then {@code n} spike indices, {@code int m} then {@code
 * m} hidden-layer spike counts. Lengths above {@link SpikeWindow#MAX_LENGTH} are rejected with an
 * {@link IOException} before anything is allocated.
 */
public final class SpikeWindowSerializer extends TypeSerializer<SpikeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<SpikeWindow> duplicate() {
        return this;
    }

    @Override
    public SpikeWindow createInstance() {
        return new SpikeWindow("", 0, 1, 0, new int[0], 0, 0, new int[0], 0);
    }

    @Override
    public SpikeWindow copy(SpikeWindow f) {
        return new SpikeWindow(
                f.streamId(),
                f.windowStartUs(),
                f.windowEndUs(),
                f.modelVersion(),
                f.spikes().clone(),
                f.activeInputs(),
                f.eventCount(),
                f.hiddenSpikes().clone(),
                f.arrivalWallUs());
    }

    @Override
    public SpikeWindow copy(SpikeWindow from, SpikeWindow reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SpikeWindow w, DataOutputView target) throws IOException {
        StringValue.writeString(w.streamId(), target);
        target.writeLong(w.windowStartUs());
        target.writeLong(w.windowEndUs());
        target.writeLong(w.modelVersion());
        target.writeInt(w.activeInputs());
        target.writeLong(w.eventCount());
        target.writeLong(w.arrivalWallUs());
        writeInts(w.spikes(), target);
        writeInts(w.hiddenSpikes(), target);
    }

    private static void writeInts(int[] a, DataOutputView target) throws IOException {
        target.writeInt(a.length);
        for (int v : a) {
            target.writeInt(v);
        }
    }

    private static int[] readInts(DataInputView source) throws IOException {
        int n = checkedLength(source.readInt());
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = source.readInt();
        }
        return a;
    }

    private static int checkedLength(int n) throws IOException {
        if (n < 0 || n > SpikeWindow.MAX_LENGTH) {
            throw new IOException(
                    "corrupt SpikeWindow record: array length "
                            + n
                            + " outside [0, "
                            + SpikeWindow.MAX_LENGTH
                            + "]");
        }
        return n;
    }

    @Override
    public SpikeWindow deserialize(DataInputView source) throws IOException {
        String streamId = StringValue.readString(source);
        long start = source.readLong();
        long end = source.readLong();
        long version = source.readLong();
        int active = source.readInt();
        long events = source.readLong();
        long arrival = source.readLong();
        int[] spikes = readInts(source);
        int[] hidden = readInts(source);
        try {
            return new SpikeWindow(
                    streamId, start, end, version, spikes, active, events, hidden, arrival);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt SpikeWindow record: " + e.getMessage(), e);
        }
    }

    @Override
    public SpikeWindow deserialize(SpikeWindow reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StringValue.copyString(source, target);
        for (int i = 0; i < 3; i++) {
            target.writeLong(source.readLong());
        }
        target.writeInt(source.readInt());
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
        for (int a = 0; a < 2; a++) {
            int n = checkedLength(source.readInt());
            target.writeInt(n);
            for (int i = 0; i < n; i++) {
                target.writeInt(source.readInt());
            }
        }
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SpikeWindowSerializer;
    }

    @Override
    public int hashCode() {
        return SpikeWindowSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SpikeWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the configuration-free serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SpikeWindow> {
        /** Used by Flink to read the snapshot back. */
        public Snapshot() {
            super(SpikeWindowSerializer::new);
        }
    }
}
