package io.dvsflow.connectors.formats.prophesee;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The common case of EVT 2.0 decoding eight words at a time with the JDK's vector API (incubating
 * in Java 17, module {@code jdk.incubator.vector}): when eight consecutive words are all CD events
 * (type 0 or 1) inside the sensor, with non-decreasing 6-bit time low parts and the first of them
 * not before the last delivered event, they are decoded with lane-wise operations into the packet's
 * columns:
 *
 * <pre>
 * x = (word >>> 11) &amp; 0x7FF     y = word &amp; 0x7FF     p = word >>> 28
 * t = timeBase | ((word >>> 22) &amp; 0x3F)   (µs, as a 64-bit lane)
 * </pre>
 *
 * Anything else (a TIME_HIGH or other word in the block, an event outside the sensor, time stepping
 * back) makes {@link #decode8} return {@code -1} and the scalar loop of {@link Evt2Reader} decodes
 * the words one by one, so both paths give the same events and counters (tested).
 *
 * <p>Only touched when {@link Evt2Reader} found the module in the boot layer: without {@code
 * --add-modules jdk.incubator.vector} this class is never loaded.
 */
final class Evt2VectorKernel {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;

    /** Lane i holds lane i + 1's time (lane 7 compares with itself). */
    private static final VectorShuffle<Integer> NEXT =
            VectorShuffle.fromValues(INTS, 1, 2, 3, 4, 5, 6, 7, 7);

    /** Words of 32 bits per block. */
    static final int WORDS = 8;

    private Evt2VectorKernel() {}

    /**
     * Decodes the eight words at {@code b[pos, pos + 32)} into events {@code n .. n + 7}.
     *
     * @return the number of ON events among them, or {@code -1} when the block is not eight
     *     in-bounds, in-order CD events (nothing written)
     */
    static int decode8(
            byte[] b,
            int pos,
            long base,
            long last,
            int width,
            int height,
            long[] ts,
            short[] xs,
            short[] ys,
            byte[] ps,
            int n) {
        IntVector v = IntVector.fromByteArray(INTS, b, pos, ByteOrder.LITTLE_ENDIAN);
        IntVector x = v.lanewise(VectorOperators.LSHR, 11).and(0x7FF);
        IntVector y = v.and(0x7FF);
        VectorMask<Integer> ok =
                v.compare(VectorOperators.UNSIGNED_LT, 0x2000_0000)
                        .and(x.compare(VectorOperators.LT, width))
                        .and(y.compare(VectorOperators.LT, height));
        if (!ok.allTrue()) {
            return -1;
        }
        IntVector t = v.lanewise(VectorOperators.LSHR, 22).and(0x3F);
        if ((base | t.lane(0)) < last
                || t.rearrange(NEXT).compare(VectorOperators.LT, t).anyTrue()) {
            return -1;
        }
        ((LongVector) t.convertShape(VectorOperators.I2L, LongVector.SPECIES_256, 0))
                .or(base)
                .intoArray(ts, n);
        ((LongVector) t.convertShape(VectorOperators.I2L, LongVector.SPECIES_256, 1))
                .or(base)
                .intoArray(ts, n + 4);
        ((ShortVector) x.convertShape(VectorOperators.I2S, ShortVector.SPECIES_128, 0))
                .intoArray(xs, n);
        ((ShortVector) y.convertShape(VectorOperators.I2S, ShortVector.SPECIES_128, 0))
                .intoArray(ys, n);
        IntVector p = v.lanewise(VectorOperators.LSHR, 28);
        ((ByteVector) p.convertShape(VectorOperators.I2B, ByteVector.SPECIES_64, 0))
                .intoArray(ps, n);
        return p.reduceLanes(VectorOperators.ADD);
    }
}
