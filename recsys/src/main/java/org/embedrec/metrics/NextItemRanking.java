package org.embedrec.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.engine.Rng;

/**
 * Next-item metrics from the rank of each user's one held-out item (leave-last-out evaluation):
 * HR@K (1 when the target is among the top K), NDCG@K ({@code 1 / log2(rank + 2)} when it is,
 * rank counted from 0: with one relevant item the ideal DCG is 1) and MRR ({@code 1 / (rank + 1)}),
 * each the mean over the users added, for K = 1, 5, 10, 20.
 *
 * <p>The full ranking ranks the whole catalogue except the items the user has already seen (the
 * target itself always stays in). Its rank is the number of candidates scored above it, ties going
 * to the lower item id, as {@link RankingMetric#topK} orders them. The sampled variant, reported
 * beside it with names prefixed {@code sampled_}, ranks the target among {@link #SAMPLED_NEGATIVES}
 * items drawn uniformly (seeded, without replacement) from the unseen ones, as SASRec's authors
 * evaluate; it is always labelled as sampled since it flatters every model.
 */
public final class NextItemRanking {
    /** The cut-offs reported. */
    public static final int[] CUTOFFS = {1, 5, 10, 20};
    /** Negatives per user of the sampled variant. */
    public static final int SAMPLED_NEGATIVES = 100;

    private final double[] hits = new double[CUTOFFS.length];
    private final double[] ndcg = new double[CUTOFFS.length];
    private final double[] sampledHits = new double[CUTOFFS.length];
    private final double[] sampledNdcg = new double[CUTOFFS.length];
    private double reciprocalRanks;
    private double sampledReciprocalRanks;
    private long users;
    private final Rng sampler;
    private boolean[] seenScratch = new boolean[0];

    /** {@code seed} seeds the sampled variant's negatives. */
    public NextItemRanking(long seed) {
        this.sampler = new Rng(seed);
    }

    /**
     * The 0-based rank of {@code target} among the items of {@code scores} that are not
     * {@code seen[item]} (the target always counts as unseen): the items scored above it, and
     * those scored equal with a lower id.
     */
    public static int rank(float[] scores, int target, boolean[] seen) {
        checkTarget(scores, target);
        float s = scores[target];
        int rank = 0;
        for (int j = 0; j < scores.length; j++) {
            if (j != target && !seen[j] && (scores[j] > s || (scores[j] == s && j < target))) {
                rank++;
            }
        }
        return rank;
    }

    /** Adds one user: the catalogue's {@code scores}, the held-out {@code target} and the ids of the items already seen. */
    public void add(float[] scores, int target, int[] seenItems) {
        checkTarget(scores, target);
        if (seenScratch.length != scores.length) {
            seenScratch = new boolean[scores.length];
        }
        boolean[] seen = seenScratch;
        for (int item : seenItems) {
            if (item < 0 || item >= scores.length) {
                throw new IllegalArgumentException("next-item ranking: seen item " + item + " is outside the catalogue [0, "
                        + scores.length + ")");
            }
            seen[item] = true;
        }
        seen[target] = false;
        accumulate(rank(scores, target, seen), hits, ndcg, true);
        accumulate(sampledRank(scores, target, seen), sampledHits, sampledNdcg, false);
        for (int item : seenItems) {
            seen[item] = false;
        }
        users++;
    }

    /** The metrics so far by name: {@code hr@K}, {@code ndcg@K}, {@code mrr}, then the same prefixed {@code sampled_}. */
    public Map<String, Double> result() {
        Map<String, Double> out = new LinkedHashMap<>();
        double n = Math.max(users, 1);
        for (int i = 0; i < CUTOFFS.length; i++) {
            out.put("hr@" + CUTOFFS[i], hits[i] / n);
            out.put("ndcg@" + CUTOFFS[i], ndcg[i] / n);
        }
        out.put("mrr", reciprocalRanks / n);
        for (int i = 0; i < CUTOFFS.length; i++) {
            out.put("sampled_hr@" + CUTOFFS[i], sampledHits[i] / n);
            out.put("sampled_ndcg@" + CUTOFFS[i], sampledNdcg[i] / n);
        }
        out.put("sampled_mrr", sampledReciprocalRanks / n);
        return out;
    }

    public long users() {
        return users;
    }

    /** The target's rank among {@link #SAMPLED_NEGATIVES} unseen items drawn without replacement (fewer if fewer exist). */
    private int sampledRank(float[] scores, int target, boolean[] seen) {
        int unseen = 0;
        for (int j = 0; j < scores.length; j++) {
            if (j != target && !seen[j]) {
                unseen++;
            }
        }
        int wanted = Math.min(SAMPLED_NEGATIVES, unseen);
        float s = scores[target];
        int rank = 0;
        // Rejection sampling marks drawn items in `seen` and clears them after, so nothing is drawn twice.
        int[] drawn = new int[wanted];
        for (int d = 0; d < wanted; ) {
            int j = sampler.nextInt(scores.length);
            if (j == target || seen[j]) {
                continue;
            }
            seen[j] = true;
            drawn[d++] = j;
            if (scores[j] > s || (scores[j] == s && j < target)) {
                rank++;
            }
        }
        for (int j : drawn) {
            seen[j] = false;
        }
        return rank;
    }

    private void accumulate(int rank, double[] hitSums, double[] ndcgSums, boolean full) {
        for (int i = 0; i < CUTOFFS.length; i++) {
            if (rank < CUTOFFS[i]) {
                hitSums[i] += 1;
                ndcgSums[i] += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
        if (full) {
            reciprocalRanks += 1.0 / (rank + 1);
        } else {
            sampledReciprocalRanks += 1.0 / (rank + 1);
        }
    }

    private static void checkTarget(float[] scores, int target) {
        if (target < 0 || target >= scores.length) {
            throw new IllegalArgumentException("next-item ranking: target " + target + " is outside the catalogue [0, "
                    + scores.length + ")");
        }
    }
}
