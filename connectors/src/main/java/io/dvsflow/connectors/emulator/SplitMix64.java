package io.dvsflow.connectors.emulator;

/**
 * A small seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood, OOPSLA 2014) whose
 * whole state is one {@code long}, so it can be captured with {@link #state()} and restored with
 * {@link #setState(long)} for checkpoints.
 *
 * <p>Step: {@code s <- s + 0x9E3779B97F4A7C15}; output {@code z = mix(s)} with the variant-13
 * finaliser {@code z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) *
 * 0x94D049BB133111EB; z ^ (z >>> 31)}. It is the generator behind {@link
 * java.util.SplittableRandom}, but {@code SplittableRandom} does not expose its state.
 *
 * <p>Derived values use {@link StrictMath} so that a seed gives the same numbers bit for bit on
 * every JVM. Not thread-safe; not for cryptography.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    /** A generator whose state is {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The current state; a generator set to it continues with the same numbers. */
    public long state() {
        return state;
    }

    /** Restores a state captured with {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The SplitMix64 finaliser applied to {@code z} (a good 64-bit mixer for deriving seeds). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Next uniformly distributed 64-bit value. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform double in {@code (0, 1]}. */
    public double nextDoubleOpenClosed() {
        return ((nextLong() >>> 11) + 1) * DOUBLE_UNIT;
    }

    /** Fair coin. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /**
     * Uniform integer in {@code [0, bound)} (Lemire's multiply-shift with rejection, unbiased).
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, was " + bound);
        }
        long threshold = (1L << 32) % bound;
        while (true) {
            long r = nextLong() >>> 32;
            long m = r * bound;
            if ((m & 0xFFFFFFFFL) >= threshold) {
                return (int) (m >>> 32);
            }
        }
    }

    /**
     * Uniform long in {@code [0, bound)} (rejection sampling on the top bits, unbiased).
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, was " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return r % bound;
            }
        }
    }

    /**
     * Standard normal value by the Box-Muller transform {@code sqrt(-2 ln u1) cos(2 pi u2)}, with
     * {@code u1} in {@code (0, 1]}; the sine partner is discarded so that the state stays one long.
     */
    public double nextGaussian() {
        double u1 = nextDoubleOpenClosed();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /**
     * Poisson-distributed count with mean {@code lambda} (Knuth's product method, applied to chunks
     * of mean at most 16 so that it never underflows; cost grows linearly with {@code lambda}).
     *
     * @throws IllegalArgumentException if {@code lambda} is negative, not finite or above 1e9
     */
    public long nextPoisson(double lambda) {
        if (!(lambda >= 0) || lambda > 1e9) {
            throw new IllegalArgumentException("lambda must be in [0, 1e9], was " + lambda);
        }
        long count = 0;
        double remaining = lambda;
        while (remaining > 0) {
            double chunk = Math.min(remaining, 16.0);
            remaining -= chunk;
            double limit = StrictMath.exp(-chunk);
            double product = nextDouble();
            while (product >= limit) {
                count++;
                product *= nextDouble();
            }
        }
        return count;
    }
}
