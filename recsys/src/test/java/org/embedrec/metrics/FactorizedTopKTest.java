package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * Factorized top-K accuracy: a hand-computed case with ties; agreement with a naive
 * implementation on random embeddings of small integers (every dot product exact, so scores are
 * the same however they are summed, and ties are frequent) with duplicated catalogue rows; the
 * same result on 1 and 2 threads; non-finite scores; validation.
 */
class FactorizedTopKTest {

    /** Counts per query of candidates scoring strictly higher, by the definition, in double. */
    private static int[] naiveHigherCounts(float[] queries, int n, float[] catalogue, int c, int dim, int[] truth) {
        int[] higher = new int[n];
        for (int i = 0; i < n; i++) {
            double[] scores = new double[c];
            for (int j = 0; j < c; j++) {
                for (int k = 0; k < dim; k++) {
                    scores[j] += (double) queries[i * dim + k] * catalogue[j * dim + k];
                }
            }
            for (int j = 0; j < c; j++) {
                higher[i] += scores[j] > scores[truth[i]] ? 1 : 0;
            }
        }
        return higher;
    }

    private static float[] integers(Rng rng, int count, int range) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextInt(2 * range + 1) - range;
        }
        return v;
    }

    @Test
    void handComputed() {
        // Catalogue (1, 0), (0, 1), (1, 1), (1, 0) again; dim 2.
        float[] catalogue = {1, 0, 0, 1, 1, 1, 1, 0};
        // Query (2, 1) scores 2, 1, 3, 2. True 0: one higher (row 2), row 3 ties -> top-1 miss, top-2 hit.
        // Query (0, 1) scores 0, 1, 1, 0. True 2: none higher (row 1 ties) -> hit everywhere.
        // Query (1, -1) scores 1, -1, 0, 1. True 1: three higher -> miss at 1 and 2, hit at 4.
        float[] queries = {2, 1, 0, 1, 1, -1};
        int[] truth = {0, 2, 1};
        assertThat(FactorizedTopK.higherCounts(queries, 3, catalogue, 4, 2, truth)).containsExactly(1, 0, 3);
        Map<String, Double> result = new FactorizedTopK(4, 1, 2).compute(queries, 3, catalogue, 4, 2, truth);
        assertThat(result).containsExactly(Map.entry("top_1_accuracy", 1 / 3.0), Map.entry("top_2_accuracy", 2 / 3.0),
                Map.entry("top_4_accuracy", 1.0));
    }

    @Property(tries = 40)
    void equalsTheNaiveCountOnExactScoresWithTies(@ForAll @IntRange(min = 0, max = 150) int n,
                                                  @ForAll @IntRange(min = 1, max = 90) int distinct,
                                                  @ForAll @IntRange(min = 0, max = 30) int duplicates,
                                                  @ForAll @IntRange(min = 1, max = 40) int dim, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int c = distinct + duplicates;
        float[] catalogue = new float[c * dim];
        System.arraycopy(integers(rng, distinct * dim, 2), 0, catalogue, 0, distinct * dim);
        for (int r = distinct; r < c; r++) {
            System.arraycopy(catalogue, rng.nextInt(distinct) * dim, catalogue, r * dim, dim);
        }
        float[] queries = integers(rng, n * dim, 2);
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = rng.nextInt(c);
        }
        int[] expected = naiveHigherCounts(queries, n, catalogue, c, dim, truth);
        assertThat(FactorizedTopK.higherCounts(queries, n, catalogue, c, dim, truth)).containsExactly(expected);

        int[] ks = {1, 3, 10, 50};
        Map<String, Double> result = new FactorizedTopK(ks).compute(queries, n, catalogue, c, dim, truth);
        for (int k : ks) {
            int hits = 0;
            for (int h : expected) {
                hits += h < k ? 1 : 0;
            }
            if (n == 0) {
                assertThat(result.get(FactorizedTopK.key(k))).isNaN();
            } else {
                assertThat(result.get(FactorizedTopK.key(k))).isEqualTo(hits / (double) n);
            }
        }
    }

    @Test
    void sameResultOnOneAndTwoThreads() {
        int original = Parallel.threads();
        Rng rng = new Rng(9);
        int c = 300;
        int n = 5 * FactorizedTopK.chunkRows(c) + 7;
        int dim = 16;
        float[] queries = new float[n * dim];
        float[] catalogue = new float[c * dim];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = rng.uniform(-1f, 1f);
        }
        for (int i = 0; i < catalogue.length; i++) {
            catalogue[i] = rng.uniform(-1f, 1f);
        }
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = rng.nextInt(c);
        }
        try {
            Parallel.setThreads(1);
            int[] one = FactorizedTopK.higherCounts(queries, n, catalogue, c, dim, truth);
            Parallel.setThreads(2);
            int[] two = FactorizedTopK.higherCounts(queries, n, catalogue, c, dim, truth);
            assertThat(two).containsExactly(one);
            // Random scores: the counts spread over the catalogue, so this compares real work.
            assertThat(java.util.Arrays.stream(one).distinct().count()).isGreaterThan(100);
        } finally {
            Parallel.setThreads(original);
        }
    }

    @Test
    void nonFiniteScores() {
        float[] catalogue = {1, 0, 0, 1, Float.NaN, 0};
        // Query 0's true score is NaN: a miss at every K. Query 1's true score is finite and the
        // NaN candidate is not counted as higher: a hit at 1.
        float[] queries = {1, 0, 0, 1};
        Map<String, Double> result = new FactorizedTopK(1, 3).compute(queries, 2, catalogue, 3, 2, new int[] {2, 1});
        assertThat(result).containsExactly(Map.entry("top_1_accuracy", 0.5), Map.entry("top_3_accuracy", 0.5));
    }

    @Test
    void constructorValidatesAndSortsKs() {
        assertThat(new FactorizedTopK(100, 1, 10).ks()).containsExactly(1, 10, 100);
        assertThat(new FactorizedTopK(FactorizedTopK.DEFAULT_KS).ks()).containsExactly(1, 5, 10, 50, 100);
        assertThatThrownBy(FactorizedTopK::new)
                .hasMessage("FactorizedTopK: no K given; expected at least one, e.g. [1, 5, 10, 50, 100]");
        assertThatThrownBy(() -> new FactorizedTopK(5, 0))
                .hasMessage("FactorizedTopK: K = 0 in [5, 0], expected every K >= 1");
        assertThatThrownBy(() -> new FactorizedTopK(5, 1, 5))
                .hasMessage("FactorizedTopK: K = 5 appears twice in [5, 1, 5], expected distinct Ks");
    }

    @Test
    void inputErrorsNameWhatIsWrong() {
        FactorizedTopK metric = new FactorizedTopK(1);
        float[] two = new float[4];
        assertThatThrownBy(() -> metric.compute(new float[5], 2, two, 2, 2, new int[2]))
                .hasMessage("FactorizedTopK: queries hold 5 values, expected n * dim = 2 * 2 = 4");
        assertThatThrownBy(() -> metric.compute(two, 2, new float[6], 2, 2, new int[2]))
                .hasMessage("FactorizedTopK: catalogue holds 6 values, expected c * dim = 2 * 2 = 4");
        assertThatThrownBy(() -> metric.compute(two, 2, two, 2, 2, new int[3]))
                .hasMessage("FactorizedTopK: 3 true indices for 2 queries");
        assertThatThrownBy(() -> metric.compute(two, 2, two, 2, 2, new int[] {0, 2}))
                .hasMessage("FactorizedTopK: trueIndex[1] = 2 is outside the catalogue's 2 rows [0, 2)");
        assertThatThrownBy(() -> metric.compute(two, 2, two, 0, 2, new int[2]))
                .hasMessage("FactorizedTopK: n = 2, c = 0, dim = 2; expected n >= 0 queries, c >= 1 candidates,"
                        + " dim >= 1");
    }
}
