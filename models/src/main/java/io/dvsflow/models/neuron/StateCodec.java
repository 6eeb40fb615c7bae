package io.dvsflow.models.neuron;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact, bounds-checked binary encoding shared by the model state classes ({@link
 * LifLayerState}, {@link SrmReadoutState}, {@link EncoderState}, the learning package's optimiser
 * state). Little-endian; each blob starts with a 4-byte magic naming its type and a 1-byte version.
 * Arrays are written as an {@code int} length followed by the elements; the reader checks every
 * length against the size the caller expects (never allocates from an untrusted length) and fails
 * with {@link IllegalArgumentException} ("corrupt ... state: ...") on truncation, trailing bytes, a
 * wrong magic or version, or out-of-range values.
 */
public final class StateCodec {

    private StateCodec() {}

    /** Growable little-endian writer. */
    public static final class Writer {
        private ByteBuffer buf;

        /** A writer with an initial capacity in bytes (grows as needed). */
        public Writer(int initialCapacity) {
            buf = ByteBuffer.allocate(Math.max(16, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
        }

        private void ensure(int more) {
            if (buf.remaining() < more) {
                int need = buf.position() + more;
                int cap = Math.max(need, buf.capacity() * 2);
                ByteBuffer n = ByteBuffer.allocate(cap).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                n.put(buf);
                buf = n;
            }
        }

        /** Writes the magic and the version. */
        public Writer header(int magic, byte version) {
            return putInt(magic).putByte(version);
        }

        /** Writes one byte. */
        public Writer putByte(byte v) {
            ensure(1);
            buf.put(v);
            return this;
        }

        /** Writes one int. */
        public Writer putInt(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        /** Writes one long. */
        public Writer putLong(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        /** Writes a length and the floats. */
        public Writer putFloats(float[] a) {
            ensure(4 + 4 * a.length);
            buf.putInt(a.length);
            for (float v : a) {
                buf.putFloat(v);
            }
            return this;
        }

        /** Writes a length and {@code n} ints from {@code a}. */
        public Writer putInts(int[] a, int n) {
            ensure(4 + 4 * n);
            buf.putInt(n);
            for (int i = 0; i < n; i++) {
                buf.putInt(a[i]);
            }
            return this;
        }

        /** Writes a length and the bytes. */
        public Writer putBytes(byte[] a) {
            ensure(4 + a.length);
            buf.putInt(a.length);
            buf.put(a);
            return this;
        }

        /** The bytes written so far (a copy). */
        public byte[] toByteArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** Bounds-checked little-endian reader. */
    public static final class Reader {
        private final ByteBuffer buf;
        private final String what;

        /** A reader over {@code data}; {@code what} names the state type in error messages. */
        public Reader(byte[] data, String what) {
            if (data == null) {
                throw new IllegalArgumentException("corrupt " + what + " state: null bytes");
            }
            this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            this.what = what;
        }

        /** An {@link IllegalArgumentException} with the standard message prefix. */
        public IllegalArgumentException corrupt(String detail) {
            return new IllegalArgumentException(
                    "corrupt " + what + " state at byte " + buf.position() + ": " + detail);
        }

        /** Checks magic and version. */
        public void header(int magic, byte version) {
            int m = getInt();
            if (m != magic) {
                throw corrupt(String.format("magic 0x%08x, expected 0x%08x", m, magic));
            }
            byte v = getByte();
            if (v != version) {
                throw corrupt("unsupported version " + v + ", expected " + version);
            }
        }

        /** Reads one byte. */
        public byte getByte() {
            try {
                return buf.get();
            } catch (BufferUnderflowException e) {
                throw corrupt("truncated");
            }
        }

        /** Reads one int. */
        public int getInt() {
            try {
                return buf.getInt();
            } catch (BufferUnderflowException e) {
                throw corrupt("truncated");
            }
        }

        /** Reads one int and checks {@code lo <= v <= hi}. */
        public int getInt(String name, int lo, int hi) {
            int v = getInt();
            if (v < lo || v > hi) {
                throw corrupt(name + " " + v + " outside [" + lo + ", " + hi + "]");
            }
            return v;
        }

        /** Reads one long. */
        public long getLong() {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw corrupt("truncated");
            }
        }

        private int length(String name, int expected) {
            int n = getInt();
            if (n != expected) {
                throw corrupt(name + " length " + n + ", expected " + expected);
            }
            if ((long) n * 4 > buf.remaining()) {
                throw corrupt("truncated " + name);
            }
            return n;
        }

        /** Reads a float array of exactly {@code into.length} elements into {@code into}. */
        public void getFloats(String name, float[] into) {
            int n = length(name, into.length);
            for (int i = 0; i < n; i++) {
                into[i] = buf.getFloat();
            }
        }

        /**
         * Reads an int array of at most {@code into.length} elements, each in [0, bound), into
         * {@code into}; returns the count.
         */
        public int getIndices(String name, int[] into, int bound) {
            int n = getInt();
            if (n < 0 || n > into.length) {
                throw corrupt(name + " count " + n + " outside [0, " + into.length + "]");
            }
            if ((long) n * 4 > buf.remaining()) {
                throw corrupt("truncated " + name);
            }
            for (int i = 0; i < n; i++) {
                int v = buf.getInt();
                if (v < 0 || v >= bound) {
                    throw corrupt(name + " index " + v + " outside [0, " + bound + ")");
                }
                into[i] = v;
            }
            return n;
        }

        /** Reads a byte array of exactly {@code into.length} elements into {@code into}. */
        public void getBytes(String name, byte[] into) {
            int n = getInt();
            if (n != into.length) {
                throw corrupt(name + " length " + n + ", expected " + into.length);
            }
            if (n > buf.remaining()) {
                throw corrupt("truncated " + name);
            }
            buf.get(into);
        }

        /** Reads a length-prefixed byte blob of at most {@code max} bytes (a new array). */
        public byte[] getBlob(String name, int max) {
            int n = getInt();
            if (n < 0 || n > max || n > buf.remaining()) {
                throw corrupt(
                        name + " length " + n + " invalid (remaining " + buf.remaining() + ")");
            }
            byte[] out = new byte[n];
            buf.get(out);
            return out;
        }

        /** Fails unless every byte was consumed. */
        public void end() {
            if (buf.hasRemaining()) {
                throw corrupt(buf.remaining() + " trailing bytes");
            }
        }
    }
}
