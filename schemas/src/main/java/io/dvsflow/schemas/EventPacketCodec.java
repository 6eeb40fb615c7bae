package io.dvsflow.schemas;

import io.dvsflow.schemas.avro.AvroEventPacket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between the in-memory {@link EventPacket} and its compact Avro form {@link
 * AvroEventPacket}.
 *
 * <p>Timestamps are delta coded: {@code delta_i = t_i - t_(i-1)}, zig-zag mapped ({@code (d << 1) ^
 * (d >> 63)}) and written as LEB128 varints, so a sorted stream at 1 MHz event rate costs about one
 * byte per timestamp. Coordinates are two unsigned 16-bit little-endian values per event, polarity
 * one bit per event.
 */
public final class EventPacketCodec {

    /**
     * Largest event count a decoded packet may declare (bounds allocation from untrusted input).
     */
    public static final int MAX_EVENTS = 1 << 24;

    private EventPacketCodec() {}

    /** Encodes the valid events of {@code packet}. */
    public static AvroEventPacket toAvro(EventPacket packet) {
        int n = packet.size();
        long[] t = packet.timestamps();
        short[] xs = packet.xs();
        short[] ys = packet.ys();
        byte[] ps = packet.polarities();
        byte[] deltas = new byte[Math.max(0, n - 1) * 10];
        int pos = 0;
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            long z = (d << 1) ^ (d >> 63);
            while ((z & ~0x7FL) != 0) {
                deltas[pos++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            deltas[pos++] = (byte) z;
        }
        byte[] xy = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            int j = 4 * i;
            xy[j] = (byte) xs[i];
            xy[j + 1] = (byte) (xs[i] >> 8);
            xy[j + 2] = (byte) ys[i];
            xy[j + 3] = (byte) (ys[i] >> 8);
        }
        byte[] bits = new byte[(n + 7) >>> 3];
        for (int i = 0; i < n; i++) {
            if (ps[i] != 0) {
                bits[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return AvroEventPacket.newBuilder()
                .setStreamId(packet.streamId())
                .setWidth(packet.width())
                .setHeight(packet.height())
                .setCount(n)
                .setTBaseUs(n == 0 ? 0L : t[0])
                .setTDeltas(ByteBuffer.wrap(deltas, 0, pos).slice())
                .setXy(ByteBuffer.wrap(xy))
                .setPolarity(ByteBuffer.wrap(bits))
                .build();
    }

    /**
     * Decodes an Avro packet.
     *
     * @throws IllegalArgumentException when the record is inconsistent (count out of range, columns
     *     of the wrong length, truncated or overlong varints); the message says which field
     */
    public static EventPacket fromAvro(AvroEventPacket avro) {
        int n = avro.getCount();
        if (n < 0 || n > MAX_EVENTS) {
            throw new IllegalArgumentException(
                    "count "
                            + n
                            + " outside [0, "
                            + MAX_EVENTS
                            + "] in packet "
                            + avro.getStreamId());
        }
        if (avro.getWidth() < 0 || avro.getHeight() < 0) {
            throw new IllegalArgumentException(
                    "negative sensor size " + avro.getWidth() + "x" + avro.getHeight());
        }
        ByteBuffer xy = avro.getXy().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer bits = avro.getPolarity().duplicate();
        ByteBuffer deltas = avro.getTDeltas().duplicate();
        if (xy.remaining() != 4 * n) {
            throw new IllegalArgumentException(
                    "xy holds " + xy.remaining() + " bytes, expected " + (4 * n));
        }
        if (bits.remaining() != (n + 7) / 8) {
            throw new IllegalArgumentException(
                    "polarity holds " + bits.remaining() + " bytes, expected " + ((n + 7) / 8));
        }
        long[] t = new long[n];
        short[] xs = new short[n];
        short[] ys = new short[n];
        byte[] ps = new byte[n];
        long time = avro.getTBaseUs();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                long z = 0;
                int shift = 0;
                while (true) {
                    if (!deltas.hasRemaining()) {
                        throw new IllegalArgumentException(
                                "tDeltas truncated at event " + i + " of " + n);
                    }
                    int b = deltas.get();
                    z |= (long) (b & 0x7F) << shift;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                    shift += 7;
                    if (shift > 63) {
                        throw new IllegalArgumentException("tDeltas varint too long at event " + i);
                    }
                }
                time += (z >>> 1) ^ -(z & 1);
            }
            t[i] = time;
            int j = xy.position() + 4 * i;
            xs[i] = xy.getShort(j);
            ys[i] = xy.getShort(j + 2);
            ps[i] = (byte) ((bits.get(bits.position() + (i >>> 3)) >>> (i & 7)) & 1);
        }
        if (deltas.hasRemaining()) {
            throw new IllegalArgumentException(
                    "tDeltas has " + deltas.remaining() + " bytes after " + n + " events");
        }
        return EventPacket.wrap(
                avro.getStreamId(), avro.getWidth(), avro.getHeight(), t, xs, ys, ps, n);
    }
}
