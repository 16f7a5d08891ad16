package org.embedrec.metrics;

/**
 * Recall at K: for one user, {@code |relevant ∩ top-K| / |relevant|}; the result is the mean over
 * users. Users with no relevant items are skipped and a list shorter than K is used whole (see
 * {@link RankingMetric}).
 */
public final class RecallAtK extends RankingMetric {

    public RecallAtK(int k) {
        super(k);
    }

    @Override
    public String name() {
        return "recall@" + k;
    }

    @Override
    double score(int[] ranked, int cutoff, int[] sortedRelevant) {
        int hits = 0;
        for (int i = 0; i < cutoff; i++) {
            if (isRelevant(ranked[i], sortedRelevant)) {
                hits++;
            }
        }
        return (double) hits / sortedRelevant.length;
    }

    /** Recall at K of one user; NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant, int k) {
        return new RecallAtK(k).single(ranked, relevant);
    }
}
