package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.embedrec.engine.Rng;
import org.embedrec.index.BruteForceIndex;
import org.embedrec.index.TopKIndex;
import org.junit.jupiter.api.Test;

/** Inner products through the equal-norm lift: the exact scores, and nearly the exact top K. */
class EqualNormHnswIndexTest {

    /**
     * Item vectors as trained embeddings tend to be: a shared direction (popularity) plus a
     * smaller item-specific part, with norms spread over a factor of about 30.
     */
    private static float[] anisotropic(int n, int dim, Rng rng) {
        float[] shared = new float[dim];
        for (int d = 0; d < dim; d++) {
            shared[d] = (float) rng.nextGaussian();
        }
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double scale = 0.1 + 3 * rng.nextDouble();
            for (int d = 0; d < dim; d++) {
                v[i * dim + d] = (float) (scale * (shared[d] + 0.3 * rng.nextGaussian()));
            }
        }
        return v;
    }

    @Test
    void findsNearlyTheExactTopKWithTheExactScores() {
        Rng rng = new Rng(17);
        int n = 3000;
        int dim = 8;
        float[] items = anisotropic(n, dim, rng);
        BruteForceIndex exact = new BruteForceIndex(items, dim);
        EqualNormHnswIndex lifted = new EqualNormHnswIndex(items, dim);
        assertThat(lifted.size()).isEqualTo(n);
        assertThat(lifted.dim()).isEqualTo(dim);

        int queries = 200;
        int found = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = new float[dim];
            for (int d = 0; d < dim; d++) {
                query[d] = (float) rng.nextGaussian();
            }
            List<TopKIndex.ScoredItem> approx = lifted.search(query, 10, i -> i % 7 == 0);
            assertThat(approx).hasSize(10);
            for (TopKIndex.ScoredItem s : approx) {
                assertThat(s.id() % 7).isNotZero();
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += (double) query[d] * items[s.id() * dim + d];
                }
                assertThat((double) s.score()).isCloseTo(dot, within(1e-4 * Math.max(1, Math.abs(dot))));
            }
            Set<Integer> truth = new HashSet<>();
            for (TopKIndex.ScoredItem s : exact.search(query, 10, i -> i % 7 == 0)) {
                truth.add(s.id());
            }
            for (TopKIndex.ScoredItem s : approx) {
                found += truth.contains(s.id()) ? 1 : 0;
            }
        }
        // 0.94 measured (a graph on the raw inner products finds 0.25 of these).
        assertThat(found / (10.0 * queries)).isGreaterThanOrEqualTo(0.9);
    }
}
