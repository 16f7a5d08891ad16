package org.embedrec.metrics;

/**
 * Hit rate at K: for one user, 1 if at least one relevant item is in the top K, else 0; the
 * result is the fraction of users with a hit. With one held-out item per user (leave-last-out)
 * it equals recall at K. Users with no relevant items are skipped (see {@link RankingMetric}).
 */
public final class HitRateAtK extends RankingMetric {

    public HitRateAtK(int k) {
        super(k);
    }

    @Override
    public String name() {
        return "hit_rate@" + k;
    }

    @Override
    double score(int[] ranked, int cutoff, int[] sortedRelevant) {
        for (int i = 0; i < cutoff; i++) {
            if (isRelevant(ranked[i], sortedRelevant)) {
                return 1.0;
            }
        }
        return 0.0;
    }

    /** Hit rate at K of one user (0 or 1); NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant, int k) {
        return new HitRateAtK(k).single(ranked, relevant);
    }
}
