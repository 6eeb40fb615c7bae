package io.dvsflow.models.random;

/**
 * The seeded random generator of the spiking models: SplitMix64 (Steele, Lea and Flood, OOPSLA
 * 2014), whose whole state is one {@code long}, so a model's random stream is captured with {@link
 * #state()} and restored with {@link #setState(long)} together with the rest of a checkpoint.
 *
 * <p>Step: {@code s <- s + 0x9E3779B97F4A7C15}; output {@code z = mix(s)} with {@code z = (z ^ (z
 * >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; z ^ (z >>> 31)}.
 *
 * <p>Derived values: {@link #nextFloat()} is the top 24 bits times 2^-24 (uniform on [0, 1) with
 * step 2^-24), {@link #nextDouble()} the top 53 bits times 2^-53, {@link #nextGaussian()} a
 * Box-Muller draw computed with {@link StrictMath} (one draw consumes exactly two outputs, no
 * cached second value, so the state stays one {@code long}). The results are identical bit for bit
 * on every JVM. Not thread-safe; not for cryptography.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float FLOAT_UNIT = 0x1.0p-24f;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    /** A generator whose state is {@code seed}. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The current state; a generator set to it continues with the same numbers. */
    public long state() {
        return state;
    }

    /** Restores a state returned by {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform on [0, 1), multiples of 2^-24. */
    public float nextFloat() {
        return (nextLong() >>> 40) * FLOAT_UNIT;
    }

    /** Uniform on [0, 1), multiples of 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Uniform integer in [0, bound) by Lemire's multiply-shift with rejection (unbiased).
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * Standard normal by Box-Muller: {@code sqrt(-2 ln(1 - u1)) cos(2 pi u2)} with two {@link
     * #nextDouble()} draws, evaluated with {@link StrictMath}.
     */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1))
                * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /**
     * A new generator for a sub-stream, seeded from this one's next output (this generator advances
     * by one step).
     */
    public Rng split() {
        return new Rng(nextLong());
    }
}
