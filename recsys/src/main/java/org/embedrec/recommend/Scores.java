package org.embedrec.recommend;

import java.util.List;
import org.embedrec.tasks.LabelRange;

/**
 * The model's scores of given items for one query ({@link Recommender#score}), in the order the
 * items were given.
 *
 * @param items one score per item asked about
 * @param source what the scores are based on
 * @param kind what the numbers mean
 * @param clippedTo the range {@code [min, max]} of the training labels that the predicted
 *     ratings were clipped to, as the rating metrics clip them; null when the scores are not
 *     clipped (not ratings, or a model saved before the range was kept)
 */
public record Scores(List<ItemScore> items, Recommendations.Source source, Kind kind, LabelRange clippedTo) {
    /** What a score means. */
    public enum Kind {
        /** The rating head's predicted rating (a regression rating task), clipped to {@link Scores#clippedTo()} when set. */
        RATING,
        /** The rating head's probability of a positive label (a binary cross-entropy rating task). */
        PROBABILITY,
        /** The inner product of query and candidate embeddings (a retrieval model without a rating head). */
        INNER_PRODUCT,
        /** The item's share of training interactions (the popularity fallback). */
        POPULARITY
    }

    /** One request of {@link Recommender#scoreAll}: who asks, and the items to score. */
    public record Request(Query query, List<String> itemIds) {
        public Request {
            java.util.Objects.requireNonNull(query, "query");
            itemIds = List.copyOf(itemIds);
        }
    }

    /** One item's score. */
    public record ItemScore(String itemId, float score) {}

    public Scores {
        items = List.copyOf(items);
    }

    /** Scores given as computed, clipped to no range. */
    public Scores(List<ItemScore> items, Recommendations.Source source, Kind kind) {
        this(items, source, kind, null);
    }
}
