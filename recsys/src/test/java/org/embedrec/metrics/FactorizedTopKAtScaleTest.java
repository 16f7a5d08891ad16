package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FactorizedTopK over many pairs per query (each user's test items), against a naive count.
 * Components are small integers, so every score is an exact integer whatever the order of
 * summation: the naive count must match exactly, ties included (they count for the truth).
 */
class FactorizedTopKAtScaleTest {

    private static float[] integers(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextInt(5) - 2;
        }
        return x;
    }

    private static int[] naiveHigher(float[] q, int n, float[] cat, int c, int dim, int[] truth) {
        int[] higher = new int[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int k = 0; k < dim; k++) {
                t += q[i * dim + k] * cat[truth[i] * dim + k];
            }
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += q[i * dim + k] * cat[j * dim + k];
                }
                if (s > t) {
                    higher[i]++;
                }
            }
        }
        return higher;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void manyPairsPerQueryGiveTheNaiveRanksOnAnyThreadCount(int threads) {
        Rng rng = new Rng(17 + threads);
        int users = 150;
        int c = 700;
        int dim = 6;
        int n = 2000;
        float[] userVectors = integers(rng, users * dim);
        float[] queries = new float[n * dim];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(userVectors, rng.nextInt(users) * dim, queries, i * dim, dim);
            truth[i] = rng.nextInt(c);
        }
        float[] catalogue = integers(rng, c * dim);
        int before = Parallel.threads();
        int[] higher;
        try {
            Parallel.setThreads(threads);
            higher = FactorizedTopK.higherCounts(queries, n, catalogue, c, dim, truth);
        } finally {
            Parallel.setThreads(before);
        }
        assertThat(higher).isEqualTo(naiveHigher(queries, n, catalogue, c, dim, truth));
    }

    @Test
    void groupsEqualRowsOnlyAndKeepsEveryPair() {
        float[] q = {1, 2, 0, -0f, 1, 2, 3, 4, 0, 0f, Float.NaN, 1};
        DistinctQueries d = DistinctQueries.of(q, 6, 2);
        // Rows: (1,2) x2, (0,-0), (3,4), (0,0), (NaN,1): -0 and 0 are different bits, so different rows.
        assertThat(d.count()).isEqualTo(5);
        int[] seen = new int[6];
        for (int g = 0; g < d.count(); g++) {
            for (int p = d.firstPair(g); p < d.firstPair(g + 1); p++) {
                int row = d.pair(p);
                seen[row]++;
                assertThat(Float.floatToRawIntBits(q[row * 2])).isEqualTo(Float.floatToRawIntBits(d.rows()[g * 2]));
                assertThat(Float.floatToRawIntBits(q[row * 2 + 1])).isEqualTo(
                        Float.floatToRawIntBits(d.rows()[g * 2 + 1]));
            }
        }
        assertThat(seen).containsOnly(1);
    }

    @Test
    void metricsFollowFromTheRanks() {
        // One query, catalogue scores 3, 1, 2 against q = (1): truths at items 0, 1, 2 have ranks 0, 2, 1.
        Map<String, Double> m = new FactorizedTopK(1, 2).computeWithRanks(new float[] {1, 1, 1}, 3,
                new float[] {3, 1, 2}, 3, 1, new int[] {0, 1, 2});
        assertThat(m.get("top_1_accuracy")).isEqualTo(1.0 / 3);
        assertThat(m.get("top_2_accuracy")).isEqualTo(2.0 / 3);
        assertThat(m.get("mrr")).isCloseTo((1 + 1.0 / 3 + 0.5) / 3, org.assertj.core.data.Offset.offset(1e-12));
    }
}
