package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * The training loss of biased matrix factorisation, fused into one op: for {@code n} examples
 * (user {@code u_r}, item {@code i_r}, target {@code y_r}),
 * <pre>
 * e_r  = ((p_u . q_i) + mu) + (b_u + b_i) - y_r
 * loss = (1/n) sum_r e_r^2  +  sum_r itemL2[r] |q_i|^2  +  sum_r userL2[r] |p_u|^2
 * </pre>
 * with {@code p}, {@code q} rows of the user and item factor tables and {@code b} entries of the
 * width-1 bias tables. Backward, row {@code r} sends {@code 2 q_i (g/n) e_r + 2 p_u g userL2[r]}
 * to {@code p_u}, the mirror image to {@code q_i}, and {@code 2 (g/n) e_r} to both biases.
 *
 * <p>Why: this is the whole step of the {@code mf} preset, which as an op graph (gather, dot,
 * bias adds, squared error, mean, and per tower a square, a weighted product and a sum for the L2
 * term) builds a dozen tensors of {@code n x d} floats per batch and walks each once; fused, a
 * row is read where it is used and its gradient goes straight into the table's row gradient.
 *
 * <p>The float operations are those of that op graph, in its order, so the loss and every
 * gradient are the same bits: the prediction as written above ({@code Kernels.dot} for the
 * product), the squared-error mean and each penalty summed in double as {@code Ops.sum} and
 * {@code Ops.mean} sum ({@link #OrderedSum}), the loss as {@code (mean + item term) + user term};
 * backward {@code 2f * e_r * (g / n)}, {@code 2f * x * ((0 + g) * l2[r])} for a factor's penalty
 * share, then {@code Kernels.axpy} of the product's share into it, and each row's gradient added
 * to its table's in example order ({@link RowSparseGradient#accumulate}, or a dense gradient as
 * {@code Ops.gatherRows} scatters it). {@code MatrixFactorizationLossTest} holds the op to the
 * graph bit for bit.
 *
 * <p>On two threads the forward pass runs the mean and the two penalties side by side, and
 * backward the user side's tables and the item side's: each of these is a chain of additions in
 * a fixed order, run whole on one thread, so the bits do not depend on the thread count.
 */
final class MatrixFactorizationLoss {
    private static final String OP = "matrixFactorizationLoss";
    /** Below this many factor values in a batch the op runs on the calling thread: waking a helper costs more. */
    static final int PARALLEL_MIN_VALUES = 16384;

    private MatrixFactorizationLoss() {}

    static Tensor apply(Tensor userFactors, Tensor itemFactors, Tensor userBias, Tensor itemBias, float globalBias,
                        int[] users, int[] items, float[] targets, float[] userL2, float[] itemL2) {
        int n = checkExamples(users, items, targets, userL2, itemL2);
        int d = checkTable("userFactors", userFactors, -1);
        checkTable("itemFactors", itemFactors, d);
        checkTable("userBias", userBias, 1);
        checkTable("itemBias", itemBias, 1);
        checkIds("users", users, userFactors, userBias);
        checkIds("items", items, itemFactors, itemBias);
        if (userFactors == itemFactors || userFactors == userBias || userFactors == itemBias
                || itemFactors == userBias || itemFactors == itemBias || userBias == itemBias) {
            // Shared tables would take their gradients from two threads, and in another order than the graph's.
            throw new IllegalArgumentException(OP + ": the four tables must be distinct tensors");
        }
        if (!Float.isFinite(globalBias)) {
            throw new IllegalArgumentException(OP + ": globalBias " + globalBias + ", expected finite");
        }
        float[] p = userFactors.data();
        float[] q = itemFactors.data();
        float[] errors = new float[n];
        // The mean's sum and the two penalties are three chains of additions in a fixed order:
        // each runs whole on one thread, the three side by side.
        float[] parts = new float[3];
        inParallel(3, (long) n * d, part -> {
            switch (part) {
                case 0 -> parts[0] = meanSquaredError(p, q, userBias.data(), itemBias.data(), d, globalBias, users,
                        items, targets, errors);
                case 1 -> parts[1] = itemL2 == null ? 0f : penalty(q, items, d, itemL2);
                default -> parts[2] = userL2 == null ? 0f : penalty(p, users, d, userL2);
            }
        });
        float loss = parts[0];
        if (itemL2 != null) {
            loss += parts[1];
        }
        if (userL2 != null) {
            loss += parts[2];
        }
        Tensor out = Tensor.scalar(loss);
        return GradientTape.record(out, g -> backward(g[0], userFactors, itemFactors, userBias, itemBias, users, items,
                errors, userL2, itemL2), userFactors, itemFactors, userBias, itemBias);
    }

    /** The mean of the squared errors, each example's error kept in {@code errors}. */
    private static float meanSquaredError(float[] p, float[] q, float[] bu, float[] bi, int d, float globalBias,
                                          int[] users, int[] items, float[] targets, float[] errors) {
        Kernels kern = Kernels.get();
        int n = errors.length;
        OrderedSum squares = new OrderedSum(n);
        for (int r = 0; r < n; r++) {
            float head = kern.dot(p, users[r] * d, q, items[r] * d, d) + globalBias;
            float e = head + (bu[users[r]] + bi[items[r]]) - targets[r];
            errors[r] = e;
            squares.add(e * e);
        }
        return (float) (squares.total() / n);
    }

    /** A part of the op's work, one of a few that may run side by side. */
    @FunctionalInterface
    private interface Part {
        void run(int part);
    }

    /**
     * Runs parts {@code 0 .. parts-1}, on the engine's threads when the batch's {@code values}
     * are enough to pay for waking one; each part whole on one thread, so its order of
     * operations, and its bits, do not depend on the thread count.
     */
    private static void inParallel(int parts, long values, Part body) {
        if (values < PARALLEL_MIN_VALUES) {
            for (int k = 0; k < parts; k++) {
                body.run(k);
            }
            return;
        }
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                body.run(k);
            }
        });
    }

    /** {@code sum_r l2[r] |row_r|^2}, each term {@code (x * x) * l2[r]}, summed in flat order as {@code Ops.sum}. */
    private static float penalty(float[] table, int[] ids, int d, float[] l2) {
        OrderedSum sum = new OrderedSum((long) ids.length * d);
        for (int r = 0; r < ids.length; r++) {
            sum.addSquares(table, ids[r] * d, d, l2[r]);
        }
        return (float) sum.total();
    }

    private static void backward(float g, Tensor userFactors, Tensor itemFactors, Tensor userBias, Tensor itemBias,
                                 int[] users, int[] items, float[] errors, float[] userL2, float[] itemL2) {
        int n = errors.length;
        int d = userFactors.dim(1);
        Rows userRows = Rows.of(userFactors, d);
        Rows itemRows = Rows.of(itemFactors, d);
        Rows userBiasRows = Rows.of(userBias, 1);
        Rows itemBiasRows = Rows.of(itemBias, 1);
        // The user side's tables and the item side's take their gradients on separate threads;
        // each table's rows still arrive in example order.
        inParallel(2, (long) n * d, side -> {
            if (side == 0) {
                sideBackward(g, userFactors.data(), users, itemFactors.data(), items, d, errors, userL2, userRows,
                        userBiasRows);
            } else {
                sideBackward(g, itemFactors.data(), items, userFactors.data(), users, d, errors, itemL2, itemRows,
                        itemBiasRows);
            }
        });
    }

    /**
     * The gradients of one side's factor rows ({@code own}, looked up by {@code ownIds}; the other
     * side's rows are {@code other}) and biases, added to {@code factorRows} and {@code biasRows}
     * (each null when its table takes none) in example order.
     */
    private static void sideBackward(float g, float[] own, int[] ownIds, float[] other, int[] otherIds, int d,
                                     float[] errors, float[] l2, Rows factorRows, Rows biasRows) {
        Kernels kern = Kernels.get();
        // The graph's gradient reaches each penalty sum through an add into a zeroed buffer, the
        // mean directly; the bias columns likewise through an add into zeros (0 + x turns -0 into +0).
        float penaltyGrad = 0f + g;
        float meanGrad = g / errors.length;
        float[] row = new float[d];
        float[] bias = new float[1];
        for (int r = 0; r < errors.length; r++) {
            float ge = 2f * errors[r] * meanGrad;
            if (factorRows != null) {
                int off = ownIds[r] * d;
                penaltyShare(own, off, d, l2 == null ? 0f : penaltyGrad * l2[r], l2 != null, row);
                kern.axpy(ge, other, otherIds[r] * d, row, 0, d);
                factorRows.add(ownIds[r], row);
            }
            if (biasRows != null) {
                bias[0] = 0f + ge;
                biasRows.add(ownIds[r], bias);
            }
        }
    }

    /** {@code out = 2f * x * factor} over a row (the square's rule), or zeros without a penalty. */
    private static void penaltyShare(float[] table, int off, int d, float factor, boolean penalised, float[] out) {
        if (!penalised) {
            java.util.Arrays.fill(out, 0f);
            return;
        }
        for (int j = 0; j < d; j++) {
            out[j] = 2f * table[off + j] * factor;
        }
    }

    /** Where a table's row gradients go: its row-sparse gradient, or its dense one as a scatter-add. */
    private record Rows(RowSparseGradient sparse, float[] dense, int width) {
        /** Null when the table takes no gradient. */
        static Rows of(Tensor table, int width) {
            if (!table.requiresGrad()) {
                return null;
            }
            return table.hasSparseGradient() ? new Rows(table.rowGradient(), null, width)
                    : new Rows(null, table.gradBuffer(), width);
        }

        void add(int row, float[] g) {
            if (sparse != null) {
                sparse.accumulate(row, g, 0);
                return;
            }
            int base = row * width;
            for (int j = 0; j < width; j++) {
                dense[base + j] += g[j];
            }
        }
    }

    /**
     * A sum of floats in double with the four interleaved accumulators of {@code Ops.sum} and
     * {@code Ops.mean} (element {@code k} into accumulator {@code k mod 4}, the last
     * {@code size mod 4} elements into the first, then {@code (s0 + s1) + (s2 + s3)}), fed one
     * element at a time in flat order, so that it needs no array of the elements.
     */
    static final class OrderedSum {
        private final long bound;
        private long next;
        private double s0;
        private double s1;
        private double s2;
        private double s3;

        OrderedSum(long size) {
            this.bound = size & ~3L;
        }

        void add(float x) {
            long k = next++;
            if (k >= bound) {
                s0 += x;
                return;
            }
            switch ((int) (k & 3)) {
                case 0 -> s0 += x;
                case 1 -> s1 += x;
                case 2 -> s2 += x;
                default -> s3 += x;
            }
        }

        /** Adds {@code (x * x) * weight} for the {@code d} elements of {@code x} from {@code off}. */
        void addSquares(float[] x, int off, int d, float weight) {
            if ((next & 3) != 0 || next + d > bound || (d & 3) != 0) {
                for (int j = 0; j < d; j++) {
                    float v = x[off + j];
                    add(v * v * weight);
                }
                return;
            }
            // Aligned whole groups of four: the accumulators in turn, without the position test.
            for (int j = 0; j < d; j += 4) {
                float v0 = x[off + j];
                float v1 = x[off + j + 1];
                float v2 = x[off + j + 2];
                float v3 = x[off + j + 3];
                s0 += v0 * v0 * weight;
                s1 += v1 * v1 * weight;
                s2 += v2 * v2 * weight;
                s3 += v3 * v3 * weight;
            }
            next += d;
        }

        double total() {
            return (s0 + s1) + (s2 + s3);
        }
    }

    private static int checkExamples(int[] users, int[] items, float[] targets, float[] userL2, float[] itemL2) {
        if (users == null || items == null || targets == null) {
            throw new IllegalArgumentException(OP + ": users, items and targets are required");
        }
        int n = users.length;
        if (n == 0) {
            throw new IllegalArgumentException(OP + ": no examples; expected at least one");
        }
        if (items.length != n || targets.length != n || userL2 != null && userL2.length != n
                || itemL2 != null && itemL2.length != n) {
            throw new IllegalArgumentException(OP + ": " + n + " users, " + items.length + " items, " + targets.length
                    + " targets, " + (userL2 == null ? "no" : userL2.length) + " user and "
                    + (itemL2 == null ? "no" : itemL2.length) + " item L2 weights; expected one of each per example");
        }
        return n;
    }

    /** The table's width; {@code width} (when not -1) is the width it must have. */
    private static int checkTable(String name, Tensor table, int width) {
        if (table.rank() != 2 || width != -1 && table.dim(1) != width || table.dim(1) == 0) {
            throw new IllegalArgumentException(OP + ": " + name + " has shape " + Shape.toString(table.shape())
                    + ", expected " + (width == -1 ? "[rows, d] with d >= 1" : "[rows, " + width + "]"));
        }
        return table.dim(1);
    }

    private static void checkIds(String name, int[] ids, Tensor factors, Tensor bias) {
        int rows = Math.min(factors.dim(0), bias.dim(0));
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= rows) {
                throw new IndexOutOfBoundsException(OP + ": " + name + "[" + r + "] = " + ids[r]
                        + " is outside the tables' " + rows + " rows");
            }
        }
    }
}
