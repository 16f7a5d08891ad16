package org.embedrec.spark;

import java.io.Serializable;
import java.util.List;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;

/**
 * One partition's share of a step's gradient, as sums over its rows of the batch (not means, so
 * that shares of different sizes add up to the batch's sum): per parameter, in the model's
 * parameter order, either the dense gradient or, for an embedding table, only the rows the
 * partition's examples looked up. Also the partition's loss sum and row count.
 */
final class Gradients implements Serializable {
    private static final long serialVersionUID = 1L;

    final int rows;
    final double lossSum;
    /** Dense gradient per parameter, null for a sparse one or one without a gradient. */
    final float[][] dense;
    /** Row ids per sparse parameter (null otherwise). */
    final int[][] sparseRows;
    /** Row values per sparse parameter, row-major in the order of {@link #sparseRows}. */
    final float[][] sparseValues;

    private Gradients(int rows, double lossSum, float[][] dense, int[][] sparseRows, float[][] sparseValues) {
        this.rows = rows;
        this.lossSum = lossSum;
        this.dense = dense;
        this.sparseRows = sparseRows;
        this.sparseValues = sparseValues;
    }

    /** No rows, no gradient. */
    static Gradients empty(int parameters) {
        return new Gradients(0, 0, new float[parameters][], new int[parameters][], new float[parameters][]);
    }

    /**
     * The gradients the last backward pass left on {@code params}, from the mean loss {@code meanLoss}
     * of {@code rows} rows, times {@code rows}: the gradient of the rows' sum.
     */
    static Gradients of(List<Parameter> params, int rows, float meanLoss) {
        int n = params.size();
        float[][] dense = new float[n][];
        int[][] sparseRows = new int[n][];
        float[][] sparseValues = new float[n][];
        for (int p = 0; p < n; p++) {
            Tensor v = params.get(p).value();
            if (v.hasSparseGradient()) {
                RowSparseGradient g = v.rowGradient();
                int count = g.rowCount();
                int width = g.width();
                int[] ids = new int[count];
                float[] values = new float[count * width];
                System.arraycopy(g.rows(), 0, ids, 0, count);
                for (int k = 0; k < values.length; k++) {
                    values[k] = g.values()[k] * rows;
                }
                sparseRows[p] = ids;
                sparseValues[p] = values;
            } else if (v.grad() != null) {
                float[] g = v.grad();
                float[] out = new float[g.length];
                for (int k = 0; k < g.length; k++) {
                    out[k] = g[k] * rows;
                }
                dense[p] = out;
            }
        }
        return new Gradients(rows, (double) meanLoss * rows, dense, sparseRows, sparseValues);
    }

    /** Adds these sums into {@code params}' gradients (dense buffers, or the tables' row gradients). */
    void addTo(List<Parameter> params) {
        for (int p = 0; p < params.size(); p++) {
            Tensor v = params.get(p).value();
            if (dense[p] != null) {
                float[] g = v.gradBuffer();
                for (int k = 0; k < g.length; k++) {
                    g[k] += dense[p][k];
                }
            } else if (sparseRows[p] != null) {
                RowSparseGradient g = v.rowGradient();
                int width = g.width();
                int[] ids = sparseRows[p];
                for (int s = 0; s < ids.length; s++) {
                    g.accumulate(ids[s], sparseValues[p], s * width);
                }
            }
        }
    }

    /** Divides every gradient on {@code params} by {@code rows}: the batch's sums become the mean loss's gradient. */
    static void divide(List<Parameter> params, int rows) {
        float scale = 1f / rows;
        for (Parameter param : params) {
            Tensor v = param.value();
            if (v.hasSparseGradient()) {
                RowSparseGradient g = v.rowGradient();
                float[] values = g.values();
                int end = g.rowCount() * g.width();
                for (int k = 0; k < end; k++) {
                    values[k] *= scale;
                }
            } else if (v.grad() != null) {
                float[] g = v.grad();
                for (int k = 0; k < g.length; k++) {
                    g[k] *= scale;
                }
            }
        }
    }
}
