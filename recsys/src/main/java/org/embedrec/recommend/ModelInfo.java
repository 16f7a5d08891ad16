package org.embedrec.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.embedrec.tasks.LabelRange;

/**
 * What a {@link Recommender} serves, for a health page, logs and metrics.
 *
 * @param kind "feature-model" (trained from a spec), "two-tower" (the preset) or "rating" (a
 *     rating preset, which only scores)
 * @param model the model's class or preset name
 * @param version the saved directory's version number ({@code DIR/N}), or 0 for a model built in
 *     memory or loaded from a directory written before versions
 * @param items the catalogue's size
 * @param users the number of users with training history
 * @param queryColumns the columns a query may give features by (besides the user id and time)
 * @param itemAttributes the items' attributes a filter may name
 * @param similarItems whether {@link Recommender#similar} answers (a rating preset has no
 *     candidate embeddings to compare items by)
 * @param scoreKind what {@link Recommender#score} returns
 * @param index how the catalogue is searched
 * @param provenance how the model was made: embedrec version, spec or configuration, data
 *     fingerprint, split, metrics at save time (as saved; fields differ by kind)
 * @param scoreRange the training labels' range that predicted ratings are clipped to when given
 *     out, or null when scores are not clipped (not ratings, or a model saved before the range
 *     was kept)
 */
public record ModelInfo(String kind, String model, long version, int items, int users, List<String> queryColumns,
                        List<String> itemAttributes, boolean similarItems, Scores.Kind scoreKind, String index,
                        JsonNode provenance, LabelRange scoreRange) {
    public ModelInfo {
        queryColumns = List.copyOf(queryColumns);
        itemAttributes = List.copyOf(itemAttributes);
    }
}
