package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Scaled dot-product attention over heads, as one op: for queries {@code q [batch, Tq, heads * dk]},
 * keys {@code k [batch, Tk, heads * dk]} and values {@code v [batch, Tk, heads * dv]}, head
 * {@code h} reads columns {@code [h dk, (h + 1) dk)} of q and k and {@code [h dv, (h + 1) dv)} of v,
 * and writes the same columns of the output {@code [batch, Tq, heads * dv]}:
 * <pre>
 * S = Q_h K_h^T / sqrt(dk),   P = softmax over the allowed keys of each row,   O_h = dropout(P) V_h
 * </pre>
 * Query {@code i} may see key {@code j} unless the key is padding ({@code keyMask}) or, with
 * {@code causal}, {@code j > i}. A row that may see no key, and every padded query
 * ({@code queryMask}), gets zero weights and a zero output rather than a NaN.
 *
 * <p>Each (sequence, head) pair is independent: its matrices are copied into contiguous blocks
 * (the query already scaled by {@code 1 / sqrt(dk)}) and multiplied there, pairs spread over the
 * threads. The softmax probabilities are kept for backward, where, with {@code P'} the dropped-out
 * weights and {@code dO} the output's gradient: {@code dV = P'^T dO}, {@code dP' = dO V^T},
 * {@code dP} is {@code dP'} through the same dropout mask (regenerated from its key), the softmax
 * gives {@code dS = P (dP - rowsum(dP P))}, and {@code dQ = dS K / sqrt(dk)}, {@code dK = dS^T Q /
 * sqrt(dk)}. Heads write disjoint columns and sequences disjoint rows, so no sum depends on how
 * the pairs are split over threads.
 */
final class AttentionOps {
    /** Multiply-adds per parallel chunk: a fork costs more than a smaller piece of work saves. */
    private static final long GRAIN_WORK = 1 << 16;
    /** Dropout decisions read 24 random bits, as in {@link DropoutOps}. */
    private static final double DECISION_LEVELS = 0x1p24;

    private AttentionOps() {}

    static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, SequenceMask queryMask,
                            SequenceMask keyMask, float dropoutRate, Rng rng) {
        Dims d = Dims.check(q, k, v, heads, causal);
        if (queryMask != null) {
            queryMask.checkCovers("attention (query mask)", d.batch, d.tq);
        }
        if (keyMask != null) {
            keyMask.checkCovers("attention (key mask)", d.batch, d.tk);
        }
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException("attention: dropout rate " + dropoutRate + " is outside [0, 1)");
        }
        if (dropoutRate > 0f && rng == null) {
            throw new IllegalArgumentException("attention: dropout needs a random number generator, got null");
        }
        Call call = new Call(d, heads, causal, queryMask, keyMask, dropoutRate, dropoutRate > 0f ? rng.nextLong() : 0L);
        Tensor out = Tensor.zeros(d.batch, d.tq, heads * d.dv);
        call.forward(q.data(), k.data(), v.data(), out.data());
        return GradientTape.record(out, g -> call.backward(g,
                // Allocated here, not lazily from the threads, which would race to create them.
                q.requiresGrad() ? q.gradBuffer() : null,
                k.requiresGrad() ? k.gradBuffer() : null,
                v.requiresGrad() ? v.gradBuffer() : null), q, k, v);
    }

    /** One call: its sizes, masks and dropout key, and what the forward pass keeps for backward. */
    private static final class Call {
        private final Kernels kern = Kernels.get();
        private final Dims d;
        private final int heads;
        private final boolean causal;
        private final boolean[] queryValid;
        private final boolean[] keyValid;
        private final boolean dropout;
        private final float keep;
        private final int dropBelow;
        private final long key;
        private final float scale;
        private final int pairs;
        private final int grain;
        /** Per (sequence, head) pair: the scaled queries, keys, values and the softmax weights. */
        private final float[] qp;
        private final float[] kp;
        private final float[] vp;
        private final float[] probs;

        Call(Dims d, int heads, boolean causal, SequenceMask queryMask, SequenceMask keyMask, float rate, long key) {
            this.d = d;
            this.heads = heads;
            this.causal = causal;
            this.queryValid = queryMask == null ? null : queryMask.flags();
            this.keyValid = keyMask == null ? null : keyMask.flags();
            this.dropout = rate > 0f;
            this.keep = dropout ? 1f / (1f - rate) : 1f;
            // Dropped when the 24-bit draw u satisfies u * 2^-24 < rate, that is u < ceil(rate * 2^24).
            this.dropBelow = (int) Math.ceil(rate * DECISION_LEVELS);
            this.key = key;
            this.scale = (float) (1.0 / Math.sqrt(d.dk));
            this.pairs = d.batch * heads;
            this.grain = (int) Math.max(1, GRAIN_WORK / Math.max(1L, (long) d.tq * d.tk * (d.dk + d.dv)));
            this.qp = new float[pairs * d.tq * d.dk];
            this.kp = new float[pairs * d.tk * d.dk];
            this.vp = new float[pairs * d.tk * d.dv];
            this.probs = new float[Shape.size(new int[] {pairs, d.tq, d.tk})];
        }

        void forward(float[] q, float[] k, float[] v, float[] out) {
            Parallel.forRange(pairs, grain, (lo, hi) -> {
                float[] dropped = dropout ? new float[d.tq * d.tk] : null;
                float[] o = new float[d.tq * d.dv];
                for (int p = lo; p < hi; p++) {
                    int b = p / heads;
                    int h = p % heads;
                    int qOff = p * d.tq * d.dk;
                    int kOff = p * d.tk * d.dk;
                    int vOff = p * d.tk * d.dv;
                    int sOff = p * d.tq * d.tk;
                    pack(q, heads, b, h, d.tq, d.dk, qp, qOff);
                    kern.scale(scale, qp, qOff, d.tq * d.dk);
                    pack(k, heads, b, h, d.tk, d.dk, kp, kOff);
                    pack(v, heads, b, h, d.tk, d.dv, vp, vOff);
                    kern.sgemm(false, true, d.tq, d.tk, d.dk, qp, qOff, kp, kOff, probs, sOff, false);
                    for (int i = 0; i < d.tq; i++) {
                        softmaxRow(kern, probs, sOff + i * d.tk, d.tk, causal ? i + 1 : d.tk, keyValid, b * d.tk,
                                queryValid == null || queryValid[b * d.tq + i]);
                    }
                    if (dropout) {
                        kern.dropout(probs, sOff, dropped, 0, d.tq * d.tk, key, sOff, dropBelow, keep);
                        kern.sgemm(false, false, d.tq, d.dv, d.tk, dropped, 0, vp, vOff, o, 0, false);
                    } else {
                        kern.sgemm(false, false, d.tq, d.dv, d.tk, probs, sOff, vp, vOff, o, 0, false);
                    }
                    unpack(kern, o, out, heads, b, h, d.tq, d.dv, false);
                }
            });
        }

        /** Adds the gradients for the output's gradient {@code g} into {@code gq}, {@code gk}, {@code gv} (each may be null). */
        void backward(float[] g, float[] gq, float[] gk, float[] gv) {
            Parallel.forRange(pairs, grain, (lo, hi) -> {
                float[] dO = new float[d.tq * d.dv];
                float[] dP = new float[d.tq * d.tk];
                float[] dropped = dropout ? new float[d.tq * d.tk] : null;
                float[] dQ = new float[d.tq * d.dk];
                float[] dK = new float[d.tk * d.dk];
                float[] dV = new float[d.tk * d.dv];
                for (int p = lo; p < hi; p++) {
                    int b = p / heads;
                    int h = p % heads;
                    int sOff = p * d.tq * d.tk;
                    pack(g, heads, b, h, d.tq, d.dv, dO, 0);
                    if (dropout) {
                        kern.dropout(probs, sOff, dropped, 0, d.tq * d.tk, key, sOff, dropBelow, keep);
                        kern.sgemm(true, false, d.tk, d.dv, d.tq, dropped, 0, dO, 0, dV, 0, false);
                    } else {
                        kern.sgemm(true, false, d.tk, d.dv, d.tq, probs, sOff, dO, 0, dV, 0, false);
                    }
                    kern.sgemm(false, true, d.tq, d.tk, d.dv, dO, 0, vp, p * d.tk * d.dv, dP, 0, false);
                    if (dropout) {
                        kern.dropout(dP, 0, dP, 0, d.tq * d.tk, key, sOff, dropBelow, keep);
                    }
                    for (int i = 0; i < d.tq; i++) {
                        int row = i * d.tk;
                        float s = kern.dot(dP, row, probs, sOff + row, d.tk);
                        for (int j = 0; j < d.tk; j++) {
                            dP[row + j] = probs[sOff + row + j] * (dP[row + j] - s);
                        }
                    }
                    kern.sgemm(false, false, d.tq, d.dk, d.tk, dP, 0, kp, p * d.tk * d.dk, dQ, 0, false);
                    kern.scale(scale, dQ, 0, dQ.length);
                    kern.sgemm(true, false, d.tk, d.dk, d.tq, dP, 0, qp, p * d.tq * d.dk, dK, 0, false);
                    if (gq != null) {
                        unpack(kern, dQ, gq, heads, b, h, d.tq, d.dk, true);
                    }
                    if (gk != null) {
                        unpack(kern, dK, gk, heads, b, h, d.tk, d.dk, true);
                    }
                    if (gv != null) {
                        unpack(kern, dV, gv, heads, b, h, d.tk, d.dv, true);
                    }
                }
            });
        }
    }

    /**
     * Softmax in place over the first {@code visible} of {@code n} scores at {@code off}, leaving out
     * keys whose flag in {@code keyValid} (from {@code keyBase}) is false; every left-out score,
     * and a whole row with nothing left or {@code queryValid} false, becomes 0.
     */
    private static void softmaxRow(Kernels kern, float[] s, int off, int n, int visible, boolean[] keyValid,
                                   int keyBase, boolean queryValid) {
        float max = Float.NEGATIVE_INFINITY;
        boolean any = false;
        for (int j = 0; queryValid && j < visible; j++) {
            if (keyValid == null || keyValid[keyBase + j]) {
                max = Math.max(max, s[off + j]);
                any = true;
            } else {
                s[off + j] = Float.NEGATIVE_INFINITY;
            }
        }
        if (!any) {
            java.util.Arrays.fill(s, off, off + n, 0f);
            return;
        }
        // exp(-inf - max) is 0: the left-out keys drop out of the sum and get weight 0.
        float total = kern.expSum(s, off, max, s, off, visible);
        kern.scale(1f / total, s, off, visible);
        java.util.Arrays.fill(s, off + visible, off + n, 0f);
    }

    /**
     * Copies the {@code width} columns of head {@code h} from the {@code steps} rows of sequence
     * {@code b} ({@code heads * width} values a row) into {@code dst} from {@code dstOff}.
     */
    private static void pack(float[] src, int heads, int b, int h, int steps, int width, float[] dst, int dstOff) {
        int stride = heads * width;
        for (int i = 0; i < steps; i++) {
            System.arraycopy(src, (b * steps + i) * stride + h * width, dst, dstOff + i * width, width);
        }
    }

    /** The reverse of {@link #pack} from a block at 0, writing or adding into {@code dst}. */
    private static void unpack(Kernels kern, float[] src, float[] dst, int heads, int b, int h, int steps, int width,
                               boolean accumulate) {
        int stride = heads * width;
        for (int i = 0; i < steps; i++) {
            int at = (b * steps + i) * stride + h * width;
            if (accumulate) {
                kern.add(dst, at, src, i * width, dst, at, width);
            } else {
                System.arraycopy(src, i * width, dst, at, width);
            }
        }
    }

    /** The sizes of one call, checked against each other. */
    private record Dims(int batch, int tq, int tk, int dk, int dv) {
        static Dims check(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
            String shapes = "attention: query " + Shape.toString(q.shape()) + ", key " + Shape.toString(k.shape())
                    + ", value " + Shape.toString(v.shape()) + ", " + heads + " heads: ";
            if (heads < 1) {
                throw new IllegalArgumentException(shapes + "expected at least one head");
            }
            if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
                throw new IllegalArgumentException(shapes + "expected three tensors [batch, time, features]");
            }
            if (k.dim(0) != q.dim(0) || v.dim(0) != q.dim(0)) {
                throw new IllegalArgumentException(shapes + "expected the same batch size");
            }
            if (v.dim(1) != k.dim(1)) {
                throw new IllegalArgumentException(shapes + "expected a value for every key (the same time)");
            }
            if (k.dim(2) != q.dim(2) || q.dim(2) % heads != 0 || q.dim(2) == 0) {
                throw new IllegalArgumentException(shapes + "expected query and key features of the same "
                        + "non-zero size, divisible by the number of heads");
            }
            if (v.dim(2) % heads != 0 || v.dim(2) == 0) {
                throw new IllegalArgumentException(shapes + "expected value features divisible by the number of heads");
            }
            if (causal && q.dim(1) != k.dim(1)) {
                throw new IllegalArgumentException(shapes + "a causal mask needs as many queries as keys");
            }
            return new Dims(q.dim(0), q.dim(1), k.dim(1), q.dim(2) / heads, v.dim(2) / heads);
        }
    }
}
