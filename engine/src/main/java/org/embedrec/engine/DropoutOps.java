package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Inverted dropout: each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, so the expected output equals the input and nothing needs rescaling
 * at inference time. The backward rule multiplies by the same mask.
 *
 * <p>The mask is a function of one 64-bit key drawn from the caller's {@link Rng} and the
 * element's index ({@link Kernels#dropout}): one draw per call instead of one per element, no
 * branch per element, and no mask array, since the backward rule regenerates the mask from the
 * key and applies it to the output's gradient in place. Each element's decision depends on its
 * position only, so large tensors are split over the {@link Parallel} threads with the same
 * result on any thread count.
 */
final class DropoutOps {
    /** Decisions read 24 random bits, as {@link Rng#nextFloat()} has. */
    private static final double DECISION_LEVELS = 0x1p24;
    /** Elements per parallel chunk: a few microseconds of hashing, well above the cost of a fork. */
    private static final int GRAIN = 1 << 15;

    private DropoutOps() {}

    static Tensor dropout(Tensor x, float rate, Rng rng) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout: " + Shape.toString(x.shape()) + ": rate " + rate
                    + " is outside [0, 1)");
        }
        if (rng == null) {
            throw new IllegalArgumentException("dropout: " + Shape.toString(x.shape())
                    + ": expected a random number generator, got null");
        }
        if (rate == 0f) {
            return x;
        }
        float keep = 1f / (1f - rate);
        // Dropped when the 24-bit draw u satisfies u * 2^-24 < rate, that is u < ceil(rate * 2^24).
        int dropBelow = (int) Math.ceil(rate * DECISION_LEVELS);
        long key = rng.nextLong();
        Tensor out = Tensor.zeros(x.shape());
        apply(x.data(), out.data(), key, dropBelow, keep);
        return GradientTape.record(out, g -> {
            apply(g, g, key, dropBelow, keep);
            x.addToGrad(g);
        }, x);
    }

    /** {@code out = x * mask(key)}, in chunks over the threads; {@code out} may be {@code x}. */
    private static void apply(float[] x, float[] out, long key, int dropBelow, float keep) {
        Kernels kern = Kernels.get();
        Parallel.forRange(x.length, GRAIN,
                (lo, hi) -> kern.dropout(x, lo, out, lo, hi - lo, key, lo, dropBelow, keep));
    }
}
