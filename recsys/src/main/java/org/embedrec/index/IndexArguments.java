package org.embedrec.index;

/**
 * The argument checks every top-K index applies at its entry points, so that each index fails
 * on the same bad input with the same message: the input's name, the position (row and column)
 * and what was expected.
 */
final class IndexArguments {

    private IndexArguments() {}

    /**
     * The number of rows of {@code vectors}, row-major {@code [rows, dim]}: checks that
     * {@code dim >= 1}, the length is a whole number of rows and every value is finite.
     */
    static int checkVectors(float[] vectors, int dim) {
        if (vectors == null) {
            throw new IllegalArgumentException("vectors: null; expected a row-major [size, dim] array");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim = " + dim + "; expected dim >= 1");
        }
        if (vectors.length % dim != 0) {
            throw new IllegalArgumentException("vectors: length " + vectors.length
                    + " is not a whole number of rows of dim " + dim);
        }
        checkFinite("vectors", vectors, dim);
        return vectors.length / dim;
    }

    /** Checks that {@code query} has {@code dim} finite values. */
    static void checkQuery(float[] query, int dim) {
        if (query == null) {
            throw new IllegalArgumentException("query: null; expected " + dim + " values");
        }
        if (query.length != dim) {
            throw new IllegalArgumentException("query: " + query.length + " values; expected dim " + dim);
        }
        checkFinite("query", query, dim);
    }

    /** Checks that {@code queries} holds {@code n} rows of {@code dim} finite values. */
    static void checkQueries(float[] queries, int n, int dim) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " queries; expected n >= 0");
        }
        if (queries == null) {
            throw new IllegalArgumentException("queries: null; expected " + n + " x " + dim + " values");
        }
        if (queries.length != (long) n * dim) {
            throw new IllegalArgumentException("queries: " + queries.length + " values; expected n x dim = "
                    + n + " x " + dim + " = " + (long) n * dim);
        }
        checkFinite("queries", queries, dim);
    }

    static void checkK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k = " + k + "; expected k >= 0");
        }
    }

    private static void checkFinite(String name, float[] values, int dim) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                String where = name.equals("query") ? "query[" + i + "]"
                        : name + " row " + i / dim + ", column " + i % dim;
                throw new IllegalArgumentException(where + " is " + v + "; expected a finite value");
            }
        }
    }
}
