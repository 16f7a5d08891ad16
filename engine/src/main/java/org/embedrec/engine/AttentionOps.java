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
 * <p>Sequences come padded to one length ({@link #attention}, with masks) or packed one after the
 * other with their own lengths ({@link #packedAttention}, where a batch of mostly short histories
 * costs the sum of its squared lengths, not the batch times the longest squared); a {@code Layout}
 * says where each sequence's rows are, and everything below it is shared.
 *
 * <p>Each (sequence, head) pair is independent: its queries are copied into a contiguous block,
 * already scaled by {@code 1 / sqrt(dk)}, its keys and values too when there are several heads
 * (with one head a sequence's rows are contiguous where they lie), and multiplied there, pairs
 * spread over the threads. With the causal mask a pair's queries go in row blocks, each over only
 * the keys its rows may see, so the masked upper triangle of the scores, their softmax, dropout
 * and both backward products is mostly skipped ({@code Layout}). The softmax probabilities are kept for backward, where, with {@code P'} the dropped-out
 * weights and {@code dO} the output's gradient: {@code dV = P'^T dO}, {@code dP' = dO V^T},
 * {@code dP} is {@code dP'} through the same dropout mask (regenerated from its key), the softmax
 * gives {@code dS = P (dP - rowsum(dP P))}, and {@code dQ = dS K / sqrt(dk)}, {@code dK = dS^T Q /
 * sqrt(dk)}. Heads write disjoint columns and sequences disjoint rows, so no sum depends on how
 * the pairs are split over threads.
 */
final class AttentionOps {
    /** Multiply-adds per parallel chunk: a fork costs more than a smaller piece of work saves. */
    private static final long GRAIN_WORK = 1 << 16;
    /**
     * Query rows per block of a causal pair: each block computes the scores of the keys up to its
     * last row only. Smaller blocks skip more of the masked triangle but make narrower products.
     */
    static final int CAUSAL_ROW_BLOCK = 32;
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
        Layout layout = Layout.uniform(d.batch, d.tq, d.tk, heads, d.dk, d.dv, causal);
        Tensor out = Tensor.zeros(d.batch, d.tq, heads * d.dv);
        return run(layout, q, k, v, out, causal, queryMask, keyMask, dropoutRate, rng);
    }

    /**
     * Self-attention over packed sequences: sequence {@code s} holds rows {@code [starts[s],
     * starts[s + 1])} of {@code q [rows, heads * dk]}, {@code k} and {@code v} (every row a real
     * step), and attends only to its own rows; the output is {@code [rows, heads * dv]}.
     */
    static Tensor packedAttention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, int[] starts,
                                  float dropoutRate, Rng rng) {
        String shapes = "packed attention: query " + Shape.toString(q.shape()) + ", key " + Shape.toString(k.shape())
                + ", value " + Shape.toString(v.shape()) + ", " + heads + " heads: ";
        if (heads < 1) {
            throw new IllegalArgumentException(shapes + "expected at least one head");
        }
        if (q.rank() != 2 || k.rank() != 2 || v.rank() != 2 || k.dim(0) != q.dim(0) || v.dim(0) != q.dim(0)) {
            throw new IllegalArgumentException(shapes + "expected three tensors [rows, features] of the same rows");
        }
        if (k.dim(1) != q.dim(1) || q.dim(1) % heads != 0 || q.dim(1) == 0 || v.dim(1) % heads != 0
                || v.dim(1) == 0) {
            throw new IllegalArgumentException(shapes + "expected query and key features of the same non-zero size "
                    + "and value features, each divisible by the number of heads");
        }
        checkStarts(starts, q.dim(0));
        Layout layout = Layout.packed(starts, heads, q.dim(1) / heads, v.dim(1) / heads, causal);
        Tensor out = Tensor.zeros(q.dim(0), v.dim(1));
        return run(layout, q, k, v, out, causal, null, null, dropoutRate, rng);
    }

    private static void checkStarts(int[] starts, int rows) {
        if (starts == null || starts.length < 1 || starts[0] != 0 || starts[starts.length - 1] != rows) {
            throw new IllegalArgumentException("packed attention: sequence starts must begin at 0 and end at the "
                    + rows + " rows, got " + (starts == null ? "null" : java.util.Arrays.toString(starts)));
        }
        for (int s = 1; s < starts.length; s++) {
            if (starts[s] < starts[s - 1]) {
                throw new IllegalArgumentException("packed attention: sequence starts must not decrease, got "
                        + starts[s - 1] + " then " + starts[s] + " at sequence " + s);
            }
        }
    }

    private static Tensor run(Layout layout, Tensor q, Tensor k, Tensor v, Tensor out, boolean causal,
                              SequenceMask queryMask, SequenceMask keyMask, float dropoutRate, Rng rng) {
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException("attention: dropout rate " + dropoutRate + " is outside [0, 1)");
        }
        if (dropoutRate > 0f && rng == null) {
            throw new IllegalArgumentException("attention: dropout needs a random number generator, got null");
        }
        Call call = new Call(layout, causal, queryMask, keyMask, dropoutRate, dropoutRate > 0f ? rng.nextLong() : 0L);
        call.forward(q.data(), k.data(), v.data(), out.data());
        return GradientTape.record(out, g -> call.backward(g,
                // Allocated here, not lazily from the threads, which would race to create them.
                q.requiresGrad() ? q.gradBuffer() : null,
                k.requiresGrad() ? k.gradBuffer() : null,
                v.requiresGrad() ? v.gradBuffer() : null), q, k, v);
    }

    /**
     * Where each sequence's queries and keys sit and where each (sequence, head) pair keeps its
     * blocks: sequence {@code s} has {@code qLen[s]} query rows from row {@code qStart[s]} and
     * {@code kLen[s]} key and value rows from {@code kStart[s]}; pair {@code p = s * heads + h} keeps
     * its softmax weights from {@code probStart[p]} (also the first counter of its dropout mask).
     *
     * <p>A pair's queries are taken in row blocks ({@link #rowBlock} rows, or all of them when not
     * causal), and a block keeps the weights of the keys its rows may see: all {@code kLen} keys
     * without the causal mask, the first {@code i1} with it for rows {@code [i0, i1)}. So a causal
     * pair of {@code t} steps holds and computes about {@code t^2 / 2 + t * rowBlock / 2} weights,
     * not {@code t^2}: the upper triangle, which the mask zeroes, is skipped in blocks, and each
     * block is still a plain product of contiguous matrices. Block by block from {@code probStart[p]},
     * a block's weights are {@code rows x keys}, row-major.
     */
    private record Layout(int sequences, int heads, int dk, int dv, boolean causal, int rowBlock, int[] qStart,
                          int[] qLen, int[] kStart, int[] kLen, int[] probStart, int maxQ, int maxK,
                          int maxBlockWeights, long work) {

        /** {@code batch} sequences of {@code tq} queries and {@code tk} keys each, padding included. */
        static Layout uniform(int batch, int tq, int tk, int heads, int dk, int dv, boolean causal) {
            int[] qStart = new int[batch];
            int[] qLen = new int[batch];
            int[] kStart = new int[batch];
            int[] kLen = new int[batch];
            for (int b = 0; b < batch; b++) {
                qStart[b] = b * tq;
                qLen[b] = tq;
                kStart[b] = b * tk;
                kLen[b] = tk;
            }
            return of(heads, dk, dv, causal, qStart, qLen, kStart, kLen);
        }

        /** Self-attention over the sequences between consecutive {@code starts}. */
        static Layout packed(int[] starts, int heads, int dk, int dv, boolean causal) {
            int n = starts.length - 1;
            int[] start = java.util.Arrays.copyOf(starts, n);
            int[] len = new int[n];
            for (int s = 0; s < n; s++) {
                len[s] = starts[s + 1] - starts[s];
            }
            return of(heads, dk, dv, causal, start, len, start, len);
        }

        private static Layout of(int heads, int dk, int dv, boolean causal, int[] qStart, int[] qLen, int[] kStart,
                                 int[] kLen) {
            int n = qStart.length;
            int[] probStart = new int[n * heads + 1];
            int maxQ = 0;
            int maxK = 0;
            int maxBlockWeights = 0;
            long work = 0;
            for (int s = 0; s < n; s++) {
                maxQ = Math.max(maxQ, qLen[s]);
                maxK = Math.max(maxK, kLen[s]);
                long weights = 0;
                int block = causal ? CAUSAL_ROW_BLOCK : Math.max(1, qLen[s]);
                for (int i0 = 0; i0 < qLen[s]; i0 += block) {
                    int rows = Math.min(block, qLen[s] - i0);
                    int keys = visibleKeys(causal, i0 + rows, kLen[s]);
                    weights += (long) rows * keys;
                    maxBlockWeights = Math.max(maxBlockWeights, rows * keys);
                }
                work += weights * (dk + dv) * heads;
                for (int h = 0; h < heads; h++) {
                    long next = probStart[s * heads + h] + weights;
                    if (next > Integer.MAX_VALUE - 8) {
                        throw new IllegalArgumentException("attention: " + next + " attention weights do not fit "
                                + "in one array; use fewer or shorter sequences per call");
                    }
                    probStart[s * heads + h + 1] = (int) next;
                }
            }
            return new Layout(n, heads, dk, dv, causal, CAUSAL_ROW_BLOCK, qStart, qLen, kStart, kLen, probStart, maxQ,
                    maxK, maxBlockWeights, work);
        }

        /** The keys rows before {@code end} may see: the first {@code end} with the causal mask (queries and keys are the same steps), else all. */
        static int visibleKeys(boolean causal, int end, int keys) {
            return causal ? Math.min(end, keys) : keys;
        }

        /** Query rows per block of sequence {@code s}. */
        int blockRows(int s) {
            return causal ? rowBlock : Math.max(1, qLen[s]);
        }

        int pairs() {
            return sequences * heads;
        }
    }

    /** One call: its layout, masks and dropout key, and what the forward pass keeps for backward. */
    private static final class Call {
        private final Kernels kern = Kernels.get();
        private final Layout l;
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
        /**
         * Per (sequence, head) pair: the scaled queries, and the softmax weights block by block.
         * Keys and values are read where they lie with one head (a sequence's rows are then
         * contiguous); with more, each pair's columns are copied into {@code kp} and {@code vp}.
         */
        private final float[] qp;
        private final float[] kp;
        private final float[] vp;
        private final float[] probs;
        private float[] k;
        private float[] v;

        Call(Layout l, boolean causal, SequenceMask queryMask, SequenceMask keyMask, float rate, long key) {
            this.l = l;
            this.heads = l.heads;
            this.causal = causal;
            this.queryValid = queryMask == null ? null : queryMask.flags();
            this.keyValid = keyMask == null ? null : keyMask.flags();
            this.dropout = rate > 0f;
            this.keep = dropout ? 1f / (1f - rate) : 1f;
            // Dropped when the 24-bit draw u satisfies u * 2^-24 < rate, that is u < ceil(rate * 2^24).
            this.dropBelow = (int) Math.ceil(rate * DECISION_LEVELS);
            this.key = key;
            this.scale = (float) (1.0 / Math.sqrt(l.dk));
            this.pairs = l.pairs();
            long perPair = Math.max(1L, l.work / Math.max(1, pairs));
            this.grain = (int) Math.max(1, GRAIN_WORK / perPair);
            int qRows = 0;
            int kRows = 0;
            for (int s = 0; s < l.sequences; s++) {
                qRows += l.qLen[s];
                kRows += l.kLen[s];
            }
            this.qp = new float[qRows * heads * l.dk];
            this.kp = heads == 1 ? null : new float[kRows * heads * l.dk];
            this.vp = heads == 1 ? null : new float[kRows * heads * l.dv];
            this.probs = new float[l.probStart[pairs]];
        }

        /** Where pair {@code p}'s queries start in {@code qp}: each sequence's heads one after the other. */
        private int qBlock(int p) {
            int s = p / heads;
            return (l.qStart[s] * heads + (p % heads) * l.qLen[s]) * l.dk;
        }

        /** Pair {@code p}'s first row of keys (and values) among all pairs' rows in {@code kp} ({@code vp}), or in the inputs with one head. */
        private int kBlock(int p) {
            int s = p / heads;
            return l.kStart[s] * heads + (p % heads) * l.kLen[s];
        }

        void forward(float[] q, float[] keys, float[] values, float[] out) {
            this.k = heads == 1 ? keys : kp;
            this.v = heads == 1 ? values : vp;
            Parallel.forRange(pairs, grain, (lo, hi) -> {
                float[] dropped = dropout ? new float[l.maxBlockWeights] : null;
                float[] o = new float[l.maxQ * l.dv];
                for (int p = lo; p < hi; p++) {
                    int s = p / heads;
                    int h = p % heads;
                    int tq = l.qLen[s];
                    int tk = l.kLen[s];
                    int qOff = qBlock(p);
                    int kOff = kBlock(p) * l.dk;
                    int vOff = kBlock(p) * l.dv;
                    if (tq == 0) {
                        continue;
                    }
                    pack(q, heads, l.qStart[s], h, tq, l.dk, qp, qOff);
                    kern.scale(scale, qp, qOff, tq * l.dk);
                    if (heads > 1) {
                        pack(keys, heads, l.kStart[s], h, tk, l.dk, kp, kOff);
                        pack(values, heads, l.kStart[s], h, tk, l.dv, vp, vOff);
                    }
                    int wOff = l.probStart[p];
                    int block = l.blockRows(s);
                    for (int i0 = 0; i0 < tq; i0 += block) {
                        int rows = Math.min(block, tq - i0);
                        int seen = Layout.visibleKeys(causal, i0 + rows, tk);
                        kern.sgemm(false, true, rows, seen, l.dk, qp, qOff + i0 * l.dk, k, kOff, probs, wOff, false);
                        for (int r = 0; r < rows; r++) {
                            int i = i0 + r;
                            softmaxRow(kern, probs, wOff + r * seen, seen, causal ? i + 1 : seen, keyValid,
                                    l.kStart[s], queryValid == null || queryValid[l.qStart[s] + i]);
                        }
                        float[] weights = probs;
                        int weightsOff = wOff;
                        if (dropout) {
                            kern.dropout(probs, wOff, dropped, 0, rows * seen, key, wOff, dropBelow, keep);
                            weights = dropped;
                            weightsOff = 0;
                        }
                        kern.sgemm(false, false, rows, l.dv, seen, weights, weightsOff, v, vOff, o, i0 * l.dv, false);
                        wOff += rows * seen;
                    }
                    unpack(kern, o, out, heads, l.qStart[s], h, tq, l.dv, false);
                }
            });
        }

        /**
         * Adds the gradients for the output's gradient {@code g} into {@code gq}, {@code gk}, {@code gv}
         * (each may be null). Block by block: {@code dV += P'^T dO}, {@code dP' = dO V^T}, the
         * softmax's gradient, {@code dQ = dS K}, {@code dK += dS^T Q}, over the keys the block sees.
         * The dropout mask is regenerated once per block, as the dropped-out weights {@code P'}: where
         * {@code P'} is zero the weight was dropped (or was zero, and then its gradient is zero
         * either way), so {@code dP} there is 0, elsewhere {@code dP' * keep}, as the mask gives it.
         */
        void backward(float[] g, float[] gq, float[] gk, float[] gv) {
            Parallel.forRange(pairs, grain, (lo, hi) -> {
                float[] dO = new float[l.maxQ * l.dv];
                float[] dP = new float[l.maxBlockWeights];
                float[] dropped = dropout ? new float[l.maxBlockWeights] : null;
                float[] dQ = new float[l.maxQ * l.dk];
                float[] dK = new float[l.maxK * l.dk];
                float[] dV = new float[l.maxK * l.dv];
                for (int p = lo; p < hi; p++) {
                    int s = p / heads;
                    int h = p % heads;
                    int tq = l.qLen[s];
                    int tk = l.kLen[s];
                    if (tq == 0) {
                        continue;
                    }
                    int qOff = qBlock(p);
                    int kOff = kBlock(p) * l.dk;
                    int vOff = kBlock(p) * l.dv;
                    pack(g, heads, l.qStart[s], h, tq, l.dv, dO, 0);
                    java.util.Arrays.fill(dK, 0, tk * l.dk, 0f);
                    java.util.Arrays.fill(dV, 0, tk * l.dv, 0f);
                    int wOff = l.probStart[p];
                    int block = l.blockRows(s);
                    for (int i0 = 0; i0 < tq; i0 += block) {
                        int rows = Math.min(block, tq - i0);
                        int seen = Layout.visibleKeys(causal, i0 + rows, tk);
                        int n = rows * seen;
                        float[] weights = probs;
                        int weightsOff = wOff;
                        if (dropout) {
                            kern.dropout(probs, wOff, dropped, 0, n, key, wOff, dropBelow, keep);
                            weights = dropped;
                            weightsOff = 0;
                        }
                        kern.sgemm(true, false, seen, l.dv, rows, weights, weightsOff, dO, i0 * l.dv, dV, 0, true);
                        kern.sgemm(false, true, rows, seen, l.dv, dO, i0 * l.dv, v, vOff, dP, 0, false);
                        if (dropout) {
                            for (int j = 0; j < n; j++) {
                                dP[j] = dropped[j] != 0f ? dP[j] * keep : 0f;
                            }
                        }
                        for (int r = 0; r < rows; r++) {
                            int row = r * seen;
                            float sum = kern.dot(dP, row, probs, wOff + row, seen);
                            for (int j = 0; j < seen; j++) {
                                dP[row + j] = probs[wOff + row + j] * (dP[row + j] - sum);
                            }
                        }
                        kern.sgemm(false, false, rows, l.dk, seen, dP, 0, k, kOff, dQ, i0 * l.dk, false);
                        kern.sgemm(true, false, seen, l.dk, rows, dP, 0, qp, qOff + i0 * l.dk, dK, 0, true);
                        wOff += n;
                    }
                    kern.scale(scale, dQ, 0, tq * l.dk);
                    if (gq != null) {
                        unpack(kern, dQ, gq, heads, l.qStart[s], h, tq, l.dk, true);
                    }
                    if (gk != null) {
                        unpack(kern, dK, gk, heads, l.kStart[s], h, tk, l.dk, true);
                    }
                    if (gv != null) {
                        unpack(kern, dV, gv, heads, l.kStart[s], h, tk, l.dv, true);
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
     * Copies the {@code width} columns of head {@code h} from the {@code steps} rows from row
     * {@code first} ({@code heads * width} values a row) into {@code dst} from {@code dstOff}.
     */
    private static void pack(float[] src, int heads, int first, int h, int steps, int width, float[] dst, int dstOff) {
        int stride = heads * width;
        for (int i = 0; i < steps; i++) {
            System.arraycopy(src, (first + i) * stride + h * width, dst, dstOff + i * width, width);
        }
    }

    /** The reverse of {@link #pack} from a block at 0, writing or adding into {@code dst}. */
    private static void unpack(Kernels kern, float[] src, float[] dst, int heads, int first, int h, int steps,
                               int width, boolean accumulate) {
        int stride = heads * width;
        for (int i = 0; i < steps; i++) {
            int at = (first + i) * stride + h * width;
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
