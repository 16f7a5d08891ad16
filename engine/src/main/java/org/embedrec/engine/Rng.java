package org.embedrec.engine;

/**
 * A seeded random number generator: SplitMix64, written out here so that one seed gives the
 * same stream on every JVM and version. {@link #split()} derives an independent generator, so
 * parallel or per-layer streams stay reproducible without sharing state.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * nextFloat();
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Lemire's multiply-shift with rejection.
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal, by the Box-Muller transform (pairs are cached). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Fisher-Yates shuffle in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A permutation of {@code [0, n)}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /**
     * Where this generator is in its stream: the SplitMix64 state and the cached Gaussian (as
     * raw bits, NaN when none), so that a checkpoint can continue the stream exactly.
     */
    public long[] saveState() {
        return new long[] {state, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Continues the stream from {@code saved}, a value of {@link #saveState()}. */
    public void restoreState(long[] saved) {
        if (saved == null || saved.length != 2) {
            throw new IllegalArgumentException("a generator's saved state is 2 longs, got "
                    + (saved == null ? "none" : saved.length));
        }
        state = saved[0];
        spareGaussian = Double.longBitsToDouble(saved[1]);
    }

    /** An independent generator derived from this one's stream. */
    public Rng split() {
        return new Rng(nextLong() ^ 0x6A09E667F3BCC909L);
    }
}
