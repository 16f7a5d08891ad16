package org.embedrec.models.sequential;

import java.util.Arrays;
import java.util.Map;
import org.embedrec.metrics.NextItemRanking;

/**
 * Ranks each query's target among the whole catalogue after its history, the history's items
 * excluded (see {@link NextItemRanking}), in batches of users.
 */
public final class NextItemEvaluation {
    static final int BATCH = 256;

    private NextItemEvaluation() {}

    /** HR@K, NDCG@K, MRR and their sampled variants (negatives from {@code seed}) of {@code scorer} on {@code queries}. */
    public static Map<String, Double> evaluate(NextItemScorer scorer, NextItemQueries queries, long seed) {
        NextItemRanking ranking = new NextItemRanking(seed);
        int n = queries.size();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            int[][] histories = Arrays.copyOfRange(queries.histories(), from, to);
            float[][] scores = scorer.scores(histories);
            for (int i = from; i < to; i++) {
                ranking.add(scores[i - from], queries.targets()[i], queries.histories()[i]);
            }
        }
        return ranking.result();
    }
}
