package org.embedrec.recommend;

import java.util.List;
import java.util.OptionalLong;

/**
 * The answer to a {@link Query}: the items, best first, and where they come from.
 *
 * @param items at most the query's {@code k} items, best first (larger score, then the item's
 *     catalogue position on equal scores)
 * @param source what the answer is based on
 * @param time the query time the model was asked at; empty for a model that reads no time,
 *     the popularity fallback and similar items
 * @param unknownHistory the ids of the query's history that the catalogue does not hold, which
 *     were skipped (next-item models); empty otherwise
 */
public record Recommendations(List<RecommendedItem> items, Source source, OptionalLong time,
                              List<String> unknownHistory) {
    /** What an answer is based on. */
    public enum Source {
        /** A user the model was trained on, by their trained embedding and features. */
        USER,
        /** A row of query features (a user never seen), through the query tower. */
        FEATURES,
        /** A history of items given with the query (a user never seen), read by a next-item model. */
        HISTORY,
        /** No model answer was possible (a user never seen, and no features): the most popular items in training. */
        POPULARITY,
        /** Items near an item ({@link Recommender#similar}). */
        SIMILAR_ITEMS
    }

    public Recommendations {
        items = List.copyOf(items);
        unknownHistory = List.copyOf(unknownHistory);
    }

    /** An answer to a query without a history. */
    public Recommendations(List<RecommendedItem> items, Source source, OptionalLong time) {
        this(items, source, time, List.of());
    }
}
