package org.embedrec.data;

import java.util.Arrays;
import org.embedrec.engine.Rng;

/**
 * The order in which training visits {@code size} examples: each epoch a fresh permutation of
 * {@code [0, size)}, cut into consecutive batches of {@code batchSize} (the last one shorter
 * unless {@code dropLast}). The permutation of epoch {@code e} depends only on the seed and
 * {@code e}, so any epoch can be replayed (or resumed) without replaying the ones before it.
 */
public final class BatchOrder {
    private final int size;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;

    public BatchOrder(int size, int batchSize, long seed, boolean dropLast) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    public BatchOrder(int size, int batchSize, long seed) {
        this(size, batchSize, seed, false);
    }

    public int size() {
        return size;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int batchCount() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** The permutation of {@code [0, size)} for an epoch (0-based). */
    public int[] epochOrder(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        // Mix the epoch into the seed with a large odd constant so that neighbouring epochs
        // start SplitMix64 from far-apart states.
        return new Rng(seed ^ (0xD1B54A32D192ED03L * (epoch + 1))).permutation(size);
    }

    /** The example indices of batch {@code b} of a permutation from {@link #epochOrder(int)}. */
    public int[] batch(int[] order, int b) {
        if (b < 0 || b >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + b + " outside [0, " + batchCount() + ")");
        }
        int from = b * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(from + batchSize, size));
    }

    /** All batches of an epoch, in order. */
    public int[][] batches(int epoch) {
        int[] order = epochOrder(epoch);
        int[][] out = new int[batchCount()][];
        for (int b = 0; b < out.length; b++) {
            out[b] = batch(order, b);
        }
        return out;
    }
}
