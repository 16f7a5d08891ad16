package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;
import org.embedrec.engine.kernels.PackedMatrix;

/**
 * The kernel shared by the retrieval softmax losses ({@link InBatchSoftmaxLoss},
 * {@link SampledSoftmaxLoss}): softmax cross-entropy fused with the product that makes its
 * logits. For queries {@code Q [B, D]}, candidates {@code C [M, D]} and a label column per row,
 * <pre>
 * logits[i][j] = (scale q_i) . c_j - shift[j] + adjust_i(j)
 * loss[i]      = logsumexp(logits[i]) - logits[i][label_i] + lossOffset[i]
 * </pre>
 * where {@code adjust_i} is the caller's per-row change ({@link RowAdjustment}: an accidental-hit
 * mask, a label's count) and {@code lossOffset} a constant per row (it moves no gradient).
 * With {@code P = softmax(logits)} row-wise and {@code w_i = g_i scale} for the upstream
 * gradient {@code g}, the gradients are {@code dq_i = w_i (sum_j p_ij c_j - c_label_i)} and
 * {@code dc_j = sum_i p_ij w_i q_i - sum_{i : label_i = j} w_i q_i}: two SGEMMs over {@code P}
 * and a correction on the label entries.
 *
 * <p>Why fused: at B = 2048 the logits are a 16 MB matrix, and the separate ops (product,
 * shift, mask, cross-entropy, each with its backward) allocate up to seven of them (outputs and
 * their gradients) and pass over them a dozen times. Here one buffer holds, block of rows by
 * block of rows ({@link #blockRows}, about 256 KB), the logits and then, while the block is in L2,
 * the unnormalised exponentials {@code E = exp(logits - max)} with the row sums {@code s}; so
 * {@code P = diag(1/s) E}, and backward folds {@code 1/s} into its row weights
 * ({@code P C = diag(1/s) (E C)}, {@code P^T diag(w) Q = E^T diag(w/s) Q}) instead of a pass
 * that scales 16 MB. Backward walks the same blocks once, computing both products per block
 * while it is in cache, and never writes E. The buffer is kept between calls
 * ({@link SpareBuffer}): taken in forward, handed back once backward has run, or at once when no
 * tape records the op. {@code dC} is computed as {@code E^T (diag(w/s) Q)}, an {@code [M, D]}
 * product: D = 32 columns are one register tile wide, so SGEMM's narrow path reads the block of
 * E where it lies, eight columns of E a tile, instead of copying the block into panels first
 * (which {@code (diag(w/s) Q)^T E}, {@code M} wide, did: the copy was about an eighth of the
 * step). Forward rows are independent; backward's sums over rows run in groups fixed
 * by B (see {@link #backward}) and the label corrections in row order; so splitting over threads
 * changes nothing. Callers validate; this class trusts its arguments.
 */
final class SoftmaxCrossEntropyBlocks {
    /** Rows per group of the backward's {@code dC} partial sums; blocks restart at each group. */
    static final int GROUP_ROWS = 256;
    /** The [B, M] exponentials, kept from step to step. */
    private static final SpareBuffer EXPONENTIALS = new SpareBuffer();
    /** Backward's per-group partials of {@code dC}, kept from step to step. */
    private static final SpareBuffer PARTIALS = new SpareBuffer();
    /** Candidate rows per chunk of backward's tail (summing the group partials). */
    private static final int TAIL_GRAIN_ROWS = 256;

    /** A change to row {@code row}'s logits {@code logits[base .. base + M)}, made after the column shift. */
    @FunctionalInterface
    interface RowAdjustment {
        void adjust(int row, float[] logits, int base);
    }

    private SoftmaxCrossEntropyBlocks() {}

    /**
     * The {@code [B]} losses. {@code labels} has B entries in {@code [0, M)}; {@code shift}
     * (length M), {@code adjustment} and {@code lossOffset} (length B) may be null.
     */
    static Tensor apply(Tensor queries, Tensor candidates, float scale, int[] labels, float[] shift,
                        RowAdjustment adjustment, float[] lossOffset) {
        int b = queries.dim(0);
        int m = candidates.dim(0);
        int d = queries.dim(1);
        Kernels kern = Kernels.get();
        float[] q = queries.data();
        float[] c = candidates.data();
        float[] qs = scale == 1f ? q : q.clone();
        if (scale != 1f) {
            kern.scale(scale, qs, 0, qs.length);
        }
        float[] e = EXPONENTIALS.take(b * m);
        // C^T [D, M] packed once for every block's product (the bits of packing it per block): at
        // D = 32 a block's product is short enough that repacking C per block cost a tenth of it.
        float[] ct = new float[d * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                ct[k * m + j] = c[j * d + k];
            }
        }
        PackedMatrix packedCt = kern.pack(false, m, d, ct, 0);
        float[] minusShift = null;
        if (shift != null) {
            minusShift = new float[m];
            for (int j = 0; j < m; j++) {
                minusShift[j] = -shift[j];
            }
        }
        float[] negShift = minusShift;
        Tensor out = Tensor.zeros(b);
        float[] o = out.data();
        float[] invSum = new float[b];
        int blockRows = blockRows(m);
        Parallel.forRange(ceilDiv(b, blockRows), 1, (fromBlock, toBlock) -> {
            for (int i0 = fromBlock * blockRows; i0 < Math.min(b, toBlock * blockRows); i0 += blockRows) {
                // This block's logits, then its softmax rows while the block is in L2. Nested in the
                // parallel loop, the product runs on this thread.
                int rows = Math.min(blockRows, b - i0);
                kern.sgemmPacked(rows, qs, i0 * d, packedCt, e, i0 * m);
                for (int i = i0; i < i0 + rows; i++) {
                    int base = i * m;
                    float max;
                    if (negShift != null && adjustment == null) {
                        // The shift and the row's maximum in one pass over the row.
                        max = kern.addMax(e, base, negShift, 0, e, base, m);
                    } else {
                        if (negShift != null) {
                            kern.add(e, base, negShift, 0, e, base, m);
                        }
                        if (adjustment != null) {
                            adjustment.adjust(i, e, base);
                        }
                        max = e[base + kern.maxIndex(e, base, m)];
                    }
                    float label = e[base + labels[i]];
                    float sum = kern.expSum(e, base, max, e, base, m);
                    invSum[i] = 1f / sum;
                    double loss = Math.log(sum) + ((double) max - label);
                    o[i] = (float) (lossOffset == null ? loss : loss + lossOffset[i]);
                }
            }
        });
        GradientTape.record(out, g -> {
            backward(g, queries, candidates, scale, labels, e, invSum, b, m, d);
            EXPONENTIALS.giveBack(e);
        }, queries, candidates);
        if (!out.requiresGrad()) {
            // Not recorded (no tape, or no input needs a gradient): nothing will read e again.
            EXPONENTIALS.giveBack(e);
        }
        return out;
    }

    /**
     * {@code P = diag(invSum) E}; see the class comment for the rules. One walk over E in row
     * blocks: per block, its rows of {@code E C} and its share of {@code E^T (diag(w/s) Q)}, while
     * the block is in L2, so E comes from memory once. The {@code dC} shares are summed per group
     * of {@link #GROUP_ROWS} rows, block by block, into the group's partial, and the partials in
     * group order: groups are fixed by B alone, so the sums are the same on any thread count.
     */
    private static void backward(float[] g, Tensor queries, Tensor candidates, float scale, int[] labels,
                                 float[] e, float[] invSum, int b, int m, int d) {
        Kernels kern = Kernels.get();
        float[] q = queries.data();
        float[] c = candidates.data();
        float[] w = new float[b];
        float[] wsq = new float[b * d];
        for (int i = 0; i < b; i++) {
            w[i] = g[i] * scale;
            float ws = w[i] * invSum[i];
            for (int k = i * d; k < (i + 1) * d; k++) {
                wsq[k] = ws * q[k];
            }
        }
        boolean needQ = queries.requiresGrad();
        boolean needC = candidates.requiresGrad();
        float[] ec = needQ ? new float[b * d] : null;
        int groups = ceilDiv(b, GROUP_ROWS);
        // Partials of E^T (diag(w/s) Q), [M, D] each, one per group (2 MB at B = 2048, M = 2000):
        // kept from step to step; each group's first block stores, so stale contents are never read.
        float[] partials = needC ? PARTIALS.take(groups * m * d) : null;
        int blockRows = blockRows(m);
        Parallel.forRange(groups, 1, (fromGroup, toGroup) -> {
            for (int group = fromGroup; group < toGroup; group++) {
                int g0 = group * GROUP_ROWS;
                int g1 = Math.min(b, g0 + GROUP_ROWS);
                for (int i0 = g0; i0 < g1; i0 += blockRows) {
                    int rows = Math.min(blockRows, g1 - i0);
                    if (needQ) {
                        kern.sgemm(false, false, rows, d, m, e, i0 * m, c, 0, ec, i0 * d, false);
                    }
                    if (needC) {
                        kern.sgemm(true, false, m, d, rows, e, i0 * m, wsq, i0 * d, partials, group * m * d, i0 > g0);
                    }
                }
            }
        });
        if (needQ) {
            // dq_i = (w_i / s_i) (E c)_i - w_i c_label_i
            float[] gq = queries.gradBuffer();
            for (int i = 0; i < b; i++) {
                float ws = w[i] * invSum[i];
                int label = labels[i] * d;
                for (int k = 0; k < d; k++) {
                    gq[i * d + k] += ws * ec[i * d + k] - w[i] * c[label + k];
                }
            }
        }
        if (needC) {
            // dc_j = (E^T (diag(w/s) Q))_j - sum_{i : label_i = j} w_i q_i: the first summed from the
            // partials in group order (into group 0's), split over threads by candidate rows, so
            // each element keeps its order of sums; the second subtracted in row order.
            Parallel.forRange(m, TAIL_GRAIN_ROWS, (from, to) -> {
                for (int group = 1; group < groups; group++) {
                    kern.add(partials, from * d, partials, group * m * d + from * d, partials, from * d, (to - from) * d);
                }
            });
            for (int i = 0; i < b; i++) {
                int label = labels[i] * d;
                for (int k = 0; k < d; k++) {
                    partials[label + k] -= w[i] * q[i * d + k];
                }
            }
            float[] gc = candidates.gradBuffer();
            kern.add(gc, 0, partials, 0, gc, 0, m * d);
            PARTIALS.giveBack(partials);
        }
    }

    /**
     * Rows per block of the logits: about 64K floats (256 KB, well inside L2), a multiple of 8
     * (SGEMM's register tile). Depends on the width only, so blocks fall alike on any thread count.
     */
    static int blockRows(int columns) {
        return Math.max(8, Math.min(256, (1 << 16) / Math.max(1, columns)) & ~7);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
