package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Crosses two or more categorical features into one id in {@code [0, numBins)}, as the crossed
 * columns of Wide &amp; Deep (Keras' {@code HashedCrossing}). Feature values are ids (from a
 * lookup or a hashing); strings go through the {@code StableHash} string hash first.
 *
 * <p>The cross of values {@code v_1 .. v_m} is {@code h_m mod numBins} (unsigned), where
 * {@code h_0 = fmix64(salt)} and {@code h_j = fmix64(h_{j-1} ^ fmix64(v_j + j * 0x9E3779B97F4A7C15))}.
 * It depends on the order of the features: (a, b) and (b, a) are different crosses, as they are
 * different feature pairs. Deterministic on every JVM.
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code numBins}, {@code salt}.
 */
public final class CategoryCross implements PreprocessingLayer {
    static final String TYPE = "CategoryCross";

    private final HashBins bins;

    public CategoryCross(int numBins, long salt) {
        this(new HashBins(TYPE, numBins, salt));
    }

    public CategoryCross(int numBins) {
        this(numBins, 0L);
    }

    private CategoryCross(HashBins bins) {
        this.bins = bins;
    }

    public int numBins() {
        return bins.numBins();
    }

    public long salt() {
        return bins.salt();
    }

    private long start() {
        return StableHash.fmix64(bins.salt());
    }

    private static long step(long h, long value, int position) {
        return StableHash.fmix64(h ^ StableHash.fmix64(value + position * StableHash.GOLDEN_GAMMA));
    }

    public int cross(long a, long b) {
        return bins.bin(step(step(start(), a, 1), b, 2));
    }

    public int cross(long a, long b, long c) {
        return bins.bin(step(step(step(start(), a, 1), b, 2), c, 3));
    }

    /** The cross of two string features, each first hashed with {@code StableHash} (salt 0). */
    public int cross(String a, String b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("CategoryCross: feature " + (a == null ? 1 : 2) + " is null");
        }
        return cross(StableHash.hashString(a, 0L), StableHash.hashString(b, 0L));
    }

    /** Row-wise cross of two id columns: {@code out[i] = cross(a[i], b[i])}; {@code out} may be longer. */
    public void cross(int[] a, int[] b, int[] out) {
        cross(new int[][] {a, b}, out);
    }

    /**
     * Row-wise cross of {@code features.length >= 2} id columns of equal length:
     * {@code out[i] = cross(features[0][i], features[1][i], ...)}.
     */
    public void cross(int[][] features, int[] out) {
        if (features.length < 2) {
            throw new IllegalArgumentException("CategoryCross: needs at least 2 features, got " + features.length);
        }
        int n = features[0].length;
        for (int f = 1; f < features.length; f++) {
            if (features[f].length != n) {
                throw new IllegalArgumentException("CategoryCross: feature " + f + " has " + features[f].length
                        + " values, feature 0 has " + n);
            }
        }
        if (out.length < n) {
            throw new IllegalArgumentException("CategoryCross: output has " + out.length + " elements for " + n + " rows");
        }
        long start = start();
        for (int i = 0; i < n; i++) {
            long h = start;
            for (int f = 0; f < features.length; f++) {
                h = step(h, features[f][i], f + 1);
            }
            out[i] = bins.bin(h);
        }
    }

    @Override
    public ObjectNode toJson() {
        return bins.toJson();
    }

    public static CategoryCross fromJson(JsonNode node) {
        return new CategoryCross(HashBins.fromJson(node, TYPE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoryCross other && bins.equals(other.bins);
    }

    @Override
    public int hashCode() {
        return bins.hashCode();
    }

    @Override
    public String toString() {
        return bins.toString();
    }
}
