package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.index.TopKIndex.ScoredItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BruteForceIndexTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();

    // Items 0..3 in 2-D; against the query (1, 2) they score 1, 2, 5, -3.
    private static final float[] ITEMS = {1, 0, 0, 1, 1, 2, -1, -1};
    private static final float[] QUERY = {1, 2};

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    @Test
    void handComputedTopK() {
        BruteForceIndex index = new BruteForceIndex(ITEMS, 2);
        assertThat(index.size()).isEqualTo(4);
        assertThat(index.dim()).isEqualTo(2);
        assertThat(index.search(QUERY, 2, null)).containsExactly(new ScoredItem(2, 5f), new ScoredItem(1, 2f));
        // Excluding the best two promotes the next: 1 (id 0), then -3 (id 3).
        assertThat(index.search(QUERY, 2, Set.of(2, 1)::contains))
                .containsExactly(new ScoredItem(0, 1f), new ScoredItem(3, -3f));
    }

    @Test
    void kOfZeroAndKBeyondTheSize() {
        BruteForceIndex index = new BruteForceIndex(ITEMS, 2);
        assertThat(index.search(QUERY, 0, null)).isEmpty();
        // K >= size returns every non-excluded item, sorted.
        assertThat(index.search(QUERY, 100, id -> id == 0)).extracting(ScoredItem::id).containsExactly(2, 1, 3);
        assertThat(index.search(QUERY, 100, id -> true)).isEmpty();
        assertThat(index.search(new float[] {1, 2, 0, 0}, 2, 100, null))
                .extracting(r -> r.size()).containsExactly(4, 4);
    }

    @Test
    void equalScoresComeOutBySmallerId() {
        // Every item scores 1 against (1, 1): the order is by id alone.
        BruteForceIndex index = new BruteForceIndex(new float[] {1, 0, 0, 1, 0.5f, 0.5f, 1, 0}, 2);
        assertThat(index.search(new float[] {1, 1}, 3, null)).extracting(ScoredItem::id).containsExactly(0, 1, 2);
        assertThat(index.search(new float[] {1, 1}, 3, id -> id == 1)).extracting(ScoredItem::id)
                .containsExactly(0, 2, 3);
    }

    @Test
    void emptyIndexFindsNothing() {
        BruteForceIndex index = new BruteForceIndex(new float[0], 3);
        assertThat(index.size()).isZero();
        assertThat(index.search(new float[3], 5, null)).isEmpty();
        assertThat(index.search(new float[6], 2, 5, null)).containsExactly(List.of(), List.of());
    }

    @Test
    void copiesTheVectors() {
        float[] items = ITEMS.clone();
        BruteForceIndex index = new BruteForceIndex(items, 2);
        items[4] = -100; // item 2, formerly the best
        assertThat(index.search(QUERY, 1, null)).containsExactly(new ScoredItem(2, 5f));
    }

    @Test
    void fromATensor() {
        BruteForceIndex index = BruteForceIndex.of(Tensor.of(ITEMS, 4, 2));
        assertThat(index.search(QUERY, 1, null)).containsExactly(new ScoredItem(2, 5f));
        assertThatThrownBy(() -> BruteForceIndex.of(Tensor.zeros(8)))
                .hasMessage("embeddings: shape [8]; expected rank 2, [size, dim]");
    }

    @Test
    void badVectorsAreNamedByRowAndColumn() {
        assertThatThrownBy(() -> new BruteForceIndex(new float[] {1, 2, 3, Float.NaN, 5, 6}, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vectors row 1, column 0 is NaN; expected a finite value");
        assertThatThrownBy(() -> new BruteForceIndex(new float[] {1, 2, Float.NEGATIVE_INFINITY}, 1))
                .hasMessage("vectors row 2, column 0 is -Infinity; expected a finite value");
        assertThatThrownBy(() -> new BruteForceIndex(new float[7], 2))
                .hasMessage("vectors: length 7 is not a whole number of rows of dim 2");
        assertThatThrownBy(() -> new BruteForceIndex(new float[4], 0)).hasMessage("dim = 0; expected dim >= 1");
        assertThatThrownBy(() -> new BruteForceIndex(null, 2))
                .hasMessage("vectors: null; expected a row-major [size, dim] array");
    }

    @Test
    void badQueriesAreNamed() {
        BruteForceIndex index = new BruteForceIndex(ITEMS, 2);
        assertThatThrownBy(() -> index.search(new float[3], 1, null)).hasMessage("query: 3 values; expected dim 2");
        assertThatThrownBy(() -> index.search(new float[] {0, Float.NaN}, 1, null))
                .hasMessage("query[1] is NaN; expected a finite value");
        assertThatThrownBy(() -> index.search(QUERY, -1, null)).hasMessage("k = -1; expected k >= 0");
        assertThatThrownBy(() -> index.search(new float[5], 2, 1, null))
                .hasMessage("queries: 5 values; expected n x dim = 2 x 2 = 4");
        assertThatThrownBy(() -> index.search(new float[] {1, 2, 3, Float.POSITIVE_INFINITY}, 2, 1, null))
                .hasMessage("queries row 1, column 1 is Infinity; expected a finite value");
        assertThatThrownBy(() -> index.search(new float[0], -1, 1, null)).hasMessage("n = -1 queries; expected n >= 0");
    }

    @Test
    void theThreadCountChangesNoBit() {
        // Large enough that both the single-query scan and the batch tiles split into several tasks.
        Rng rng = new Rng(11);
        int size = 20_000;
        int dim = 64;
        int n = 70; // more than one query block
        BruteForceIndex index = new BruteForceIndex(RandomVectors.gaussian(rng, size * dim), dim);
        float[] queries = RandomVectors.gaussian(rng, n * dim);
        List<List<List<ScoredItem>>> runs = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            List<List<ScoredItem>> run = new ArrayList<>(index.search(queries, n, 25, q -> id -> id % 7 == q % 7));
            for (int q = 0; q < 3; q++) {
                float[] query = Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
                run.add(index.search(query, 25, id -> id % 5 == 0));
            }
            runs.add(run);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
    }
}
