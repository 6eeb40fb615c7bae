package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link EventPacket}, so that packets never fall back to Kryo.
 *
 * <p>Wire layout (version {@value #FORMAT_VERSION}), all numbers big-endian as written by {@link
 * DataOutputView} except the event body:
 *
 * <ol>
 *   <li>stream id ({@link StringValue#writeString});
 *   <li>{@code int width}, {@code int height}, {@code int size};
 *   <li>event body of {@code 13 * size} bytes, little-endian, columnar: {@code size} timestamps
 *       ({@code long}, µs), {@code size} x ({@code short}), {@code size} y ({@code short}), {@code
 *       size} polarities ({@code byte}).
 * </ol>
 *
 * <p>Only the valid events are written; a deserialized packet's capacity equals its size. A
 * declared size above {@link #MAX_EVENTS} or a negative geometry is rejected with an {@link
 * IOException} instead of allocating from a corrupt length. The instance keeps a scratch buffer, so
 * it is not thread-safe and {@link #duplicate()} returns a fresh instance.
 */
public final class EventPacketSerializer extends TypeSerializer<EventPacket> {

    private static final long serialVersionUID = 1L;

    /** Version of the wire layout described above. */
    public static final int FORMAT_VERSION = 1;

    /** Largest number of events a serialized packet may declare (16 Mi events, 208 MiB body). */
    public static final int MAX_EVENTS = 1 << 24;

    /** Bytes per event in the body: 8 (t) + 2 (x) + 2 (y) + 1 (p). */
    static final int BYTES_PER_EVENT = 13;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private transient byte[] scratch;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<EventPacket> duplicate() {
        return new EventPacketSerializer();
    }

    @Override
    public EventPacket createInstance() {
        return new EventPacket("", 0, 0, 0);
    }

    @Override
    public EventPacket copy(EventPacket from) {
        return from.copy();
    }

    @Override
    public EventPacket copy(EventPacket from, EventPacket reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EventPacket packet, DataOutputView target) throws IOException {
        int n = packet.size();
        if (n > MAX_EVENTS) {
            throw new IOException(
                    "EventPacket of " + n + " events exceeds the serializer's bound " + MAX_EVENTS);
        }
        StringValue.writeString(packet.streamId(), target);
        target.writeInt(packet.width());
        target.writeInt(packet.height());
        target.writeInt(n);
        byte[] body = scratch(n * BYTES_PER_EVENT);
        long[] t = packet.timestamps();
        short[] x = packet.xs();
        short[] y = packet.ys();
        int pos = 0;
        for (int i = 0; i < n; i++, pos += 8) {
            LONG_LE.set(body, pos, t[i]);
        }
        for (int i = 0; i < n; i++, pos += 2) {
            SHORT_LE.set(body, pos, x[i]);
        }
        for (int i = 0; i < n; i++, pos += 2) {
            SHORT_LE.set(body, pos, y[i]);
        }
        System.arraycopy(packet.polarities(), 0, body, pos, n);
        target.write(body, 0, n * BYTES_PER_EVENT);
    }

    @Override
    public EventPacket deserialize(DataInputView source) throws IOException {
        String streamId = StringValue.readString(source);
        int width = source.readInt();
        int height = source.readInt();
        int n = source.readInt();
        checkHeader(width, height, n);
        byte[] body = scratch(n * BYTES_PER_EVENT);
        source.readFully(body, 0, n * BYTES_PER_EVENT);
        long[] t = new long[n];
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        int pos = 0;
        for (int i = 0; i < n; i++, pos += 8) {
            t[i] = (long) LONG_LE.get(body, pos);
        }
        for (int i = 0; i < n; i++, pos += 2) {
            x[i] = (short) SHORT_LE.get(body, pos);
        }
        for (int i = 0; i < n; i++, pos += 2) {
            y[i] = (short) SHORT_LE.get(body, pos);
        }
        System.arraycopy(body, pos, p, 0, n);
        return EventPacket.wrap(streamId, width, height, t, x, y, p, n);
    }

    @Override
    public EventPacket deserialize(EventPacket reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StringValue.copyString(source, target);
        int width = source.readInt();
        int height = source.readInt();
        int n = source.readInt();
        checkHeader(width, height, n);
        target.writeInt(width);
        target.writeInt(height);
        target.writeInt(n);
        int length = n * BYTES_PER_EVENT;
        byte[] body = scratch(length);
        source.readFully(body, 0, length);
        target.write(body, 0, length);
    }

    private static void checkHeader(int width, int height, int n) throws IOException {
        if (n < 0 || n > MAX_EVENTS) {
            throw new IOException(
                    "corrupt EventPacket record: size " + n + " outside [0, " + MAX_EVENTS + "]");
        }
        if (width < 0 || height < 0) {
            throw new IOException("corrupt EventPacket record: geometry " + width + "x" + height);
        }
    }

    private byte[] scratch(int length) {
        byte[] s = scratch;
        if (s == null || s.length < length) {
            s = new byte[Math.max(length, 1024)];
            scratch = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EventPacketSerializer;
    }

    @Override
    public int hashCode() {
        return EventPacketSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<EventPacket> snapshotConfiguration() {
        return new EventPacketSerializerSnapshot();
    }
}
