package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

class MetricProperties {

    /** AUC by counting all positive-negative pairs, O(n^2): wins count 2, ties 1, over 2PN. */
    private static double bruteForceAuc(float[] scores, float[] labels) {
        long twice = 0;
        long p = 0;
        long n = 0;
        for (float l : labels) {
            if (l == 1f) {
                p++;
            } else {
                n++;
            }
        }
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (labels[i] == 1f && labels[j] == 0f) {
                    twice += scores[i] > scores[j] ? 2 : scores[i] == scores[j] ? 1 : 0;
                }
            }
        }
        return p == 0 || n == 0 ? Double.NaN : twice / (2.0 * p * (double) n);
    }

    @Property
    void aucEqualsBruteForcePairCount(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 20) Integer> rawScores,
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int batches) {
        // Few distinct score values, so that ties are common.
        int n = rawScores.size();
        float[] scores = new float[n];
        float[] labels = new float[n];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            scores[i] = rawScores.get(i) / 4f;
            labels[i] = random.nextInt(3) == 0 ? 1f : 0f;
        }
        AUC auc = new AUC();
        int step = Math.max(1, (n + batches - 1) / batches);
        for (int from = 0; from < n; from += step) {
            int to = Math.min(n, from + step);
            auc.update(Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(labels, from, to));
        }
        double expected = bruteForceAuc(scores, labels);
        if (Double.isNaN(expected)) {
            assertThat(auc.result()).isNaN();
        } else {
            assertThat(auc.result()).isEqualTo(expected);
        }
    }

    @Property
    void perfectRankingHasNdcgOne(@ForAll @UniqueElements @Size(min = 1, max = 30) List<Integer> items,
            @ForAll @IntRange(min = 1, max = 30) int relevantCount, @ForAll @IntRange(min = 1, max = 40) int k) {
        int r = Math.min(relevantCount, items.size());
        int[] ranked = items.stream().mapToInt(Integer::intValue).toArray();
        int[] relevant = Arrays.copyOf(ranked, r); // the relevant items are exactly the top r
        assertThat(NdcgAtK.compute(ranked, relevant, k)).isCloseTo(1.0, within(1e-12));
        assertThat(MeanReciprocalRank.compute(ranked, relevant)).isEqualTo(1.0);
        assertThat(HitRateAtK.compute(ranked, relevant, k)).isEqualTo(1.0);
    }

    @Property
    void rankingMetricsLieInTheUnitInterval(@ForAll @UniqueElements @Size(max = 30) List<@IntRange(min = 0, max = 60) Integer> ranked,
            @ForAll @UniqueElements @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 60) Integer> relevant,
            @ForAll @IntRange(min = 1, max = 40) int k) {
        int[] rk = ranked.stream().mapToInt(Integer::intValue).toArray();
        int[] rel = relevant.stream().mapToInt(Integer::intValue).toArray();
        for (double v : new double[] {RecallAtK.compute(rk, rel, k), PrecisionAtK.compute(rk, rel, k),
                NdcgAtK.compute(rk, rel, k), HitRateAtK.compute(rk, rel, k), MeanReciprocalRank.compute(rk, rel, k)}) {
            assertThat(v).isBetween(0.0, 1.0);
        }
        // Hit rate is 1 exactly when recall is positive.
        assertThat(HitRateAtK.compute(rk, rel, k) == 1.0).isEqualTo(RecallAtK.compute(rk, rel, k) > 0);
    }

    @Property
    void topKMatchesAFullSort(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 10) Integer> raw,
            @ForAll @IntRange(min = 1, max = 120) int k) {
        float[] scores = new float[raw.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = raw.get(i);
        }
        int[] expected = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        assertThat(RankingMetric.topK(scores, k)).containsExactly(expected);
    }
}
