package org.embedrec.index;

import org.embedrec.engine.kernels.Kernels;

/**
 * Vectors scalar-quantised per dimension to one signed byte each, for the HNSW walk: a search
 * compares thousands of items by inner product and keeps only the order, and a byte per value is
 * a quarter of the memory traffic of a float (a 32-dimensional item is half a cache line instead
 * of two), which is what the walk waits on.
 *
 * <p>Dimension {@code d} spans {@code [min_d, max_d]} over the items in 256 steps of
 * {@code step_d = (max_d - min_d) / 255}; value {@code v} is stored as
 * {@code c = round((v - min_d) / step_d) - 128} and stands for {@code v' = min_d + (c + 128) step_d},
 * within {@code step_d / 2} of {@code v}. So {@code q . v' = bias(q) + sum_d (q_d step_d) c_d} with
 * {@code bias(q) = sum_d q_d (min_d + 128 step_d)}: a query is scaled once ({@link #prepare}),
 * after which each item costs one float-by-byte dot product ({@link #score}), and
 * {@code |q . v - q . v'| <= sum_d |q_d| step_d / 2} (plus float rounding).
 *
 * <p>Immutable after construction.
 */
final class QuantizedVectors {
    private final int size;
    private final int dim;
    private final byte[] codes;
    private final float[] min;
    private final float[] step;
    private final Kernels kernels = Kernels.get();

    private QuantizedVectors(int size, int dim, byte[] codes, float[] min, float[] step) {
        this.size = size;
        this.dim = dim;
        this.codes = codes;
        this.min = min;
        this.step = step;
    }

    /**
     * Row {@code r} of the result quantises row {@code order[r]} of {@code vectors}
     * (row-major, {@code dim} wide): the caller chooses the order the rows sit in memory.
     */
    static QuantizedVectors of(float[] vectors, int dim, int[] order) {
        int size = order.length;
        float[] min = new float[dim];
        float[] max = new float[dim];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < size; i++) {
            for (int d = 0; d < dim; d++) {
                float v = vectors[i * dim + d];
                min[d] = Math.min(min[d], v);
                max[d] = Math.max(max[d], v);
            }
        }
        float[] step = new float[dim];
        for (int d = 0; d < dim; d++) {
            // A constant dimension still gets a positive step, so that every code stands for min_d.
            step[d] = max[d] > min[d] ? (max[d] - min[d]) / 255f : 1f;
        }
        byte[] codes = new byte[Math.multiplyExact(size, dim)];
        for (int r = 0; r < size; r++) {
            int from = order[r] * dim;
            for (int d = 0; d < dim; d++) {
                int c = Math.round((vectors[from + d] - min[d]) / step[d]);
                codes[r * dim + d] = (byte) (Math.max(0, Math.min(255, c)) - 128);
            }
        }
        return new QuantizedVectors(size, dim, codes, min, step);
    }

    int size() {
        return size;
    }

    /**
     * Writes {@code q_d * step_d} into {@code scaled} (length {@code dim}) and returns
     * {@code bias(q)}: what {@link #score} needs of the query.
     */
    float prepare(float[] query, float[] scaled) {
        float bias = 0f;
        for (int d = 0; d < dim; d++) {
            scaled[d] = query[d] * step[d];
            bias += query[d] * (min[d] + 128 * step[d]);
        }
        return bias;
    }

    /** {@code q . v'} of row {@code row}, for a query {@link #prepare}d into {@code scaled} with this bias. */
    float score(float[] scaled, float bias, int row) {
        return bias + kernels.dotBytes(scaled, 0, codes, row * dim, dim);
    }

    /**
     * Reads the first and last byte of each of {@code rows[0..count)}'s codes (the two cache lines a
     * code can straddle) and returns their sum, for the caller to keep. Java has no prefetch
     * instruction; these loads depend on nothing but the row numbers, so their cache misses
     * overlap, and the dot products that follow find the codes in cache.
     */
    int touch(int[] rows, int count) {
        int sum = 0;
        for (int j = 0; j < count; j++) {
            int at = rows[j] * dim;
            sum += codes[at] + codes[at + dim - 1];
        }
        return sum;
    }

    /** The value row {@code row}'s code in dimension {@code d} stands for (for tests). */
    float decoded(int row, int d) {
        return min[d] + (codes[row * dim + d] + 128) * step[d];
    }

    /** Half the quantisation step of dimension {@code d}: no value is further from the one its code stands for (for tests). */
    float maxError(int d) {
        return step[d] / 2;
    }

    /** The heap the codes and ranges take, in bytes. */
    long bytes() {
        return codes.length + 8L * dim;
    }
}
