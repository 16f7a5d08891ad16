package org.embedrec.engine;

/**
 * Softmax cross-entropy over a set of DISTINCT candidates that each stand for {@code count_u}
 * identical columns, fused with the product that makes its logits. For queries {@code Q [B, D]},
 * distinct candidates {@code C [U, D]} and row i's label column {@code label_i}:
 * <pre>
 * base[i][u] = (scale q_i) . c_u - shift[u]
 * loss[i]    = log(sum_u n_iu exp(base[i][u])) - base[i][label_i]
 * n_iu       = count_u, except n_{i, label_i} = 1 when label copies are removed
 * </pre>
 * Why: in an in-batch softmax the columns of a repeated item are identical (the candidate tower
 * sees only the item), so the full {@code [B, M]} loss, where each copy is its own column, equals
 * this one where each item is one column weighted by its count; with accidental hits removed,
 * the other copies of row i's positive drop out and only its own column stays, so its count is 1.
 * On MovieLens 100K a batch of 2048 holds about 790 distinct items: 2.6 times less work, exactly.
 *
 * <p>The counts fold into the kernel's logits ({@link SoftmaxCrossEntropyBlocks}) as
 * {@code logits[i][u] = base[i][u] + log count_u}, and removing the label's copies takes
 * {@code log count_label} off that one entry; the target is {@code base}, so the kernel's loss is
 * offset by {@code log count_label} when the label keeps its count. The gradient is then the
 * kernel's: {@code d base[i][u] = g_i (P_iu - [u = label_i])} with
 * {@code P_iu = n_iu exp(base[i][u]) / sum_v n_iv exp(base[i][v])}.
 */
final class SampledSoftmaxLoss {
    private static final String OP = "sampledSoftmaxCrossEntropy";

    private SampledSoftmaxLoss() {}

    /** The {@code [B]} losses; {@code counts} and {@code shift} (length U each) may be null (all 1, all 0). */
    static Tensor apply(Tensor queries, Tensor candidates, float scale, int[] labels, int[] counts, float[] shift,
                        boolean removeLabelCopies) {
        if (queries.rank() != 2 || candidates.rank() != 2 || queries.dim(1) != candidates.dim(1)
                || candidates.dim(0) == 0) {
            throw new IllegalArgumentException(OP + ": queries " + Shape.toString(queries.shape()) + " and candidates "
                    + Shape.toString(candidates.shape()) + ": expected [B, D] and [U, D] with U >= 1");
        }
        int b = queries.dim(0);
        int u = candidates.dim(0);
        if (labels == null || labels.length != b) {
            throw new IllegalArgumentException(OP + ": " + (labels == null ? "no" : labels.length) + " labels for "
                    + b + " queries, expected one per query");
        }
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= u) {
                throw new IllegalArgumentException(OP + ": labels[" + i + "] = " + labels[i] + ", expected a candidate"
                        + " row in [0, " + u + ")");
            }
        }
        if (counts != null) {
            if (counts.length != u) {
                throw new IllegalArgumentException(OP + ": " + counts.length + " counts for " + u + " candidates");
            }
            for (int j = 0; j < u; j++) {
                if (counts[j] < 1) {
                    throw new IllegalArgumentException(OP + ": counts[" + j + "] = " + counts[j] + ", expected >= 1");
                }
            }
        }
        if (shift != null) {
            if (shift.length != u) {
                throw new IllegalArgumentException(OP + ": " + shift.length + " column shifts for " + u + " candidates");
            }
            for (int j = 0; j < u; j++) {
                if (!Float.isFinite(shift[j])) {
                    throw new IllegalArgumentException(OP + ": shift[" + j + "] = " + shift[j] + ", expected finite");
                }
            }
        }
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException(OP + ": scale " + scale + ", expected finite");
        }
        if (counts == null) {
            return SoftmaxCrossEntropyBlocks.apply(queries, candidates, scale, labels, shift, null, null);
        }
        float[] logCount = new float[u];
        float[] countedShift = new float[u];
        for (int j = 0; j < u; j++) {
            double log = Math.log(counts[j]);
            logCount[j] = (float) log;
            countedShift[j] = (float) ((shift == null ? 0.0 : shift[j]) - log);
        }
        if (removeLabelCopies) {
            // The label's entry back to one copy: base + log count - log count.
            SoftmaxCrossEntropyBlocks.RowAdjustment keepOne =
                    (row, logits, base) -> logits[base + labels[row]] -= logCount[labels[row]];
            return SoftmaxCrossEntropyBlocks.apply(queries, candidates, scale, labels, countedShift, keepOne, null);
        }
        float[] targetOffset = new float[b];
        for (int i = 0; i < b; i++) {
            targetOffset[i] = logCount[labels[i]];
        }
        return SoftmaxCrossEntropyBlocks.apply(queries, candidates, scale, labels, countedShift, null, targetOffset);
    }
}
