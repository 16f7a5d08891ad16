package org.embedrec.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;

/**
 * A sum of gradients (a partition's share of a step, or the whole batch's on the driver), held
 * in double: per parameter, in the model's parameter order, either the dense gradient or, for an
 * embedding table, only the rows looked up ({@link RowSums}). Also the rows' count and loss sum.
 *
 * <p>Why double: the same batch split over 1 or 2 partitions adds the same float contributions
 * in another grouping. In float the regrouping changes the last bits, and Adam or Adagrad, which
 * divide each gradient by its own running size, turn the last bits of a gradient near 0 into a
 * visible fraction of the learning rate. In double the regrouping changes bits about 2^-29 of a
 * float's last bit, so the sum rounded to float once, at the end ({@link #writeMean}), is almost
 * always the same float whatever the partitioning.
 */
final class Gradients implements Serializable {
    private static final long serialVersionUID = 2L;

    int rows;
    double lossSum;
    /** Dense gradient sum per parameter, null for a sparse one or one without a gradient yet. */
    private final double[][] dense;
    /** Row sums per sparse parameter, null otherwise or when none was touched yet. */
    private final RowSums[] sparse;

    private Gradients(int parameters) {
        this.dense = new double[parameters][];
        this.sparse = new RowSums[parameters];
    }

    /** No rows, no gradient, for a model of {@code parameters} parameters. */
    static Gradients empty(int parameters) {
        return new Gradients(parameters);
    }

    /**
     * The gradients the last backward pass left on {@code params}, from the mean loss {@code meanLoss}
     * of {@code rows} rows, times {@code rows}: the gradient of the rows' sum.
     */
    static Gradients of(List<Parameter> params, int rows, float meanLoss) {
        Gradients g = new Gradients(params.size());
        g.addFrom(params, rows);
        g.rows = rows;
        g.lossSum = (double) meanLoss * rows;
        return g;
    }

    /** Adds {@code scale} times the gradients the last backward pass left on {@code params}. */
    void addFrom(List<Parameter> params, double scale) {
        for (int p = 0; p < params.size(); p++) {
            add(p, params.get(p).value(), scale, false);
        }
    }

    /**
     * Adds the gradients the last backward pass left on parameters {@code which} of {@code params}
     * and zeroes them, ready for the next pass (one sweep over the buffers rather than two).
     */
    void moveFrom(List<Parameter> params, int[] which) {
        for (int p : which) {
            add(p, params.get(p).value(), 1, true);
        }
    }

    private void add(int p, Tensor v, double scale, boolean zero) {
        if (v.hasSparseGradient()) {
            RowSparseGradient g = v.rowGradient();
            if (g.rowCount() == 0) {
                return;
            }
            if (sparse[p] == null) {
                sparse[p] = new RowSums(g.width());
            }
            sparse[p].add(g, scale);
            if (zero) {
                g.clear();
            }
        } else if (v.grad() != null) {
            float[] g = v.grad();
            if (dense[p] == null) {
                dense[p] = new double[g.length];
            }
            double[] sum = dense[p];
            for (int k = 0; k < g.length; k++) {
                sum[k] += g[k] * scale;
            }
            if (zero) {
                Arrays.fill(g, 0f);
            }
        }
    }

    /** Adds these sums, rows and loss into {@code total}. */
    void addTo(Gradients total) {
        total.rows += rows;
        total.lossSum += lossSum;
        for (int p = 0; p < dense.length; p++) {
            if (dense[p] != null) {
                if (total.dense[p] == null) {
                    total.dense[p] = new double[dense[p].length];
                }
                double[] sum = total.dense[p];
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += dense[p][k];
                }
            } else if (sparse[p] != null) {
                if (total.sparse[p] == null) {
                    total.sparse[p] = new RowSums(sparse[p].width);
                }
                total.sparse[p].add(sparse[p]);
            }
        }
    }

    /**
     * Sets {@code params}' gradients to these sums divided by {@code divisor}, each rounded to
     * float once; a table's rows are written in ascending row order, whatever order they came in.
     */
    void writeMean(List<Parameter> params, double divisor) {
        for (int p = 0; p < params.size(); p++) {
            Tensor v = params.get(p).value();
            v.zeroGrad();
            if (dense[p] != null) {
                float[] g = v.gradBuffer();
                double[] sum = dense[p];
                for (int k = 0; k < g.length; k++) {
                    g[k] = (float) (sum[k] / divisor);
                }
            } else if (sparse[p] != null) {
                sparse[p].writeMean(v.rowGradient(), divisor);
            }
        }
    }

    /**
     * One table's gradient as the rows touched, in double: the rows in order of first touch,
     * found through an open-addressing hash from row id to slot (rebuilt after deserialisation).
     */
    static final class RowSums implements Serializable {
        private static final long serialVersionUID = 1L;

        final int width;
        private int count;
        private int[] ids = new int[16];
        private double[] values;
        private transient int[] table;

        RowSums(int width) {
            this.width = width;
            this.values = new double[16 * width];
        }

        /** Adds {@code scale} times every row of {@code g}. */
        void add(RowSparseGradient g, double scale) {
            float[] src = g.values();
            for (int s = 0; s < g.rowCount(); s++) {
                int base = slotOf(g.row(s)) * width;
                int from = s * width;
                for (int j = 0; j < width; j++) {
                    values[base + j] += src[from + j] * scale;
                }
            }
        }

        /** Adds every row of {@code other}. */
        void add(RowSums other) {
            for (int s = 0; s < other.count; s++) {
                int base = slotOf(other.ids[s]) * width;
                int from = s * width;
                for (int j = 0; j < width; j++) {
                    values[base + j] += other.values[from + j];
                }
            }
        }

        void writeMean(RowSparseGradient out, double divisor) {
            int[] order = Arrays.copyOf(ids, count);
            Arrays.sort(order);
            float[] row = new float[width];
            for (int id : order) {
                int base = slotOf(id) * width;
                for (int j = 0; j < width; j++) {
                    row[j] = (float) (values[base + j] / divisor);
                }
                out.accumulate(id, row, 0);
            }
        }

        private int slotOf(int id) {
            if (table == null) {
                rehash(Math.max(32, Integer.highestOneBit(Math.max(1, count) * 4)));
            }
            int mask = table.length - 1;
            int h = mix(id) & mask;
            while (table[h] >= 0) {
                if (ids[table[h]] == id) {
                    return table[h];
                }
                h = (h + 1) & mask;
            }
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                values = Arrays.copyOf(values, count * 2 * width);
            }
            int slot = count++;
            ids[slot] = id;
            table[h] = slot;
            if (count * 2 > table.length) {
                rehash(table.length * 2);
            }
            return slot;
        }

        private void rehash(int capacity) {
            table = new int[capacity];
            Arrays.fill(table, -1);
            int mask = capacity - 1;
            for (int s = 0; s < count; s++) {
                int h = mix(ids[s]) & mask;
                while (table[h] >= 0) {
                    h = (h + 1) & mask;
                }
                table[h] = s;
            }
        }

        private static int mix(int x) {
            int h = x * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
