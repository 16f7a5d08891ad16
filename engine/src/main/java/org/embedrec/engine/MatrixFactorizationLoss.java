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
 * term) builds a dozen tensors of {@code n x d} floats per batch and walks each once; fused, each
 * example's two rows are copied once (as the gather does, into buffers kept between batches, so
 * that backward reads them in order instead of from the scattered tables again) and each row's
 * gradient goes straight into its table's row gradient.
 *
 * <p>Every gradient is the op graph's, the same bits: the prediction as written above
 * ({@code Kernels.dot} for the product), backward {@code 2f * e_r * (g / n)},
 * {@code 2f * x * ((0 + g) * l2[r])} for a factor's penalty share, then {@code Kernels.axpy} of
 * the product's share into it, and each row's gradient added to its table's in example order
 * ({@link RowSparseGradient#accumulate}, or a dense gradient as {@code Ops.gatherRows} scatters it).
 * The loss's value is the graph's to within float rounding, not to the bit: the squared-error
 * mean is summed as {@code Ops.mean} sums ({@link ReductionOps#sumAll(float[], int)}), but each
 * penalty is summed example by example ({@code l2[r] * (x . x)}, one dot a row) where the graph
 * sums its {@code n x d} weighted squares value by value. The graph's order meant writing those
 * {@code 2 n d} terms and summing them on one thread, about a third of the forward pass at the
 * {@code mf} preset's width; no gradient reads the loss's value, so training is unchanged.
 * {@code MatrixFactorizationLossTest} holds the op to the graph.
 *
 * <p>On two threads the forward pass splits the examples (each row is read from its table once,
 * for the copy, the prediction and the penalty), then sums over the examples on the calling thread; backward runs the user
 * side's tables and the item side's side by side. Each sum and each table's gradient is a chain
 * of additions in a fixed order, run whole on one thread, so the bits do not depend on the
 * thread count.
 */
final class MatrixFactorizationLoss {
    private static final String OP = "matrixFactorizationLoss";
    /** Below this many factor values in a batch the op runs on the calling thread: waking a helper costs more. */
    static final int PARALLEL_MIN_VALUES = 16384;
    /** Each example's user and item rows, {@code n x d} each, copied in forward for backward to read in order. */
    private static final SpareBuffer USER_ROWS = new SpareBuffer();
    private static final SpareBuffer ITEM_ROWS = new SpareBuffer();

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
        float[] squares = new float[n];
        float[] userPenalties = userL2 == null ? null : new float[n];
        float[] itemPenalties = itemL2 == null ? null : new float[n];
        float[] userRows = USER_ROWS.take(n * d);
        float[] itemRows = ITEM_ROWS.take(n * d);
        // Rows are independent: split over threads, each row read from its table once (copied, as
        // a gather does, so that backward reads them in order rather than scattered again); the
        // sums over the examples, chains of additions in a fixed order, then run on the calling thread.
        int grain = Math.max(1, PARALLEL_MIN_VALUES / d);
        Parallel.forRange(n, grain, (from, to) -> predictRows(from, to, p, q, userBias.data(), itemBias.data(), d,
                globalBias, users, items, targets, userL2, itemL2, errors, squares, userPenalties, itemPenalties,
                userRows, itemRows));
        float loss = (float) (ReductionOps.sumAll(squares, n) / n);
        if (itemPenalties != null) {
            loss += (float) ReductionOps.sumAll(itemPenalties, n);
        }
        if (userPenalties != null) {
            loss += (float) ReductionOps.sumAll(userPenalties, n);
        }
        Tensor out = GradientTape.record(Tensor.scalar(loss), g -> {
            backward(g[0], userFactors, itemFactors, userBias, itemBias, users, items, errors, userL2, itemL2, userRows,
                    itemRows);
            USER_ROWS.giveBack(userRows);
            ITEM_ROWS.giveBack(itemRows);
        }, userFactors, itemFactors, userBias, itemBias);
        if (!out.requiresGrad()) {
            // Not recorded: no backward will read the rows.
            USER_ROWS.giveBack(userRows);
            ITEM_ROWS.giveBack(itemRows);
        }
        return out;
    }

    /**
     * Rows {@code [from, to)}: each example's error and its square, and its penalty terms,
     * {@code l2[r] * |x|^2} for its user and its item row.
     */
    private static void predictRows(int from, int to, float[] p, float[] q, float[] bu, float[] bi, int d,
                                    float globalBias, int[] users, int[] items, float[] targets, float[] userL2,
                                    float[] itemL2, float[] errors, float[] squares, float[] userPenalties,
                                    float[] itemPenalties, float[] userRows, float[] itemRows) {
        Kernels kern = Kernels.get();
        for (int r = from; r < to; r++) {
            int at = r * d;
            System.arraycopy(p, users[r] * d, userRows, at, d);
            System.arraycopy(q, items[r] * d, itemRows, at, d);
            float head = kern.dot(userRows, at, itemRows, at, d) + globalBias;
            float e = head + (bu[users[r]] + bi[items[r]]) - targets[r];
            errors[r] = e;
            squares[r] = e * e;
            if (userPenalties != null) {
                userPenalties[r] = kern.dot(userRows, at, userRows, at, d) * userL2[r];
            }
            if (itemPenalties != null) {
                itemPenalties[r] = kern.dot(itemRows, at, itemRows, at, d) * itemL2[r];
            }
        }
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

    private static void backward(float g, Tensor userFactors, Tensor itemFactors, Tensor userBias, Tensor itemBias,
                                 int[] users, int[] items, float[] errors, float[] userL2, float[] itemL2,
                                 float[] userCopies, float[] itemCopies) {
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
                sideBackward(g, userCopies, itemCopies, users, d, errors, userL2, userRows, userBiasRows);
            } else {
                sideBackward(g, itemCopies, userCopies, items, d, errors, itemL2, itemRows, itemBiasRows);
            }
        });
    }

    /**
     * The gradients of one side's factor rows (example r's own row at {@code own[r * d]}, the
     * other side's at {@code other[r * d]}, its own table row {@code ownIds[r]}) and biases, added
     * to {@code factorRows} and {@code biasRows} (each null when its table takes none) in example order.
     */
    private static void sideBackward(float g, float[] own, float[] other, int[] ownIds, int d, float[] errors,
                                     float[] l2, Rows factorRows, Rows biasRows) {
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
                penaltyShare(own, r * d, d, l2 == null ? 0f : penaltyGrad * l2[r], l2 != null, row);
                kern.axpy(ge, other, r * d, row, 0, d);
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
