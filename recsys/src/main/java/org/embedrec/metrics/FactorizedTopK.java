package org.embedrec.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.engine.kernels.PackedMatrix;

/**
 * Factorized top-K accuracy: for each (query, true candidate) pair, score the query against
 * every candidate of the catalogue and count a hit at K when fewer than K candidates score
 * strictly higher than the true one (ties count in the true candidate's favour, as
 * {@code tf.math.in_top_k} in TensorFlow Recommenders does). The accuracy at K is the fraction
 * of queries with a hit.
 *
 * <p>Exact: pairs whose query vectors are bit for bit equal (a user's test items, under a
 * query tower that sees only the user) share one row of scores, so millions of pairs against a
 * large catalogue cost one product per distinct query ({@link DistinctQueries}). The catalogue is
 * packed for the SGEMM once per evaluation ({@link Kernels#pack}); the scores of a chunk of
 * distinct queries against it are one {@link Kernels#sgemmPacked} into a buffer reused chunk
 * after chunk, and the true candidate's score is read from the same row, so it is compared
 * with the others exactly as computed. The comparisons are a vector kernel too (a branch per
 * candidate would be mispredicted half the time on random scores, and cost four times the
 * SGEMM), counting all of a query's pairs in passes over its row, four true scores per pass. Chunks are split over {@link Parallel}
 * threads; each query's count is independent of the split, so the result is the same on any
 * number of threads. A query whose true score is not finite (a diverged model) is a miss at
 * every K, as in {@code in_top_k}; a NaN candidate score never counts as higher.
 */
public final class FactorizedTopK {
    public static final int[] DEFAULT_KS = {1, 5, 10, 50, 100};

    /** A chunk's score buffer holds about this many floats (1 MB): an L2-sized block of rows. */
    private static final int CHUNK_FLOATS = 1 << 18;
    /** The most floats a chunk's score buffer may take to amortise packing a large catalogue (32 MB). */
    private static final int LARGE_CHUNK_FLOATS = 1 << 23;

    private final int[] ks;

    /** The cut-offs to report, each positive and distinct, in any order; see {@link #DEFAULT_KS}. */
    public FactorizedTopK(int... ks) {
        if (ks == null || ks.length == 0) {
            throw new IllegalArgumentException("FactorizedTopK: no K given; expected at least one, e.g. "
                    + Arrays.toString(DEFAULT_KS));
        }
        int[] sorted = ks.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1) {
                throw new IllegalArgumentException("FactorizedTopK: K = " + sorted[i] + " in "
                        + Arrays.toString(ks) + ", expected every K >= 1");
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("FactorizedTopK: K = " + sorted[i] + " appears twice in "
                        + Arrays.toString(ks) + ", expected distinct Ks");
            }
        }
        this.ks = sorted;
    }

    /** The cut-offs, ascending. */
    public int[] ks() {
        return ks.clone();
    }

    /** The report key of K: {@code top_K_accuracy}. */
    public static String key(int k) {
        return "top_" + k + "_accuracy";
    }

    /**
     * Top-K accuracies, keyed by {@link #key}, of {@code n} queries (row-major {@code [n, dim]})
     * against a catalogue of {@code c} candidates ({@code [c, dim]}); {@code trueIndex[i]} is
     * query i's true candidate row. In ascending K; NaN for every K when {@code n == 0}.
     */
    public Map<String, Double> compute(float[] queries, int n, float[] catalogue, int c, int dim, int[] trueIndex) {
        int[] higher = higherCounts(queries, n, catalogue, c, dim, trueIndex);
        long[] hits = new long[ks.length];
        for (int count : higher) {
            for (int t = 0; t < ks.length; t++) {
                if (count < ks[t]) {
                    hits[t]++;
                }
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (int t = 0; t < ks.length; t++) {
            result.put(key(ks[t]), n == 0 ? Double.NaN : hits[t] / (double) n);
        }
        return result;
    }

    /**
     * {@link #compute}'s accuracies, and for the same ranking {@code ndcg_at_K} per K and
     * {@code mrr}. With one relevant candidate per query at rank {@code r} (0 = first: the
     * number of candidates scoring strictly higher), NDCG@K is {@code 1 / log2(r + 2)} when
     * {@code r < K} and 0 otherwise (the ideal DCG is 1), and the reciprocal rank is
     * {@code 1 / (r + 1)} over the whole catalogue; each is averaged over the queries. Recall@K
     * equals the top-K accuracy here, so it is not repeated.
     */
    public Map<String, Double> computeWithRanks(float[] queries, int n, float[] catalogue, int c, int dim,
                                                int[] trueIndex) {
        int[] higher = higherCounts(queries, n, catalogue, c, dim, trueIndex);
        double[] hits = new double[ks.length];
        double[] ndcg = new double[ks.length];
        double reciprocal = 0;
        for (int r : higher) {
            if (r == Integer.MAX_VALUE) {
                continue;
            }
            double gain = 1.0 / (Math.log(r + 2.0) / Math.log(2.0));
            for (int t = 0; t < ks.length; t++) {
                if (r < ks[t]) {
                    hits[t]++;
                    ndcg[t] += gain;
                }
            }
            reciprocal += 1.0 / (r + 1.0);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        for (int t = 0; t < ks.length; t++) {
            result.put(key(ks[t]), n == 0 ? Double.NaN : hits[t] / n);
        }
        for (int t = 0; t < ks.length; t++) {
            result.put("ndcg_at_" + ks[t], n == 0 ? Double.NaN : ndcg[t] / n);
        }
        result.put("mrr", n == 0 ? Double.NaN : reciprocal / n);
        return result;
    }

    /**
     * For each query, the number of candidates scoring strictly higher than its true candidate,
     * or {@link Integer#MAX_VALUE} when the true score is not finite.
     */
    static int[] higherCounts(float[] queries, int n, float[] catalogue, int c, int dim, int[] trueIndex) {
        validate(queries, n, catalogue, c, dim, trueIndex);
        DistinctQueries distinct = DistinctQueries.of(queries, n, dim);
        int[] higher = new int[n];
        int u = distinct.count();
        int chunkRows = chunkRows(c);
        int chunks = (u + chunkRows - 1) / chunkRows;
        Kernels kern = Kernels.get();
        PackedMatrix packedCatalogue = kern.pack(true, c, dim, catalogue, 0);
        Parallel.forRange(chunks, 1, (from, to) -> {
            float[] scores = new float[Math.min(chunkRows, u) * c];
            RowRanks ranks = new RowRanks();
            for (int chunk = from; chunk < to; chunk++) {
                int q0 = chunk * chunkRows;
                int rows = Math.min(chunkRows, u - q0);
                kern.sgemmPacked(rows, distinct.rows(), q0 * dim, packedCatalogue, scores, 0);
                for (int r = 0; r < rows; r++) {
                    ranks.count(kern, scores, r * c, c, distinct, q0 + r, trueIndex, higher);
                }
            }
        });
        return higher;
    }

    /**
     * Distinct queries per SGEMM: as many as fill {@link #CHUNK_FLOATS} scores (an L2-sized block),
     * but at least 16 while that stays within {@link #LARGE_CHUNK_FLOATS}. With the catalogue
     * packed once, a block of 16 rows against 59k items (3.8 MB of scores) stays in the shared
     * cache for the counts: 2M pairs took 31 s CPU, against 43 s with blocks of 128 (30 MB, which
     * spill to memory). From 8 (huge catalogues) to 256.
     */
    static int chunkRows(int c) {
        return Math.max(8, Math.max(Math.min(256, CHUNK_FLOATS / c), Math.min(16, LARGE_CHUNK_FLOATS / c)));
    }

    /**
     * One thread's buffers for the ranks of one distinct query's pairs within its row of scores:
     * the true scores are gathered and counted against the row together, one pass per few pairs.
     */
    private static final class RowRanks {
        private float[] truths = new float[16];
        private int[] pairs = new int[16];
        private int[] counts = new int[16];

        void count(Kernels kern, float[] scores, int base, int c, DistinctQueries distinct, int query,
                   int[] trueIndex, int[] higher) {
            int first = distinct.firstPair(query);
            int size = distinct.firstPair(query + 1) - first;
            if (truths.length < size) {
                truths = new float[size];
                pairs = new int[size];
                counts = new int[size];
            }
            int finite = 0;
            for (int p = 0; p < size; p++) {
                int pair = distinct.pair(first + p);
                float truth = scores[base + trueIndex[pair]];
                if (Float.isFinite(truth)) {
                    truths[finite] = truth;
                    pairs[finite++] = pair;
                } else {
                    higher[pair] = Integer.MAX_VALUE;
                }
            }
            kern.countGreater(scores, base, c, truths, 0, finite, counts, 0);
            for (int p = 0; p < finite; p++) {
                higher[pairs[p]] = counts[p];
            }
        }
    }

    private static void validate(float[] queries, int n, float[] catalogue, int c, int dim, int[] trueIndex) {
        if (n < 0 || c < 1 || dim < 1) {
            throw new IllegalArgumentException("FactorizedTopK: n = " + n + ", c = " + c + ", dim = " + dim
                    + "; expected n >= 0 queries, c >= 1 candidates, dim >= 1");
        }
        if (queries == null || queries.length != (long) n * dim) {
            throw new IllegalArgumentException("FactorizedTopK: queries hold " + (queries == null ? "no" : queries.length)
                    + " values, expected n * dim = " + n + " * " + dim + " = " + (long) n * dim);
        }
        if (catalogue == null || catalogue.length != (long) c * dim) {
            throw new IllegalArgumentException("FactorizedTopK: catalogue holds "
                    + (catalogue == null ? "no" : catalogue.length) + " values, expected c * dim = " + c + " * "
                    + dim + " = " + (long) c * dim);
        }
        if (trueIndex == null || trueIndex.length != n) {
            throw new IllegalArgumentException("FactorizedTopK: " + (trueIndex == null ? "no" : trueIndex.length)
                    + " true indices for " + n + " queries");
        }
        for (int i = 0; i < n; i++) {
            if (trueIndex[i] < 0 || trueIndex[i] >= c) {
                throw new IllegalArgumentException("FactorizedTopK: trueIndex[" + i + "] = " + trueIndex[i]
                        + " is outside the catalogue's " + c + " rows [0, " + c + ")");
            }
        }
    }
}
