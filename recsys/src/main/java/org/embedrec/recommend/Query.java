package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Who asks, and what they want back: one request to {@link Recommender#recommend}.
 *
 * <p>Who asks is a user id, a row of raw query features, or both:
 * <ul>
 *   <li>a user the model was trained on ({@link #user}): their query features are those of their
 *       latest training interaction, each replaced by the one given here, if any;
 *   <li>a user never seen in training, or no user at all, with features ({@link #features}):
 *       the query tower embeds them like any training row, the unknown id going to its
 *       out-of-vocabulary bucket and every feature not given reading as missing;
 *   <li>a user never seen, with no features: the answer is the most popular items, marked
 *       {@link Recommendations.Source#POPULARITY}.
 * </ul>
 * Features are named by the data column they are read from (the spec's feature {@code column},
 * its name unless given); a feature's own name is accepted for its column. The user id and the
 * time are not features here: they have their own fields.
 *
 * <p>What they want back: the {@code k} best items ({@code 1 <= k <=} {@value #MAX_K}, fewer when
 * fewer items are left after the exclusions), leaving out the items the user had in training
 * ({@code excludeSeen}), the items of {@code exclude} and those {@code filter} does not allow.
 * Ids in {@code exclude} or in the filter's allow-list that the catalogue does not hold are
 * ignored. {@code time} is the query's timestamp (seconds since 1970, as in the training data):
 * by default a known user's latest training interaction, or the latest in training for anyone
 * else; a model that reads no time ignores it.
 *
 * <p>A next-item model ({@code gru4rec}, {@code sasrec}, {@code pop}) also reads a {@code history}:
 * item ids, oldest first, that the user interacted with. For a known user it extends their saved
 * history (what they did since training); for anyone else it is the whole history, and the
 * answer comes from it ({@link Recommendations.Source#HISTORY}). Ids the catalogue does not hold
 * are skipped and listed in the answer ({@link Recommendations#unknownHistory()}); at most
 * {@value #MAX_HISTORY} ids. The history's items count as seen ({@code excludeSeen}). Other
 * models refuse a history.
 *
 * <p>Immutable and validated when built: a bad field is an {@link IllegalArgumentException}
 * naming it. Checks that need the model (feature names, filter attributes) happen when it is
 * asked.
 *
 * @param userId the user's raw id, or null for a row of features alone
 * @param features raw feature values by column name, in the order given
 * @param k how many items, at most
 * @param excludeSeen whether to leave out what the user interacted with in training
 * @param exclude item ids to leave out
 * @param filter the items allowed, {@link ItemFilter#NONE} for all
 * @param time the query's time, or empty for the default
 * @param history item ids the user interacted with, oldest first (next-item models only); empty for none
 */
public record Query(String userId, Map<String, String> features, int k, boolean excludeSeen, Set<String> exclude,
                    ItemFilter filter, OptionalLong time, List<String> history) {
    /** The largest {@code k} a query may ask for; larger is refused rather than clamped, so the size of an answer is bounded. */
    public static final int MAX_K = 10_000;
    /** The {@code k} of a query that does not say. */
    public static final int DEFAULT_K = 10;
    /** The most item ids a query's history may hold. */
    public static final int MAX_HISTORY = 10_000;

    public Query {
        if (userId != null && userId.isBlank()) {
            throw new IllegalArgumentException("userId: blank; give a user id, or none for a row of features");
        }
        features = copyFeatures(features);
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k = " + k + "; expected 1 to " + MAX_K);
        }
        Set<String> excluded = new LinkedHashSet<>();
        for (String id : Objects.requireNonNull(exclude, "exclude")) {
            if (id == null) {
                throw new IllegalArgumentException("exclude: a null item id");
            }
            excluded.add(id);
        }
        exclude = java.util.Collections.unmodifiableSet(excluded);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(history, "history");
        if (history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException("history: " + history.size() + " items; at most " + MAX_HISTORY);
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) == null) {
                throw new IllegalArgumentException("history[" + i + "]: null; expected an item id");
            }
        }
        history = List.copyOf(history);
    }

    private static Map<String, String> copyFeatures(Map<String, String> features) {
        Objects.requireNonNull(features, "features");
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : features.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("features: a feature without a name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("features['" + e.getKey() + "']: null; give a value, or leave the "
                        + "feature out to have it read as missing");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** A query for {@code userId}, top {@value #DEFAULT_K} by default. */
    public static Builder user(String userId) {
        return new Builder().user(userId);
    }

    /** A query from a row of raw features alone (a user never seen), top {@value #DEFAULT_K} by default. */
    public static Builder features(Map<String, String> features) {
        return new Builder().features(features);
    }

    /** A builder with nothing set: no user, no features, k {@value #DEFAULT_K}, nothing excluded. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this query. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.userId = userId;
        b.features.putAll(features);
        b.k = k;
        b.excludeSeen = excludeSeen;
        b.exclude.addAll(exclude);
        b.filter = filter;
        b.time = time;
        b.history.addAll(history);
        return b;
    }

    /** Builds a {@link Query}; every setter returns the builder. */
    public static final class Builder {
        private String userId;
        private final Map<String, String> features = new LinkedHashMap<>();
        private int k = DEFAULT_K;
        private boolean excludeSeen;
        private final Set<String> exclude = new LinkedHashSet<>();
        private ItemFilter filter = ItemFilter.NONE;
        private OptionalLong time = OptionalLong.empty();
        private final List<String> history = new ArrayList<>();

        private Builder() {}

        public Builder user(String value) {
            this.userId = value;
            return this;
        }

        /** Sets one raw feature value, by its column name. */
        public Builder feature(String column, String value) {
            features.put(Objects.requireNonNull(column, "feature name"), value);
            return this;
        }

        /** Sets raw feature values by column name, keeping those set before. */
        public Builder features(Map<String, String> values) {
            Objects.requireNonNull(values, "features").forEach(features::put);
            return this;
        }

        public Builder k(int value) {
            this.k = value;
            return this;
        }

        public Builder excludeSeen(boolean value) {
            this.excludeSeen = value;
            return this;
        }

        /** Adds item ids to leave out. */
        public Builder exclude(Collection<String> itemIds) {
            for (String id : Objects.requireNonNull(itemIds, "exclude")) {
                exclude.add(Objects.requireNonNull(id, "exclude: a null item id"));
            }
            return this;
        }

        public Builder filter(ItemFilter value) {
            this.filter = Objects.requireNonNull(value, "filter");
            return this;
        }

        /** The query's time, seconds since 1970. */
        public Builder at(long epochSeconds) {
            this.time = OptionalLong.of(epochSeconds);
            return this;
        }

        /** Adds item ids to the history, oldest first (for a next-item model). */
        public Builder history(List<String> itemIds) {
            history.addAll(Objects.requireNonNull(itemIds, "history"));
            return this;
        }

        public Query build() {
            return new Query(userId, features, k, excludeSeen, exclude, filter, time, history);
        }
    }
}
