package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * The in-batch softmax cross-entropy of retrieval, fused with the product that makes its
 * logits. For queries {@code Q [B, D]} and candidates {@code C [M, D]}, {@code M >= B}, the
 * label of query i being candidate i:
 * <pre>
 * logits[i][j] = (scale q_i) . c_j - shift[j] + (j != i and ids[j] == ids[i] ? duplicateOffset : 0)
 * loss[i]      = logsumexp(logits[i]) - logits[i][i]
 * </pre>
 * With {@code P = softmax(logits)} row-wise and {@code w_i = g_i scale} for the upstream
 * gradient {@code g}, the gradients are {@code dq_i = w_i (sum_j p_ij c_j - c_i)} and
 * {@code dc_j = sum_i p_ij w_i q_i - [j < B] w_j q_j}: two SGEMMs over {@code P} and a
 * correction on the diagonal.
 *
 * <p>Why fused: at B = 2048 the logits are a 16 MB matrix, and the separate ops (product,
 * shift, mask, cross-entropy, each with its backward) allocate up to seven of them (outputs and
 * their gradients) and pass over them a dozen times. Here one buffer holds the logits, then,
 * row by row while the row is in L1, the probabilities; backward reads it twice, in the two
 * SGEMMs, and never writes it. The exponentials run on the vector kernel. {@code dC} is
 * computed as {@code (diag(w) Q)^T P}, a {@code [D, M]} product transposed into place, because
 * SGEMM reads {@code P} untransposed about twice as fast as transposed. Rows are independent, so
 * splitting them over threads changes nothing.
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
        int d = queries.dim(1);
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
        Kernels kern = Kernels.get();
        float[] q = queries.data();
        float[] c = candidates.data();
        float[] qs = q;
        if (scale != 1f) {
            qs = q.clone();
            kern.scale(scale, qs, 0, qs.length);
        }
        float[] p = new float[b * m];
        kern.sgemm(false, true, b, m, d, qs, 0, c, 0, p, 0, false);
        float[] negShift = null;
        if (shift != null) {
            negShift = new float[m];
            for (int j = 0; j < m; j++) {
                negShift[j] = -shift[j];
            }
        }
        float[] minusShift = negShift;
        SameIdColumns duplicates = ids == null ? null : new SameIdColumns(ids, b);
        Tensor out = Tensor.zeros(b);
        float[] o = out.data();
        Parallel.forRange(b, rowGrain(m), (from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i * m;
                if (minusShift != null) {
                    kern.add(p, base, minusShift, 0, p, base, m);
                }
                if (duplicates != null) {
                    duplicates.offsetRow(i, p, base, duplicateOffset);
                }
                float max = p[base + kern.maxIndex(p, base, m)];
                float label = p[base + i];
                float sum = kern.expSum(p, base, max, p, base, m);
                kern.scale(1f / sum, p, base, m);
                o[i] = (float) (Math.log(sum) + ((double) max - label));
            }
        });
        return GradientTape.record(out, g -> backward(g, queries, candidates, scale, p, b, m, d), queries, candidates);
    }

    private static void backward(float[] g, Tensor queries, Tensor candidates, float scale, float[] p,
                                 int b, int m, int d) {
        Kernels kern = Kernels.get();
        float[] q = queries.data();
        float[] c = candidates.data();
        float[] w = new float[b];
        for (int i = 0; i < b; i++) {
            w[i] = g[i] * scale;
        }
        if (queries.requiresGrad()) {
            // dq_i = w_i (P c)_i - w_i c_i
            float[] pc = new float[b * d];
            kern.sgemm(false, false, b, d, m, p, 0, c, 0, pc, 0, false);
            float[] gq = queries.gradBuffer();
            for (int i = 0; i < b; i++) {
                for (int k = i * d; k < (i + 1) * d; k++) {
                    gq[k] += w[i] * (pc[k] - c[k]);
                }
            }
        }
        if (candidates.requiresGrad()) {
            // dc_j = ((diag(w) Q)^T P)[:, j] - [j < B] w_j q_j
            float[] wq = new float[b * d];
            for (int i = 0; i < b; i++) {
                for (int k = i * d; k < (i + 1) * d; k++) {
                    wq[k] = w[i] * q[k];
                }
            }
            float[] wqp = new float[d * m];
            kern.sgemm(true, false, d, m, b, wq, 0, p, 0, wqp, 0, false);
            float[] gc = candidates.gradBuffer();
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    gc[j * d + k] += j < b ? wqp[k * m + j] - wq[j * d + k] : wqp[k * m + j];
                }
            }
        }
    }

    /** Rows per parallel chunk: enough that a chunk holds some 32K logits. */
    private static int rowGrain(int columns) {
        return Math.max(1, (1 << 15) / Math.max(1, columns));
    }
}
