package org.embedrec.engine;

/**
 * Full softmax cross-entropy with some columns of each row left out, fused with the product that
 * makes its logits. For queries {@code Q [B, D]}, candidates {@code C [M, D]} and row i's label
 * column {@code label_i}:
 * <pre>
 * logits[i][j] = q_i . c_j,   or {@link #EXCLUDED} for j in excluded(i), j != label_i
 * loss[i]      = logsumexp(logits[i]) - logits[i][label_i]
 * excluded(i)  = columns[from[i] .. to[i])
 * </pre>
 * the same as {@code softmaxCrossEntropy(matmul(Q, C^T) + penalty, labels)} with a penalty of
 * {@link #EXCLUDED} at those columns, without the {@code [B, M]} logits and penalty: the row's
 * columns are overwritten inside {@link SoftmaxCrossEntropyBlocks} while its block is in cache.
 * After the row's maximum (never an excluded entry: the label stays in) is subtracted, the
 * exponential of an excluded logit is exactly 0 in both kernels' {@code exp}, so its probability
 * and its gradient are exactly 0 and it drops out of both products in backward.
 *
 * <p>Why ranges into one shared list: next-item training excludes at each step the items of its
 * sequence read so far, so a sequence's steps have nested prefixes of one list; as ranges they
 * cost one int per step instead of a {@code [steps, M]} mask. Ranges may overlap and a column
 * may repeat within one (a re-read item): it is overwritten, not added to, so repeats change
 * nothing.
 */
final class ExcludingSoftmaxLoss {
    private static final String OP = "softmaxCrossEntropyExcluding";
    /**
     * An excluded logit. Set rather than added: the dense penalty's {@code logit + EXCLUDED} rounds
     * to this very float for any logit under 32 in magnitude, and either way its exponential is 0.
     */
    static final float EXCLUDED = -1e9f;

    private ExcludingSoftmaxLoss() {}

    /** The {@code [B]} losses. */
    static Tensor apply(Tensor queries, Tensor candidates, int[] labels, int[] columns, int[] from, int[] to) {
        if (queries.rank() != 2 || candidates.rank() != 2 || queries.dim(1) != candidates.dim(1)
                || candidates.dim(0) == 0) {
            throw new IllegalArgumentException(OP + ": queries " + Shape.toString(queries.shape()) + " and candidates "
                    + Shape.toString(candidates.shape()) + ": expected [B, D] and [M, D] with M >= 1");
        }
        int b = queries.dim(0);
        int m = candidates.dim(0);
        checkRowArray("labels", labels, b);
        checkRowArray("excludedFrom", from, b);
        checkRowArray("excludedTo", to, b);
        if (columns == null) {
            throw new IllegalArgumentException(OP + ": no excluded columns (an empty array for none)");
        }
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= m) {
                throw new IllegalArgumentException(OP + ": labels[" + i + "] = " + labels[i]
                        + ", expected a candidate row in [0, " + m + ")");
            }
            if (from[i] < 0 || from[i] > to[i] || to[i] > columns.length) {
                throw new IllegalArgumentException(OP + ": row " + i + " excludes columns[" + from[i] + " .. " + to[i]
                        + "), expected 0 <= from <= to <= " + columns.length);
            }
        }
        for (int s = 0; s < columns.length; s++) {
            if (columns[s] < 0 || columns[s] >= m) {
                throw new IllegalArgumentException(OP + ": excluded column[" + s + "] = " + columns[s]
                        + ", expected a candidate row in [0, " + m + ")");
            }
        }
        SoftmaxCrossEntropyBlocks.RowAdjustment exclude = (row, logits, base) -> {
            int label = labels[row];
            for (int s = from[row]; s < to[row]; s++) {
                int j = columns[s];
                if (j != label) {
                    logits[base + j] = EXCLUDED;
                }
            }
        };
        return SoftmaxCrossEntropyBlocks.apply(queries, candidates, 1f, labels, null, exclude, null);
    }

    private static void checkRowArray(String name, int[] values, int rows) {
        if (values == null || values.length != rows) {
            throw new IllegalArgumentException(OP + ": " + (values == null ? "no" : values.length) + " " + name
                    + " for " + rows + " queries, expected one per query");
        }
    }
}
