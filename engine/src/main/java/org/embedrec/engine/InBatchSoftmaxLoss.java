package org.embedrec.engine;

/**
 * The in-batch softmax cross-entropy of retrieval, fused with the product that makes its
 * logits. For queries {@code Q [B, D]} and candidates {@code C [M, D]}, {@code M >= B}, the
 * label of query i being candidate i:
 * <pre>
 * logits[i][j] = (scale q_i) . c_j - shift[j] + (j != i and ids[j] == ids[i] ? duplicateOffset : 0)
 * loss[i]      = logsumexp(logits[i]) - logits[i][i]
 * </pre>
 * One column per batch row, repeated items included; {@link SampledSoftmaxLoss} is the same loss
 * over distinct candidates with counts. The kernel, its gradients and why it is fused are in
 * {@link SoftmaxCrossEntropyBlocks}; the accidental-hit mask is {@link SameIdColumns}.
 */
final class InBatchSoftmaxLoss {
    private static final String OP = "inBatchSoftmaxCrossEntropy";

    private InBatchSoftmaxLoss() {}

    /** The {@code [B]} losses; {@code shift} and {@code ids} (length M each) may be null, dropping their term. */
    static Tensor apply(Tensor queries, Tensor candidates, float scale, float[] shift, int[] ids,
                        float duplicateOffset) {
        if (queries.rank() != 2 || candidates.rank() != 2 || queries.dim(1) != candidates.dim(1)
                || candidates.dim(0) < queries.dim(0)) {
            throw new IllegalArgumentException(OP + ": queries " + Shape.toString(queries.shape()) + " and candidates "
                    + Shape.toString(candidates.shape()) + ": expected [B, D] and [M, D] with M >= B");
        }
        int b = queries.dim(0);
        int m = candidates.dim(0);
        if (shift != null && shift.length != m) {
            throw new IllegalArgumentException(OP + ": " + shift.length + " column shifts for " + m + " candidates");
        }
        if (ids != null && ids.length != m) {
            throw new IllegalArgumentException(OP + ": " + ids.length + " ids for " + m + " candidates");
        }
        if (!Float.isFinite(scale) || !Float.isFinite(duplicateOffset)) {
            throw new IllegalArgumentException(OP + ": scale " + scale + " and duplicate offset " + duplicateOffset
                    + ": expected finite values");
        }
        int[] diagonal = new int[b];
        for (int i = 0; i < b; i++) {
            diagonal[i] = i;
        }
        SameIdColumns duplicates = ids == null ? null : new SameIdColumns(ids, b);
        SoftmaxCrossEntropyBlocks.RowAdjustment mask = duplicates == null ? null
                : (row, logits, base) -> duplicates.offsetRow(row, logits, base, duplicateOffset);
        return SoftmaxCrossEntropyBlocks.apply(queries, candidates, scale, diagonal, shift, mask, null);
    }
}
