package org.embedrec.metrics;

/**
 * Normalised discounted cumulative gain at K with binary relevance: for one user,
 * {@code DCG = sum_{i=1..min(K, n)} rel_i / log2(i + 1)} over the ranked list (rel_i = 1 if the
 * item at rank i is relevant, else 0), and {@code IDCG = sum_{i=1..min(K, |relevant|)} 1 / log2(i + 1)},
 * the DCG of a perfect ranking; NDCG = DCG / IDCG, in [0, 1]. The result is the mean over users.
 * Users with no relevant items are skipped (IDCG would be 0); see {@link RankingMetric}.
 */
public final class NdcgAtK extends RankingMetric {

    public NdcgAtK(int k) {
        super(k);
    }

    @Override
    public String name() {
        return "ndcg@" + k;
    }

    @Override
    double score(int[] ranked, int cutoff, int[] sortedRelevant) {
        double dcg = 0;
        for (int i = 0; i < cutoff; i++) {
            if (isRelevant(ranked[i], sortedRelevant)) {
                dcg += discount(i + 1);
            }
        }
        double idcg = 0;
        int ideal = Math.min(k, sortedRelevant.length);
        for (int i = 1; i <= ideal; i++) {
            idcg += discount(i);
        }
        return dcg / idcg;
    }

    /** 1 / log2(rank + 1) for a 1-based rank. */
    private static double discount(int rank) {
        return Math.log(2) / Math.log(rank + 1.0);
    }

    /** NDCG at K of one user; NaN if they have no relevant items. */
    public static double compute(int[] ranked, int[] relevant, int k) {
        return new NdcgAtK(k).single(ranked, relevant);
    }
}
