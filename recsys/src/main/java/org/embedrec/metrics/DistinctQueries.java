package org.embedrec.metrics;

import java.util.Arrays;

/**
 * The distinct rows of a row-major {@code [n, dim]} query matrix, compared bit for bit, with the
 * rows (pairs) that have each. Equal rows score equally against every candidate, so a metric
 * computes one row of scores per distinct query and reads every pair of that query from it.
 *
 * <p>Rows are grouped by sorting a 32-bit hash of their bits with the row index; a row joins the
 * group before it only when its bits equal that group's first row, so a hash collision only
 * costs a missed merge, never a wrong one. Distinct rows come in hash order, and each group's
 * pairs in ascending order.
 */
final class DistinctQueries {
    private final float[] rows;
    private final int count;
    private final int[] firstPair;
    private final int[] pairs;

    private DistinctQueries(float[] rows, int count, int[] firstPair, int[] pairs) {
        this.rows = rows;
        this.count = count;
        this.firstPair = firstPair;
        this.pairs = pairs;
    }

    static DistinctQueries of(float[] queries, int n, int dim) {
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = ((long) hash(queries, i * dim, dim) << 32) | i;
        }
        Arrays.sort(keyed);
        int[] pairs = new int[n];
        int[] groupStart = new int[n + 1];
        int[] representative = new int[n];
        int groups = 0;
        for (int k = 0; k < n; k++) {
            int row = (int) keyed[k];
            pairs[k] = row;
            boolean sameHash = k > 0 && (keyed[k] >>> 32) == (keyed[k - 1] >>> 32);
            if (!sameHash || !bitsEqual(queries, row * dim, representative[groups - 1] * dim, dim)) {
                representative[groups] = row;
                groupStart[groups] = k;
                groups++;
            }
        }
        groupStart[groups] = n;
        float[] rows = new float[groups * dim];
        for (int g = 0; g < groups; g++) {
            System.arraycopy(queries, representative[g] * dim, rows, g * dim, dim);
        }
        return new DistinctQueries(rows, groups, Arrays.copyOf(groupStart, groups + 1), pairs);
    }

    /** The number of distinct rows. */
    int count() {
        return count;
    }

    /** The distinct rows, row-major {@code [count, dim]}. */
    float[] rows() {
        return rows;
    }

    /** Where distinct row {@code g}'s pairs start in {@link #pair}'s order ({@code g == count} gives the end). */
    int firstPair(int g) {
        return firstPair[g];
    }

    /** The original row index at position {@code p} of the grouped order. */
    int pair(int p) {
        return pairs[p];
    }

    /** Equality of raw bits: -0 and 0 differ, and a NaN equals only the same NaN, as the scores would. */
    private static boolean bitsEqual(float[] x, int a, int b, int dim) {
        for (int k = 0; k < dim; k++) {
            if (Float.floatToRawIntBits(x[a + k]) != Float.floatToRawIntBits(x[b + k])) {
                return false;
            }
        }
        return true;
    }

    private static int hash(float[] x, int from, int dim) {
        long h = 0x9E3779B97F4A7C15L;
        for (int k = 0; k < dim; k++) {
            h = (h ^ Float.floatToRawIntBits(x[from + k])) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        return (int) (h ^ (h >>> 32));
    }
}
