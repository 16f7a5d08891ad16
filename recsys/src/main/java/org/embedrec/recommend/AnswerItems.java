package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.embedrec.index.TopKIndex;
import org.embedrec.tasks.LabelRange;

/**
 * The items of an answer, described for the caller: each catalogue row found becomes a
 * {@link RecommendedItem} with its id, score, attributes and whether the asking user had it in
 * training. Also the two selections that do not go through an index: the best of given rows by
 * their scores, and the most popular rows.
 */
final class AnswerItems {
    private final Catalogue catalogue;
    private final UserHistory history;
    static final IntPredicate NOTHING_SEEN = row -> false;

    AnswerItems(Catalogue catalogue, UserHistory history) {
        this.catalogue = catalogue;
        this.history = history;
    }

    /** What an index found, in its order; {@code seen} says which rows the asker had. */
    List<RecommendedItem> found(List<TopKIndex.ScoredItem> found, IntPredicate seen) {
        List<RecommendedItem> out = new ArrayList<>(found.size());
        for (TopKIndex.ScoredItem s : found) {
            out.add(item(s.id(), s.score(), seen));
        }
        return out;
    }

    /** What an index found into buffers, {@code n} rows best first; {@code exclusions} says which rows the asker had. */
    List<RecommendedItem> found(int[] rows, float[] scores, int n, Exclusions exclusions) {
        RecommendedItem[] out = new RecommendedItem[n];
        for (int i = 0; i < n; i++) {
            out[i] = new RecommendedItem(catalogue.itemId(rows[i]), scores[i], exclusions.seen(rows[i]),
                    catalogue.title(rows[i]), catalogue.attributes(rows[i]));
        }
        return Arrays.asList(out);
    }

    /** The {@code k} best of {@code rows} by {@code scores}: larger score first, then the smaller row, as an index orders them. */
    List<RecommendedItem> best(int[] rows, float[] scores, int k, IntPredicate seen) {
        return best(rows, scores, null, k, seen);
    }

    /**
     * As {@link #best(int[], float[], int, IntPredicate)}, each chosen item's score given out
     * clipped to {@code range} when there is one (a rating): the order stays that of the unclipped
     * scores, so items clipped to the same value keep the model's order between them.
     */
    List<RecommendedItem> best(int[] rows, float[] scores, LabelRange range, int k, IntPredicate seen) {
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            // The order of TopKSelector: -0 equals +0, NaN is below every number, ties by row.
            float x = scores[a];
            float y = scores[b];
            if (x > y || (y != y && x == x)) {
                return -1;
            }
            if (x < y || (x != x && y == y)) {
                return 1;
            }
            return Integer.compare(rows[a], rows[b]);
        });
        int n = Math.min(k, rows.length);
        List<RecommendedItem> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float score = scores[order[i]];
            out.add(item(rows[order[i]], range == null ? score : range.clip(score), seen));
        }
        return out;
    }

    /** The {@code k} most popular rows that {@code exclusions} lets through, scored by their share of interactions. */
    List<RecommendedItem> popular(int k, Exclusions exclusions) {
        List<RecommendedItem> out = new ArrayList<>(Math.min(k, catalogue.size()));
        for (int row : catalogue.rowsByPopularity()) {
            if (out.size() == k) {
                break;
            }
            if (!exclusions.test(row)) {
                out.add(item(row, catalogue.popularity(row), NOTHING_SEEN));
            }
        }
        return out;
    }

    private RecommendedItem item(int row, float score, IntPredicate seen) {
        return new RecommendedItem(catalogue.itemId(row), score, seen.test(row),
                catalogue.title(row), catalogue.attributes(row));
    }
}
