package org.embedrec.features;

import java.util.Arrays;
import java.util.Objects;

/**
 * The query side of retrieval examples after preprocessing ({@link QueryFeatures#encode}), one
 * entry per example: the user's lookup id, the timestamp's bucket, and the normalised timestamp.
 * The arrays are shared, not copied: they belong to whoever built the inputs, and readers (the
 * query tower) never write them.
 */
public record QueryInputs(int[] users, int[] timeBuckets, float[] normalizedTimes) {

    public QueryInputs {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(timeBuckets, "timeBuckets");
        Objects.requireNonNull(normalizedTimes, "normalizedTimes");
        if (timeBuckets.length != users.length || normalizedTimes.length != users.length) {
            throw new IllegalArgumentException("query inputs: " + users.length + " users, " + timeBuckets.length
                    + " time buckets and " + normalizedTimes.length + " normalised times; expected one of each per example");
        }
    }

    /** Number of examples. */
    public int size() {
        return users.length;
    }

    /** The inputs of the contiguous examples {@code [from, to)}: this object when that is all of them, else new arrays. */
    public QueryInputs range(int from, int to) {
        Objects.checkFromToIndex(from, to, users.length);
        if (from == 0 && to == users.length) {
            return this;
        }
        return new QueryInputs(Arrays.copyOfRange(users, from, to), Arrays.copyOfRange(timeBuckets, from, to),
                Arrays.copyOfRange(normalizedTimes, from, to));
    }
}
