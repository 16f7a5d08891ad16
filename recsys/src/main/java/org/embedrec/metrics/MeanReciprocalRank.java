package org.embedrec.metrics;

/**
 * Mean reciprocal rank: for one user, {@code 1 / r} where r is the 1-based rank of the first
 * relevant item in the ranked list, or 0 if no relevant item appears; the result is the mean
 * over users. {@code new MeanReciprocalRank()} looks at the whole list; {@code new
 * MeanReciprocalRank(k)} (MRR@K) only at its first K items, so a first hit below rank K counts 0.
 * Users with no relevant items are skipped (see {@link RankingMetric}).
 */
public final class MeanReciprocalRank extends RankingMetric {

    /** MRR over the whole ranked list, without cut-off. */
    public MeanReciprocalRank() {
        super(Integer.MAX_VALUE);
    }

    /** MRR@K: only the first K items count. */
    public MeanReciprocalRank(int k) {
        super(k);
    }

    @Override
    public String name() {
        return k == Integer.MAX_VALUE ? "mrr" : "mrr@" + k;
    }

    @Override
    double score(int[] ranked, int cutoff, int[] sortedRelevant) {
        for (int i = 0; i < cutoff; i++) {
            if (isRelevant(ranked[i], sortedRelevant)) {
                return 1.0 / (i + 1);
            }
        }
        return 0.0;
    }

    /** Reciprocal rank of one user over the whole list; NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant) {
        return new MeanReciprocalRank().single(ranked, relevant);
    }

    /** Reciprocal rank of one user within the first K items; NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant, int k) {
        return new MeanReciprocalRank(k).single(ranked, relevant);
    }
}
