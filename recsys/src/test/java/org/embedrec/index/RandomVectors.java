package org.embedrec.index;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.embedrec.engine.Rng;
import org.embedrec.index.TopKIndex.ScoredItem;

/** Test data for the indexes, and the top-K they must find computed the slow, obvious way. */
final class RandomVectors {

    private RandomVectors() {}

    static float[] gaussian(Rng rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    /**
     * Integers in {@code [-bound, bound]}: their inner products are exact in float in any
     * summation order (for moderate dims), so every kernel gives the same bits and ties are common.
     */
    static float[] smallIntegers(Rng rng, int n, int bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(2 * bound + 1) - bound;
        }
        return v;
    }

    /** The inner product of row {@code q} of {@code queries} with row {@code i} of {@code vectors}, in double. */
    static double dot(float[] queries, int q, float[] vectors, int i, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += (double) queries[q * dim + d] * vectors[i * dim + d];
        }
        return s;
    }

    /** Every non-excluded item scored in double, sorted best first (ties by smaller id), first k. */
    static List<ScoredItem> naiveTopK(float[] vectors, int dim, float[] queries, int q, int k, IntPredicate exclude) {
        int size = vectors.length / dim;
        List<ScoredItem> all = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (exclude == null || !exclude.test(i)) {
                all.add(new ScoredItem(i, (float) dot(queries, q, vectors, i, dim)));
            }
        }
        all.sort(TopKSelectorTest.ORDER);
        return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
    }

    /** Ids with a random membership: each id in {@code [0, size)} with probability {@code p}. */
    static IntPredicate randomSubset(Rng rng, int size, double p) {
        boolean[] in = new boolean[size];
        for (int i = 0; i < size; i++) {
            in[i] = rng.nextDouble() < p;
        }
        return id -> in[id];
    }
}
