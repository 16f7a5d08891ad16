package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The query side's preprocessing in the TensorFlow Recommenders "deep recommenders" tutorial:
 * the user id through a {@link StringLookup} (one OOV id, 0, for users unseen in training), the
 * timestamp through a {@link Discretization} into buckets, and the timestamp through a
 * {@link Normalization} as one float column.
 *
 * <p>{@link #adapt} learns all three from training data: the users' vocabulary, the timestamps'
 * mean and variance, and the tutorial's bucket boundaries {@code np.linspace(min, max, 1000)}:
 * 1000 equally spaced boundaries from the smallest to the largest training timestamp, hence 1001
 * buckets (bucket 0 holds times before the training range, bucket 1000 times at or after its
 * end). Timestamps are compared in {@code double}, exact for seconds since 1970.
 *
 * <p><b>JSON</b>: {@code {"type": "QueryFeatures", "version": 1, "users": StringLookup,
 * "timestamp_buckets": Discretization, "timestamp_normalization": Normalization}}, each
 * nested object in its layer's own scheme (see {@link PreprocessingLayer}).
 */
public final class QueryFeatures {
    static final String TYPE = "QueryFeatures";
    /** The number of bucket boundaries the tutorial spreads over the timestamp range. */
    public static final int TIMESTAMP_BOUNDARIES = 1000;

    private final StringLookup users;
    private final Discretization timestampBuckets;
    private final Normalization timestampNormalization;

    private QueryFeatures(StringLookup users, Discretization timestampBuckets, Normalization timestampNormalization) {
        this.users = Objects.requireNonNull(users, "users");
        this.timestampBuckets = Objects.requireNonNull(timestampBuckets, "timestampBuckets");
        this.timestampNormalization = Objects.requireNonNull(timestampNormalization, "timestampNormalization");
        if (timestampNormalization.features() != 1) {
            throw new IllegalArgumentException("QueryFeatures: the timestamp normalization must have 1 feature, it has "
                    + timestampNormalization.features());
        }
    }

    /** Features from already-built layers (a single-feature normalization). */
    public static QueryFeatures of(StringLookup users, Discretization timestampBuckets,
                                   Normalization timestampNormalization) {
        return new QueryFeatures(users, timestampBuckets, timestampNormalization);
    }

    /**
     * Adapts the three layers to training rows: {@code userIds[i]} and {@code timestamps[i]} of
     * row i (seconds, or any integer time unit).
     */
    public static QueryFeatures adapt(String[] userIds, long[] timestamps) {
        if (userIds.length != timestamps.length) {
            throw new IllegalArgumentException("QueryFeatures.adapt: " + userIds.length + " user ids and "
                    + timestamps.length + " timestamps; expected one of each per row");
        }
        if (userIds.length == 0) {
            throw new IllegalArgumentException("QueryFeatures.adapt: no training rows");
        }
        StringLookup users = StringLookup.builder().adapt(userIds).build();
        Normalization normalization = Normalization.builder().adapt(timestamps).build();
        long min = timestamps[0];
        long max = timestamps[0];
        for (long t : timestamps) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        return new QueryFeatures(users, Discretization.withBoundaries(linspace(min, max)), normalization);
    }

    /** The tutorial's boundaries for timestamps from {@code min} to {@code max}: {@link Discretization#linspace}. */
    static double[] linspace(long min, long max) {
        return Discretization.linspace(min, max, TIMESTAMP_BOUNDARIES).boundaries();
    }

    public StringLookup users() {
        return users;
    }

    public Discretization timestampBuckets() {
        return timestampBuckets;
    }

    public Normalization timestampNormalization() {
        return timestampNormalization;
    }

    /** Rows of the user embedding table: OOV id plus the users' vocabulary. */
    public int userVocabularySize() {
        return users.vocabularySize();
    }

    /** Rows of the timestamp embedding table: one per bucket. */
    public int timestampBucketCount() {
        return timestampBuckets.numBins();
    }

    /** The inputs of rows {@code (userIds[i], timestamps[i])}, in new arrays. */
    public QueryInputs encode(String[] userIds, long[] timestamps) {
        if (userIds.length != timestamps.length) {
            throw new IllegalArgumentException("QueryFeatures.encode: " + userIds.length + " user ids and "
                    + timestamps.length + " timestamps; expected one of each per row");
        }
        int[] u = users.lookup(userIds);
        int[] b = timestampBuckets.bucket(timestamps);
        float[] z = timestampNormalization.transform(timestamps);
        return new QueryInputs(u, b, z);
    }

    /** The inputs of one query. */
    public QueryInputs encode(String userId, long timestamp) {
        return encode(new String[] {userId}, new long[] {timestamp});
    }

    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("users", users.toJson());
        node.set("timestamp_buckets", timestampBuckets.toJson());
        node.set("timestamp_normalization", timestampNormalization.toJson());
        return node;
    }

    /** Reads what {@link #toJson()} wrote; errors name the field and what was expected. */
    public static QueryFeatures fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        StringLookup users = StringLookup.fromJson(LayerJson.field(node, "users", TYPE));
        Discretization buckets = Discretization.fromJson(LayerJson.field(node, "timestamp_buckets", TYPE));
        Normalization normalization = Normalization.fromJson(LayerJson.field(node, "timestamp_normalization", TYPE));
        try {
            return new QueryFeatures(users, buckets, normalization);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryFeatures other && users.equals(other.users)
                && timestampBuckets.equals(other.timestampBuckets)
                && timestampNormalization.equals(other.timestampNormalization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(users, timestampBuckets, timestampNormalization);
    }

    @Override
    public String toString() {
        return "QueryFeatures[" + users + ", " + timestampBuckets + ", " + timestampNormalization + "]";
    }
}
