package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.Rng;
import org.embedrec.index.TopKIndex.ScoredItem;

/**
 * The exact index against the obvious top K: score everything, sort, cut. Dims include large
 * ones so that even small indexes are split over several parallel tasks.
 */
class BruteForceIndexProperties {

    private static final int[] DIMS = {1, 2, 3, 8, 17, 64, 1024};

    @Property(tries = 150)
    void equalsTheNaiveTopKWithTiesAndExclusions(@ForAll @IntRange(min = 0, max = 300) int size,
                                                 @ForAll @IntRange(min = 0, max = 6) int dimChoice,
                                                 @ForAll @IntRange(min = 0, max = 310) int k,
                                                 @ForAll @DoubleRange(min = 0, max = 1) double excluded,
                                                 @ForAll long seed) {
        int dim = DIMS[dimChoice];
        Rng rng = new Rng(seed);
        // Values in [-2, 2]: exact in float, so the comparison is exact and ties are frequent.
        float[] vectors = RandomVectors.smallIntegers(rng, size * dim, 2);
        int n = 3;
        float[] queries = RandomVectors.smallIntegers(rng, n * dim, 2);
        IntPredicate[] excludes = new IntPredicate[n];
        for (int q = 0; q < n; q++) {
            excludes[q] = q == 0 ? null : RandomVectors.randomSubset(rng, size, excluded);
        }
        BruteForceIndex index = new BruteForceIndex(vectors, dim);

        List<List<ScoredItem>> batch = index.search(queries, n, k, q -> excludes[q]);
        for (int q = 0; q < n; q++) {
            List<ScoredItem> expected = RandomVectors.naiveTopK(vectors, dim, queries, q, k, excludes[q]);
            float[] query = Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
            assertThat(index.search(query, k, excludes[q])).containsExactlyElementsOf(expected);
            assertThat(batch.get(q)).containsExactlyElementsOf(expected);
        }
    }

    @Property(tries = 100)
    void findsTheTrueTopKOfRealValuedVectors(@ForAll @IntRange(min = 1, max = 400) int size,
                                             @ForAll @IntRange(min = 0, max = 6) int dimChoice,
                                             @ForAll @IntRange(min = 1, max = 50) int k,
                                             @ForAll @DoubleRange(min = 0, max = 0.9) double excluded,
                                             @ForAll long seed) {
        int dim = DIMS[dimChoice];
        Rng rng = new Rng(seed);
        float[] vectors = RandomVectors.gaussian(rng, size * dim);
        int n = 2;
        float[] queries = RandomVectors.gaussian(rng, n * dim);
        IntPredicate exclude = RandomVectors.randomSubset(rng, size, excluded);
        BruteForceIndex index = new BruteForceIndex(vectors, dim);
        List<List<ScoredItem>> batch = index.search(queries, n, k, q -> exclude);
        for (int q = 0; q < n; q++) {
            float[] query = Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
            assertIsTrueTopK(index.search(query, k, exclude), vectors, dim, queries, q, k, exclude);
            assertIsTrueTopK(batch.get(q), vectors, dim, queries, q, k, exclude);
        }
    }

    /**
     * Float sums differ from the double reference in the last bits, so near-ties may swap: check
     * instead that the result is ordered, its scores are the inner products, it has the right
     * length, and nothing left out scores above its last score.
     */
    private static void assertIsTrueTopK(List<ScoredItem> result, float[] vectors, int dim, float[] queries, int q,
                                         int k, IntPredicate exclude) {
        int size = vectors.length / dim;
        double tolerance = 1e-5 * dim;
        int allowed = 0;
        for (int i = 0; i < size; i++) {
            allowed += exclude.test(i) ? 0 : 1;
        }
        assertThat(result).hasSize(Math.min(k, allowed));
        assertThat(result).isSortedAccordingTo(TopKSelectorTest.ORDER);
        Set<Integer> ids = new HashSet<>();
        for (ScoredItem item : result) {
            assertThat(exclude.test(item.id())).as("item %d is excluded", item.id()).isFalse();
            assertThat((double) item.score()).isCloseTo(RandomVectors.dot(queries, q, vectors, item.id(), dim),
                    within(tolerance));
            ids.add(item.id());
        }
        double last = result.isEmpty() ? Double.POSITIVE_INFINITY : result.get(result.size() - 1).score();
        for (int i = 0; i < size; i++) {
            if (!ids.contains(i) && !exclude.test(i)) {
                assertThat(RandomVectors.dot(queries, q, vectors, i, dim)).as("left-out item %d", i)
                        .isLessThanOrEqualTo(last + tolerance);
            }
        }
    }
}
