package org.embedrec.metrics;

import java.util.Arrays;

/**
 * The shared accumulation of the top-K ranking metrics: each user contributes a ranked list of
 * item ids (best first) and the set of items relevant to them; the metric is the mean over
 * users of a per-user score computed on the first {@code min(K, list length)} items.
 *
 * <p>Conventions common to all of them:
 * <ul>
 *   <li>Users with no relevant items are skipped: they add nothing to the mean and are counted
 *       in {@link #skippedUsers()}. (Counting them as 0 would penalise a model for users it
 *       could never get right.) The per-user static {@code compute} methods return NaN for them.
 *   <li>A list shorter than K is used whole; K larger than the list is not an error.
 *   <li>The ranked list is taken as given. Ties in the scores behind it must be broken before;
 *       {@link #topK(float[], int)} breaks them by putting the lower item id first.
 *   <li>Item ids in the top K, and relevant ids, must be distinct; a duplicate is an error.
 * </ul>
 */
public abstract sealed class RankingMetric implements Metric
        permits RecallAtK, PrecisionAtK, NdcgAtK, HitRateAtK, MeanReciprocalRank {
    final int k;
    private double sum;
    private long users;
    private long skipped;

    RankingMetric(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("ranking metric: K must be >= 1, got " + k);
        }
        this.k = k;
    }

    /** The per-user score of {@code ranked[0, cutoff)} against the sorted, distinct, non-empty relevant ids. */
    abstract double score(int[] ranked, int cutoff, int[] sortedRelevant);

    public int k() {
        return k;
    }

    /** Adds one user: their ranked list (best first) and their relevant item ids. */
    public void update(int[] ranked, int[] relevant) {
        int[] rel = sortedDistinct(relevant);
        if (rel.length == 0) {
            skipped++;
            return;
        }
        int cutoff = Math.min(k, ranked.length);
        checkDistinct(ranked, cutoff);
        sum += score(ranked, cutoff, rel);
        users++;
    }

    /** Adds one user per row: {@code ranked[u]} against {@code relevant[u]}. */
    public void update(int[][] ranked, int[][] relevant) {
        if (ranked.length != relevant.length) {
            throw new IllegalArgumentException(name() + ": " + ranked.length + " ranked lists but " + relevant.length
                    + " relevant sets");
        }
        for (int u = 0; u < ranked.length; u++) {
            try {
                update(ranked[u], relevant[u]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name() + ": user " + u + ": " + e.getMessage(), e);
            }
        }
    }

    /** Users that contributed to the mean. */
    public long users() {
        return users;
    }

    /** Users skipped because they had no relevant items. */
    public long skippedUsers() {
        return skipped;
    }

    @Override
    public double result() {
        return users == 0 ? Double.NaN : sum / users;
    }

    @Override
    public void reset() {
        sum = 0;
        users = 0;
        skipped = 0;
    }

    /** The score of one user, or NaN if they have no relevant items. */
    double single(int[] ranked, int[] relevant) {
        update(ranked, relevant);
        return result();
    }

    static boolean isRelevant(int item, int[] sortedRelevant) {
        return Arrays.binarySearch(sortedRelevant, item) >= 0;
    }

    private int[] sortedDistinct(int[] relevant) {
        int[] rel = relevant.clone();
        Arrays.sort(rel);
        for (int i = 1; i < rel.length; i++) {
            if (rel[i] == rel[i - 1]) {
                throw new IllegalArgumentException(name() + ": relevant item " + rel[i] + " is listed more than once");
            }
        }
        return rel;
    }

    private void checkDistinct(int[] ranked, int cutoff) {
        int[] top = Arrays.copyOf(ranked, cutoff);
        Arrays.sort(top);
        for (int i = 1; i < top.length; i++) {
            if (top[i] == top[i - 1]) {
                throw new IllegalArgumentException(name() + ": item " + top[i] + " appears more than once in the top "
                        + cutoff + " of the ranked list");
            }
        }
    }

    /**
     * The indices of the {@code min(k, scores.length)} highest scores, best first; equal scores
     * are ordered by lower index first. O(n log k). NaN scores are rejected.
     */
    public static int[] topK(float[] scores, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topK: k must be >= 1, got " + k);
        }
        int size = Math.min(k, scores.length);
        // A min-heap of the best `size` indices by (score, -index): its root is the worst kept.
        int[] heap = new int[size];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("topK: score at position " + i + " is NaN");
            }
            if (n < size) {
                heap[n] = i;
                siftUp(heap, n++, scores);
            } else if (better(i, heap[0], scores)) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        int[] out = new int[size];
        for (int end = size - 1; end >= 0; end--) {
            out[end] = heap[0];
            heap[0] = heap[end];
            siftDown(heap, end, scores);
        }
        return out;
    }

    /** Whether index a ranks before index b. */
    private static boolean better(int a, int b, float[] scores) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    }

    private static void siftUp(int[] heap, int pos, float[] scores) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!better(heap[parent], heap[pos], scores)) {
                break;
            }
            swap(heap, parent, pos);
            pos = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] scores) {
        int pos = 0;
        while (true) {
            int left = 2 * pos + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(heap[left], heap[right], scores)) {
                worst = right;
            }
            if (!better(heap[pos], heap[worst], scores)) {
                return;
            }
            swap(heap, pos, worst);
            pos = worst;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }

    @Override
    public String toString() {
        return name() + "=" + result();
    }
}
