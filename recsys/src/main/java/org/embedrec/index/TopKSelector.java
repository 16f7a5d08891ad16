package org.embedrec.index;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.index.TopKIndex.ScoredItem;

/**
 * The best {@code capacity} of the (id, score) pairs offered to it: a bounded binary min-heap
 * whose root is the worst pair kept, on two parallel primitive arrays. A losing offer costs one
 * comparison with the root, a winning one O(log capacity); nothing is boxed until the result.
 *
 * <p>"Better" is a total order: the larger score, and on equal scores ({@code -0 == +0}) the
 * smaller id; NaN is below every number. Because the order is total, the pairs kept do not
 * depend on the order of the offers, so the chunks of a parallel scan can be selected
 * separately and merged with {@link #offerAll} to the same result on any thread count.
 */
final class TopKSelector {
    private int[] ids;
    private float[] scores;
    private int capacity;
    private int size;

    TopKSelector(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity = " + capacity + "; expected capacity >= 0");
        }
        ids = new int[capacity];
        scores = new float[capacity];
        this.capacity = capacity;
    }

    /** Empties the selector to keep {@code capacity} pairs, growing its arrays only when they are too small (for reuse per thread). */
    void reset(int capacity) {
        if (capacity > ids.length) {
            ids = new int[capacity];
            scores = new float[capacity];
        }
        this.capacity = capacity;
        size = 0;
    }

    int size() {
        return size;
    }

    /** Whether (a, ia) ranks before (b, ib). */
    static boolean better(float a, int ia, float b, int ib) {
        if (a > b) {
            return true;
        }
        if (a < b) {
            return false;
        }
        if (a == b) {
            return ia < ib;
        }
        // At least one NaN: any number beats NaN, two NaNs go by id.
        boolean aNaN = a != a;
        boolean bNaN = b != b;
        return aNaN == bNaN ? ia < ib : bNaN;
    }

    /**
     * A score below which an offer is surely not kept: the worst score kept once full, minus
     * infinity before. A scan compares with a local copy first, one comparison per item, and
     * refreshes it after each offer it makes; equal scores and NaN go on to {@link #wouldKeep}.
     */
    float threshold() {
        if (size < capacity) {
            return Float.NEGATIVE_INFINITY;
        }
        return capacity == 0 ? Float.POSITIVE_INFINITY : scores[0];
    }

    /**
     * Whether an offer of (id, score) would be kept now: there is room, or it beats the worst
     * pair kept. Lets a scan skip work (an exclusion test) for the pairs that would lose anyway.
     */
    boolean wouldKeep(int id, float score) {
        return size < capacity || capacity > 0 && better(score, id, scores[0], ids[0]);
    }

    /** Keeps (id, score) if it is among the best {@code capacity} so far; ids must be distinct. */
    void offer(int id, float score) {
        if (size < capacity) {
            siftUp(size++, id, score);
        } else if (capacity > 0 && better(score, id, scores[0], ids[0])) {
            siftDown(0, id, score);
        }
    }

    /** Offers every pair {@code other} keeps (leaving {@code other} unchanged). */
    void offerAll(TopKSelector other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.ids[i], other.scores[i]);
        }
    }

    /** The pairs kept, best first; empties the selector. */
    List<ScoredItem> drainSorted() {
        int n = size;
        // Heap sort in place: each pop moves the current worst behind the shrinking heap.
        for (int end = n - 1; end > 0; end--) {
            int worstId = ids[0];
            float worstScore = scores[0];
            size = end;
            siftDown(0, ids[end], scores[end]);
            ids[end] = worstId;
            scores[end] = worstScore;
        }
        size = 0;
        List<ScoredItem> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(new ScoredItem(ids[i], scores[i]));
        }
        return result;
    }

    /** The pairs kept, best first, into {@code outIds} and {@code outScores}; returns how many; empties the selector. */
    int drainSortedInto(int[] outIds, float[] outScores) {
        int n = size;
        for (int end = n - 1; end > 0; end--) {
            int worstId = ids[0];
            float worstScore = scores[0];
            size = end;
            siftDown(0, ids[end], scores[end]);
            ids[end] = worstId;
            scores[end] = worstScore;
        }
        size = 0;
        System.arraycopy(ids, 0, outIds, 0, n);
        System.arraycopy(scores, 0, outScores, 0, n);
        return n;
    }

    /** Places (id, score) at {@code pos}, a new leaf, moving better parents down. */
    private void siftUp(int pos, int id, float score) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!better(scores[parent], ids[parent], score, id)) {
                break;
            }
            ids[pos] = ids[parent];
            scores[pos] = scores[parent];
            pos = parent;
        }
        ids[pos] = id;
        scores[pos] = score;
    }

    /** Places (id, score) at {@code pos} within {@code [0, size)}, moving worse children up. */
    private void siftDown(int pos, int id, float score) {
        int n = size;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            int right = child + 1;
            if (right < n && better(scores[child], ids[child], scores[right], ids[right])) {
                child = right;
            }
            if (!better(score, id, scores[child], ids[child])) {
                break;
            }
            ids[pos] = ids[child];
            scores[pos] = scores[child];
            pos = child;
        }
        ids[pos] = id;
        scores[pos] = score;
    }
}
