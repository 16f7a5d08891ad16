package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.index.HnswIndex.Settings;
import org.embedrec.index.TopKIndex.ScoredItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HnswIndexTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();
    private static final int SIZE = 3000;
    private static final int DIM = 16;
    private static float[] vectors;
    private static BruteForceIndex exact;
    private static HnswIndex hnsw;

    @BeforeAll
    static void buildSmallIndex() {
        vectors = RandomVectors.gaussian(new Rng(5), SIZE * DIM);
        exact = new BruteForceIndex(vectors, DIM);
        hnsw = HnswIndex.build(vectors, DIM);
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    /** The fraction of the true top K that {@code found} contains. */
    private static double recall(List<ScoredItem> truth, List<ScoredItem> found) {
        Set<Integer> ids = new HashSet<>();
        truth.forEach(item -> ids.add(item.id()));
        return found.stream().filter(item -> ids.contains(item.id())).count() / (double) truth.size();
    }

    /**
     * The specification's recall target: recall@10 against exact search on 100,000 random
     * 32-dimensional vectors, 200 queries, default settings. Build and query times are printed,
     * not asserted.
     */
    @Test
    void recallAt10OnAHundredThousandVectorsIsAtLeast95Percent() {
        int size = 100_000;
        int dim = 32;
        int n = 200;
        Rng rng = new Rng(2024);
        float[] items = RandomVectors.gaussian(rng, size * dim);
        float[] queries = RandomVectors.gaussian(rng, n * dim);
        BruteForceIndex truthIndex = new BruteForceIndex(items, dim);

        long start = System.nanoTime();
        HnswIndex index = HnswIndex.build(items, dim);
        long built = System.nanoTime();
        double recall = 0;
        long[] queryNanos = new long[n];
        for (int q = 0; q < n; q++) {
            float[] query = Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
            long t = System.nanoTime();
            List<ScoredItem> found = index.search(query, 10, null);
            queryNanos[q] = System.nanoTime() - t;
            recall += recall(truthIndex.search(query, 10, null), found);
        }
        recall /= n;
        Arrays.sort(queryNanos);
        System.out.printf("HNSW %,d x %d, %s: recall@10 %.4f, build %.1f s, median query %.0f us%n",
                size, dim, index.settings(), recall, (built - start) / 1e9, queryNanos[n / 2] / 1e3);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    /**
     * Item vectors as trained embeddings tend to be: a shared direction (popularity) plus a
     * smaller item-specific part, with norms spread over a factor of about 30.
     */
    private static float[] unequalNorms(Rng rng, int n, int dim) {
        float[] shared = RandomVectors.gaussian(rng, dim);
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double scale = 0.1 + 3 * rng.nextDouble();
            for (int d = 0; d < dim; d++) {
                v[i * dim + d] = (float) (scale * (shared[d] + 0.3 * rng.nextGaussian()));
            }
        }
        return v;
    }

    /**
     * Maximum inner product search on vectors of very unequal norms, where a graph on the raw
     * inner products links everything to the few longest items: the lift to one norm must still
     * find nearly the exact top K, with the exact scores and around excluded items.
     */
    @Test
    void findsTheTopKAmongVectorsOfVeryUnequalNorms() {
        Rng rng = new Rng(17);
        int n = 3000;
        int dim = 8;
        float[] items = unequalNorms(rng, n, dim);
        BruteForceIndex truthIndex = new BruteForceIndex(items, dim);
        HnswIndex index = HnswIndex.build(items, dim);
        int queries = 200;
        IntPredicate exclude = id -> id % 7 == 0;
        double recall = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = RandomVectors.gaussian(rng, dim);
            List<ScoredItem> found = index.search(query, 10, exclude);
            assertThat(found).hasSize(10).isSortedAccordingTo(TopKSelectorTest.ORDER)
                    .noneMatch(item -> exclude.test(item.id()));
            for (ScoredItem item : found) {
                assertThat(item.score()).isEqualTo(truthIndex.score(query, 0, item.id()));
            }
            recall += recall(truthIndex.search(query, 10, exclude), found);
        }
        // 0.94 measured; a graph on the raw inner products finds 0.25 of these.
        assertThat(recall / queries).isGreaterThanOrEqualTo(0.9);
    }

    /** Zero vectors have no Möbius transform; the graph is still built and searched, with finite scores. */
    @Test
    void zeroVectorsAreIndexed() {
        int n = 400;
        int dim = 4;
        HnswIndex zeros = HnswIndex.build(new float[n * dim], dim);
        assertThat(zeros.search(new float[] {1, 2, 3, 4}, 5, null)).hasSize(5).allMatch(item -> item.score() == 0);

        float[] items = RandomVectors.gaussian(new Rng(8), n * dim);
        Arrays.fill(items, 0, 10 * dim, 0); // items 0..9 are zero
        HnswIndex someZero = HnswIndex.build(items, dim);
        BruteForceIndex truthIndex = new BruteForceIndex(items, dim);
        float[] query = {1, -1, 0.5f, 2};
        assertThat(recall(truthIndex.search(query, 10, null), someZero.search(query, 10, null)))
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void scoresAreTheExactInnerProductsInExactOrder() {
        Rng rng = new Rng(1);
        for (int q = 0; q < 20; q++) {
            float[] query = RandomVectors.gaussian(rng, DIM);
            List<ScoredItem> found = hnsw.search(query, 10, null);
            assertThat(found).hasSize(10).isSortedAccordingTo(TopKSelectorTest.ORDER);
            for (ScoredItem item : found) {
                assertThat(item.score()).isEqualTo(exact.score(query, 0, item.id()));
            }
            assertThat(recall(exact.search(query, 10, null), found)).isGreaterThanOrEqualTo(0.9);
        }
    }

    /**
     * The walk compares byte codes, whose order differs from the exact one among close items;
     * the re-rank restores it: with a walk collecting all but one item, the answer is exact
     * search's, ids, order and score bits.
     */
    @Test
    void theExactReRankOfTheWalksCandidatesIsExactSearch() {
        HnswIndex nearlyAll = hnsw.withSettings(hnsw.settings().withEfSearch(SIZE - 1));
        Rng rng = new Rng(13);
        for (int q = 0; q < 20; q++) {
            float[] query = RandomVectors.gaussian(rng, DIM);
            IntPredicate exclude = q % 2 == 0 ? null : id -> id % 5 == 0;
            assertThat(nearlyAll.search(query, 10, exclude)).isEqualTo(exact.search(query, 10, exclude));
        }
    }

    /** The search's renumbered graph goes back to the built one, so the artifact saves what the builder made. */
    @Test
    void theGraphIsTheBuildersInItemIds() {
        HnswGraph built = HnswGraphBuilder.build(exact.rows(), DIM, Settings.DEFAULT);
        assertThat(hnsw.graph()).isEqualTo(built);
        HnswIndex reloaded = HnswIndex.of(vectors, DIM, Settings.DEFAULT, built);
        float[] query = RandomVectors.gaussian(new Rng(14), DIM);
        assertThat(reloaded.search(query, 10, null)).isEqualTo(hnsw.search(query, 10, null));
    }

    /**
     * Planted clusters shaped like trained embeddings (the serving benchmark's catalogue in small):
     * each item at cosine 0.5 to 0.8 to its cluster's centre, log-normal norms; queries near a
     * centre. Recall@10 against exact search at the default settings; 1.000 measured.
     */
    @Test
    void recallOnPlantedClustersIsAtLeast95Percent() {
        int size = 20_000;
        int dim = 32;
        int clusters = 200;
        Rng rng = new Rng(77);
        float[] centres = new float[clusters * dim];
        for (int c = 0; c < clusters; c++) {
            float[] unit = unit(RandomVectors.gaussian(rng, dim));
            System.arraycopy(unit, 0, centres, c * dim, dim);
        }
        float[] items = new float[size * dim];
        for (int i = 0; i < size; i++) {
            int c = i % clusters;
            double cos = 0.5 + 0.3 * rng.nextDouble();
            double norm = Math.exp(0.3 * rng.nextGaussian());
            float[] u = unit(RandomVectors.gaussian(rng, dim)); // nearly orthogonal to the centre in 32 dimensions
            for (int d = 0; d < dim; d++) {
                items[i * dim + d] = (float) (norm * (cos * centres[c * dim + d] + Math.sqrt(1 - cos * cos) * u[d]));
            }
        }
        BruteForceIndex truthIndex = new BruteForceIndex(items, dim);
        HnswIndex index = HnswIndex.build(items, dim);
        int queries = 200;
        double recall = 0;
        for (int q = 0; q < queries; q++) {
            int c = q % clusters;
            float[] noise = RandomVectors.gaussian(rng, dim);
            float[] query = new float[dim];
            for (int d = 0; d < dim; d++) {
                query[d] = centres[c * dim + d] + 0.1f * noise[d];
            }
            recall += recall(truthIndex.search(query, 10, null), index.search(query, 10, null));
        }
        System.out.printf("HNSW on planted clusters, %,d x %d: recall@10 %.4f%n", size, dim, recall / queries);
        assertThat(recall / queries).isGreaterThanOrEqualTo(0.95);
    }

    private static float[] unit(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += x * x;
        }
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) Math.sqrt(sq);
        }
        return v;
    }

    @Test
    void isExactWhenTheCandidatesCoverTheIndex() {
        HnswIndex wide = hnsw.withSettings(hnsw.settings().withEfSearch(SIZE));
        Rng rng = new Rng(2);
        for (int q = 0; q < 5; q++) {
            float[] query = RandomVectors.gaussian(rng, DIM);
            assertThat(wide.search(query, 7, null)).isEqualTo(exact.search(query, 7, null));
            assertThat(hnsw.search(query, SIZE + 1, id -> id % 2 == 0)).isEqualTo(exact.search(query, SIZE + 1, id -> id % 2 == 0));
        }
    }

    @Test
    void excludedItemsAreSkippedAndReplaced() {
        Rng rng = new Rng(3);
        for (int q = 0; q < 20; q++) {
            float[] query = RandomVectors.gaussian(rng, DIM);
            // Exclude the true top 20 and a random third of the rest.
            Set<Integer> top = new HashSet<>();
            exact.search(query, 20, null).forEach(item -> top.add(item.id()));
            IntPredicate third = RandomVectors.randomSubset(rng, SIZE, 1 / 3.0);
            IntPredicate exclude = id -> top.contains(id) || third.test(id);
            List<ScoredItem> found = hnsw.search(query, 10, exclude);
            assertThat(found).hasSize(10).noneMatch(item -> exclude.test(item.id()));
            assertThat(recall(exact.search(query, 10, exclude), found)).isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void fallsBackToExactWhenAlmostEverythingIsExcluded() {
        Set<Integer> allowed = Set.of(17, 400, 1234, 2999);
        IntPredicate exclude = id -> !allowed.contains(id);
        float[] query = RandomVectors.gaussian(new Rng(4), DIM);
        List<ScoredItem> found = hnsw.search(query, 10, exclude);
        assertThat(found).extracting(ScoredItem::id).containsExactlyInAnyOrderElementsOf(allowed);
        assertThat(found).isEqualTo(exact.search(query, 10, exclude));
    }

    @Test
    void oneSeedOneGraphWhateverTheThreadCount() {
        HnswIndex again = HnswIndex.build(vectors, DIM);
        int n = 40;
        float[] queries = RandomVectors.gaussian(new Rng(6), n * DIM);
        Parallel.setThreads(1);
        List<List<ScoredItem>> serial = hnsw.search(queries, n, 10, q -> id -> id % 3 == q % 3);
        Parallel.setThreads(3);
        List<List<ScoredItem>> parallel = again.search(queries, n, 10, q -> id -> id % 3 == q % 3);
        assertThat(parallel).isEqualTo(serial);
        for (int q = 0; q < n; q++) {
            float[] query = Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
            int r = q % 3;
            assertThat(hnsw.search(query, 10, id -> id % 3 == r)).isEqualTo(serial.get(q));
        }
    }

    /** The buffer-filling search answers what the list one does, for the graph, the exact fallback and exact search. */
    @Test
    void searchingIntoBuffersGivesTheListsItems() {
        Rng rng = new Rng(12);
        int[] ids = new int[SIZE];
        float[] scores = new float[SIZE];
        for (int q = 0; q < 20; q++) {
            float[] query = RandomVectors.gaussian(rng, DIM);
            int r = q % 3;
            IntPredicate exclude = q % 2 == 0 ? null : id -> id % 3 == r;
            for (TopKIndex index : List.of(hnsw, exact)) {
                for (int k : new int[] {0, 1, 10, SIZE + 1}) {
                    List<ScoredItem> list = index.search(query, k, exclude);
                    int n = index.search(query, k, exclude, ids, scores);
                    assertThat(n).isEqualTo(list.size());
                    for (int i = 0; i < n; i++) {
                        assertThat(new ScoredItem(ids[i], scores[i])).isEqualTo(list.get(i));
                    }
                }
            }
        }
    }

    @Test
    void emptyIndexAndKZero() {
        HnswIndex empty = HnswIndex.build(new float[0], 4);
        assertThat(empty.size()).isZero();
        assertThat(empty.graphBytes()).isZero();
        assertThat(empty.search(new float[4], 3, null)).isEmpty();
        assertThat(hnsw.search(new float[DIM], 0, null)).isEmpty();
        assertThat(hnsw.graphBytes()).isPositive();
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> HnswIndex.build(new float[] {1, Float.NaN}, 1))
                .hasMessage("vectors row 1, column 0 is NaN; expected a finite value");
        assertThatThrownBy(() -> hnsw.search(new float[DIM - 1], 3, null))
                .hasMessage("query: 15 values; expected dim 16");
        assertThatThrownBy(() -> hnsw.search(new float[DIM], -2, null)).hasMessage("k = -2; expected k >= 0");
        assertThatThrownBy(() -> new Settings(0, 50, 10, 1))
                .hasMessage("HNSW settings: maxConn = 0; expected 1..512");
        assertThatThrownBy(() -> new Settings(16, 5000, 10, 1))
                .hasMessage("HNSW settings: beamWidth = 5000; expected 1..3200");
        assertThatThrownBy(() -> new Settings(16, 50, 0, 1))
                .hasMessage("HNSW settings: efSearch = 0; expected >= 1");
        assertThatThrownBy(() -> hnsw.withSettings(new Settings(8, 50, 100, 42)))
                .hasMessageContaining("only efSearch may change");
    }
}
