package org.embedrec.metrics;

/**
 * Precision at K: for one user, {@code |relevant ∩ top-K| / K}; the result is the mean over users.
 * The denominator is K even when the list is shorter than K (missing slots count as misses, the
 * usual definition). Users with no relevant items are skipped (see {@link RankingMetric}).
 */
public final class PrecisionAtK extends RankingMetric {

    public PrecisionAtK(int k) {
        super(k);
    }

    @Override
    public String name() {
        return "precision@" + k;
    }

    @Override
    double score(int[] ranked, int cutoff, int[] sortedRelevant) {
        int hits = 0;
        for (int i = 0; i < cutoff; i++) {
            if (isRelevant(ranked[i], sortedRelevant)) {
                hits++;
            }
        }
        return (double) hits / k;
    }

    /** Precision at K of one user; NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant, int k) {
        return new PrecisionAtK(k).single(ranked, relevant);
    }
}
