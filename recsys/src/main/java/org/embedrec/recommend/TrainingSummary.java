package org.embedrec.recommend;

import java.util.Map;
import java.util.Objects;

/**
 * What a recommender keeps of its training interactions, for a caller that never holds them in
 * one place (a Spark cluster computes each part with aggregations where the rows are):
 * {@link Recommender#build(org.embedrec.models.FeatureModel, org.embedrec.features.FeatureEncoder,
 * org.embedrec.features.FeatureSource, org.embedrec.data.AttributeTable, TrainingSummary, Map)}
 * takes it instead of the rows. From rows in one place it is computed as {@link Recommender#build}
 * computes it; each part is defined there:
 *
 * @param history each user's seen catalogue rows and latest training time (the users with a training row)
 * @param recentOffsets user {@code u}'s recent items are {@code recentItems[recentOffsets[u] .. recentOffsets[u+1])}
 * @param recentItems per user of {@code history}, its latest distinct catalogue rows, newest first (later row first
 *     on equal times), at most 20
 * @param latestQueryValues per query column other than the user id and the time, each user's raw value in their latest
 *     training row (the latest time; of equal times, the later row), in {@code history}'s user order
 * @param itemCounts training rows per catalogue row (the popularity the fallback ranks by)
 * @param latestTimestamp the latest training time (the default time of a query)
 * @param dataFingerprint how the data is recognised in the saved provenance ({@code sha256:...})
 * @param dataRows every row the catalogue was made from
 * @param trainRows the training rows
 */
public record TrainingSummary(UserHistory history, int[] recentOffsets, int[] recentItems,
                              Map<String, String[]> latestQueryValues, long[] itemCounts, long latestTimestamp,
                              String dataFingerprint, long dataRows, long trainRows) {
    public TrainingSummary {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(dataFingerprint, "dataFingerprint");
        latestQueryValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(latestQueryValues));
        if (recentOffsets.length != history.size() + 1) {
            throw new IllegalArgumentException("training summary: " + recentOffsets.length + " recent-item offsets for "
                    + history.size() + " users; expected " + (history.size() + 1));
        }
        for (Map.Entry<String, String[]> e : latestQueryValues.entrySet()) {
            if (e.getValue().length != history.size()) {
                throw new IllegalArgumentException("training summary: " + e.getValue().length + " latest values of '"
                        + e.getKey() + "' for " + history.size() + " users");
            }
        }
        for (int k = 0; k < recentItems.length; k++) {
            if (recentItems[k] < 0 || recentItems[k] >= itemCounts.length) {
                throw new IllegalArgumentException("training summary: recent item " + recentItems[k] + " at position "
                        + k + " is outside the catalogue [0, " + itemCounts.length + ")");
            }
        }
    }

    /** Refuses a summary of another catalogue than the one of {@code size} items it is built with. */
    void requireCatalogueOf(int size) {
        if (itemCounts.length != size || history.catalogueSize() != size) {
            throw new IllegalArgumentException("training summary: item counts for " + itemCounts.length
                    + " items and a history over " + history.catalogueSize() + ", but the catalogue has " + size);
        }
    }
}
