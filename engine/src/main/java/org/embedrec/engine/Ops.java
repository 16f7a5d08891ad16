package org.embedrec.engine;

/**
 * Every differentiable op, in one place. Each method here delegates to the file that holds
 * the op's forward kernel call and its backward rule side by side; ops record on an open
 * {@link GradientTape} and cost nothing extra when none is open.
 *
 * <p>Binary element-wise ops broadcast over leading dimensions (one shape ends with the other,
 * {@code [B, D] + [D]}) and along the last axis (the shapes are equal but for a last dimension
 * of 1, {@code [B, D] - [B, 1]}).
 */
public final class Ops {
    private Ops() {}

    // ---- arithmetic (ArithmeticOps) ----

    /** {@code a + b}, broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        return ArithmeticOps.add(a, b);
    }

    /** {@code a - b}, broadcasting. */
    public static Tensor sub(Tensor a, Tensor b) {
        return ArithmeticOps.sub(a, b);
    }

    /** {@code a * b} element-wise, broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        return ArithmeticOps.mul(a, b);
    }

    /** {@code a / b} element-wise, broadcasting. */
    public static Tensor div(Tensor a, Tensor b) {
        return ArithmeticOps.div(a, b);
    }

    // ---- matrix products (MatMulOps) ----

    /** {@code [m, k] x [k, n] -> [m, n]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return MatMulOps.matmul(a, b);
    }

    // ---- reductions (ReductionOps) ----

    /** Sum of all elements. */
    public static Tensor sum(Tensor x) {
        return ReductionOps.sum(x);
    }

    /** Mean of all elements. */
    public static Tensor mean(Tensor x) {
        return ReductionOps.mean(x);
    }

    // ---- indexing (GatherOps) ----

    /** Embedding lookup: rows {@code ids} of a 2-D {@code table}; ids of shape {@code idShape}. */
    public static Tensor gatherRows(Tensor table, int[] ids, int... idShape) {
        return GatherOps.gatherRows(table, ids, idShape);
    }

    /** Embedding lookup with a flat list of ids: {@code [ids.length, width]}. */
    public static Tensor gatherRows(Tensor table, int[] ids) {
        return GatherOps.gatherRows(table, ids, ids.length);
    }

    /**
     * Masked mean of embedding bags: {@code ids [bags * bagLength]} row-major, padded with
     * {@code padId} -> {@code [bags, width]}, row b the mean of the table rows of bag b's ids other
     * than {@code padId} (a zero row when there are none). Keras's {@code Embedding(mask_zero=True)}
     * then masked {@code GlobalAveragePooling1D}; each id's row receives {@code grad[b] / count_b}.
     */
    public static Tensor gatherMean(Tensor table, int[] ids, int bagLength, int padId) {
        return GatherOps.gatherMean(table, ids, bagLength, padId);
    }

    // ---- activations (ActivationOps) ----

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) {
        return ActivationOps.relu(x);
    }

    // ---- fused cross-entropies (LossOps) ----

    /**
     * Element-wise binary cross-entropy of {@code targets} (probabilities, usually 0 or 1)
     * against {@code sigmoid(logits)}, in the stable form
     * {@code max(x, 0) - x * y + log(1 + exp(-|x|))}; shapes must be equal. Finite for any
     * finite logits; the gradient for the logits is {@code sigmoid(x) - y}.
     */
    public static Tensor sigmoidCrossEntropy(Tensor logits, Tensor targets) {
        return LossOps.sigmoidCrossEntropy(logits, targets);
    }

    /**
     * Categorical cross-entropy of {@code softmax(logits)} over the last axis at the class
     * {@code labels}, one label per row: {@code [..., classes] -> [...]}, each value
     * {@code logsumexp(row) - row[label]}. Finite for any finite logits; the gradient of a row
     * is {@code softmax(row) - onehot(label)}.
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
        return LossOps.softmaxCrossEntropy(logits, labels);
    }

    /**
     * In-batch softmax cross-entropy, fused with the product that makes its logits: for
     * {@code queries [B, D]} and {@code candidates [M, D]} ({@code M >= B}), row i's logits are
     * {@code (scale q_i) . c_j - columnShift[j]}, plus {@code duplicateOffset} where
     * {@code j != i} and {@code ids[j] == ids[i]}; its label is column i. Returns the
     * {@code [B]} losses {@code logsumexp(row) - row[i]}. {@code columnShift} and {@code ids}
     * (length M each) may be null.
     */
    public static Tensor inBatchSoftmaxCrossEntropy(Tensor queries, Tensor candidates, float scale,
                                                    float[] columnShift, int[] ids, float duplicateOffset) {
        return InBatchSoftmaxLoss.apply(queries, candidates, scale, columnShift, ids, duplicateOffset);
    }

    /**
     * Softmax cross-entropy over distinct candidates that stand for repeated columns, fused with
     * the product that makes its logits: for {@code queries [B, D]}, {@code candidates [U, D]},
     * {@code base[i][u] = (scale q_i) . c_u - columnShift[u]}, returns the {@code [B]} losses
     * {@code log(sum_u n_iu exp(base[i][u])) - base[i][labels[i]]} with {@code n_iu = counts[u]},
     * except {@code n_iu = 1} at {@code u = labels[i]} when {@code removeLabelCopies}. Equals the
     * in-batch softmax over the full columns (each candidate repeated {@code counts[u]} times),
     * with accidental hits masked when {@code removeLabelCopies}. {@code counts} and
     * {@code columnShift} (length U) may be null: all 1, all 0.
     */
    public static Tensor sampledSoftmaxCrossEntropy(Tensor queries, Tensor candidates, float scale, int[] labels,
                                                    int[] counts, float[] columnShift, boolean removeLabelCopies) {
        return SampledSoftmaxLoss.apply(queries, candidates, scale, labels, counts, columnShift, removeLabelCopies);
    }

    /**
     * Full softmax cross-entropy with columns left out per row, fused with the product that makes
     * its logits: for {@code queries [B, D]} and {@code candidates [M, D]}, row i's logits are
     * {@code q_i . c_j}, except at the columns {@code excludedColumns[excludedFrom[i] .. excludedTo[i])}
     * other than {@code labels[i]}, which are set to {@code -1e9} so that their probability and
     * gradient are exactly 0. Returns the {@code [B]} losses {@code logsumexp(row) - row[labels[i]]}:
     * {@code softmaxCrossEntropy(matmul(queries, candidates^T) + penalty, labels)} with a penalty of
     * -1e9 at those columns, without ever holding the {@code [B, M]} logits. The ranges index one
     * shared list, so they may overlap (rows excluding nested prefixes of one list); a column may
     * repeat; an empty range excludes nothing.
     */
    public static Tensor softmaxCrossEntropyExcluding(Tensor queries, Tensor candidates, int[] labels,
                                                      int[] excludedColumns, int[] excludedFrom, int[] excludedTo) {
        return ExcludingSoftmaxLoss.apply(queries, candidates, labels, excludedColumns, excludedFrom, excludedTo);
    }

    /**
     * Biased matrix factorisation's training loss in one op, a scalar: the mean over the examples
     * of {@code (((p_u . q_i) + globalBias) + (b_u + b_i) - target)^2}, plus
     * {@code sum_r itemL2[r] |q_i|^2} and {@code sum_r userL2[r] |p_u|^2} (each null for none),
     * with {@code p}, {@code q} rows of the {@code [users, d]} and {@code [items, d]} factor tables and
     * {@code b} entries of the {@code [users, 1]} and {@code [items, 1]} bias tables. The same bits,
     * loss and gradients, as the op graph that spells it out (gathers, dot, adds, squared error,
     * mean, and per table square, product with the weights and sum).
     */
    public static Tensor matrixFactorizationLoss(Tensor userFactors, Tensor itemFactors, Tensor userBias,
                                                 Tensor itemBias, float globalBias, int[] users, int[] items,
                                                 float[] targets, float[] userL2, float[] itemL2) {
        return MatrixFactorizationLoss.apply(userFactors, itemFactors, userBias, itemBias, globalBias, users, items,
                targets, userL2, itemL2);
    }

    // ---- shapes, products, reductions over an axis, element-wise math, activations, dropout ----

    /** {@code op(a) x op(b)} for 2-D operands, {@code op} transposing when its flag is set. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return MatMulOps.matmul(a, b, transA, transB);
    }

    /** Batched product: {@code [B, m, k] x [B, k, n] -> [B, m, n]}, with optional transposes of each matrix. */
    public static Tensor batchedMatmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return MatMulOps.batchedMatmul(a, b, transA, transB);
    }

    /** Transpose of a 2-D tensor. */
    public static Tensor transpose(Tensor x) {
        return MatMulOps.transpose(x);
    }

    /** Sum over {@code axis} (negative counts from the end), keeping it as size 1 when {@code keepDims}. */
    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        return ReductionOps.sum(x, axis, keepDims);
    }

    /** Mean over {@code axis}, keeping it as size 1 when {@code keepDims}. */
    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        return ReductionOps.mean(x, axis, keepDims);
    }

    /** Same data, new shape; one dimension may be -1 and is inferred. */
    public static Tensor reshape(Tensor x, int... shape) {
        return ShapeOps.reshape(x, shape);
    }

    /** Concatenation along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... xs) {
        return ShapeOps.concat(axis, xs);
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        return ShapeOps.slice(x, axis, start, end);
    }

    /** Dot product along the last axis: {@code [..., d] . [..., d] -> [...]}. */
    public static Tensor dot(Tensor a, Tensor b) {
        return MatMulOps.dot(a, b);
    }

    /** {@code c * x}. */
    public static Tensor scale(Tensor x, float c) {
        return MathOps.scale(x, c);
    }

    /** {@code x + c}. */
    public static Tensor addScalar(Tensor x, float c) {
        return MathOps.addScalar(x, c);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor x) {
        return ActivationOps.sigmoid(x);
    }

    /** {@code log(1 + exp(x))}, stable for large {@code |x|}; {@code softplus(-x) = -log(sigmoid(x))}. */
    public static Tensor softplus(Tensor x) {
        return ActivationOps.softplus(x);
    }

    public static Tensor tanh(Tensor x) {
        return ActivationOps.tanh(x);
    }

    /** Softmax over the last axis, computed after subtracting the row maximum. */
    public static Tensor softmax(Tensor x) {
        return ActivationOps.softmax(x);
    }

    /** {@code x - logsumexp(x)} over the last axis, stable for large logits. */
    public static Tensor logSoftmax(Tensor x) {
        return ActivationOps.logSoftmax(x);
    }

    public static Tensor exp(Tensor x) {
        return MathOps.exp(x);
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor x) {
        return MathOps.log(x);
    }

    public static Tensor square(Tensor x) {
        return MathOps.square(x);
    }

    public static Tensor sqrt(Tensor x) {
        return MathOps.sqrt(x);
    }

    /** {@code min(max(x, lo), hi)}; the gradient passes strictly inside the range. */
    public static Tensor clamp(Tensor x, float lo, float hi) {
        return MathOps.clamp(x, lo, hi);
    }

    /**
     * Inverted dropout: each element is zeroed with probability {@code rate} and the survivors
     * scaled by {@code 1 / (1 - rate)}; the mask is drawn from {@code rng}.
     */
    public static Tensor dropout(Tensor x, float rate, Rng rng) {
        return DropoutOps.dropout(x, rate, rng);
    }

    // ---- dense layers (LinearOps) ----

    /**
     * {@code x W + b} for {@code x [m, k]}, {@code W [k, n]} and {@code b [n]} (null for no bias):
     * one op, one output, the same values as {@code add(matmul(x, W), b)}.
     */
    public static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
        return LinearOps.linear(x, kernel, bias, false);
    }

    /** {@code max(x W + b, 0)} as one op: the same values as {@code relu(add(matmul(x, W), b))}. */
    public static Tensor linearRelu(Tensor x, Tensor kernel, Tensor bias) {
        return LinearOps.linear(x, kernel, bias, true);
    }

    // ---- recurrent layers over sequences (RecurrentOps and the cells) ----
    //
    // Sequences are [batch, time, features], row-major: step t of sequence b is the contiguous
    // vector at (b * time + t) * features. Each op takes the input pre-activations of every step
    // (x W + b, one matrix product for all steps, computed by the caller), the recurrent kernel U,
    // an optional recurrent bias and an optional SequenceMask; the state starts at zero and is
    // carried unchanged across padded steps, which receive no gradient. With returnSequences the
    // result is every step's state [batch, time, units] (zero at padded steps), otherwise the
    // state after the last step [batch, units].

    /**
     * GRU (reset gate after the recurrent product, as Keras, PyTorch and cuDNN): {@code inputs
     * [batch, time, 3 * units]} in gate order z, r, n; {@code recurrentKernel [units, 3 * units]};
     * {@code recurrentBias [3 * units]} or null; {@code mask} or null. See {@link GruCell}.
     */
    public static Tensor gru(Tensor inputs, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                             boolean returnSequences) {
        return RecurrentOps.run("gru", GruCell.GATES, GruCell::new, inputs, recurrentKernel, recurrentBias, mask,
                returnSequences);
    }

    /**
     * LSTM: {@code inputs [batch, time, 4 * units]} in gate order i, f, g, o; {@code recurrentKernel
     * [units, 4 * units]}; {@code recurrentBias} or null; {@code mask} or null. Returns {@code h}; see
     * {@link LstmCell}.
     */
    public static Tensor lstm(Tensor inputs, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                              boolean returnSequences) {
        return RecurrentOps.run("lstm", LstmCell.GATES, LstmCell::new, inputs, recurrentKernel, recurrentBias, mask,
                returnSequences);
    }

    /**
     * Simple (Elman) RNN, {@code h_t = tanh(x_t + h_{t-1} U + recurrent bias)}: {@code inputs
     * [batch, time, units]}, {@code recurrentKernel [units, units]}.
     */
    public static Tensor simpleRnn(Tensor inputs, Tensor recurrentKernel, Tensor recurrentBias, SequenceMask mask,
                                   boolean returnSequences) {
        return RecurrentOps.run("simpleRnn", SimpleRnnCell.GATES, SimpleRnnCell::new, inputs, recurrentKernel,
                recurrentBias, mask, returnSequences);
    }

    // ---- normalization (NormalizationOps) ----

    /**
     * Layer normalization of each row of {@code x [rows, d]}: {@code (x - mean) / sqrt(var +
     * epsilon) * gamma + beta}, biased variance, {@code gamma} and {@code beta} of shape {@code [d]};
     * one op with its backward rule instead of nine.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float epsilon) {
        return NormalizationOps.layerNorm(x, gamma, beta, epsilon);
    }

    // ---- attention (AttentionOps) ----

    /**
     * Scaled dot-product attention over {@code heads} heads: {@code query [batch, Tq, heads * dk]},
     * {@code key [batch, Tk, heads * dk]}, {@code value [batch, Tk, heads * dv]} ->
     * {@code [batch, Tq, heads * dv]}, head h on its own slice of columns:
     * {@code softmax(Q_h K_h^T / sqrt(dk)) V_h}. A query sees no padded key ({@code keyMask}) and, when
     * {@code causal}, no later key; padded queries ({@code queryMask}) and queries that see no key
     * output zeros. Either mask may be null. With {@code dropoutRate > 0} the attention weights are
     * dropped out with a mask drawn from {@code rng} (inverted dropout, regenerated in backward).
     */
    public static Tensor attention(Tensor query, Tensor key, Tensor value, int heads, boolean causal,
                                   SequenceMask queryMask, SequenceMask keyMask, float dropoutRate, Rng rng) {
        return AttentionOps.attention(query, key, value, heads, causal, queryMask, keyMask, dropoutRate, rng);
    }

    /**
     * {@link #attention} without padding: sequences packed one after the other, sequence {@code s}
     * at rows {@code [starts[s], starts[s + 1])} of {@code query [rows, heads * dk]}, {@code key}
     * and {@code value [rows, heads * dv]}, each attending to its own rows only (and, when
     * {@code causal}, to no later row) -> {@code [rows, heads * dv]}. The same results as the padded
     * op on the same sequences left-padded, with work proportional to the sum of the squared
     * lengths instead of the batch times the longest length squared.
     */
    public static Tensor packedAttention(Tensor query, Tensor key, Tensor value, int heads, boolean causal,
                                         int[] starts, float dropoutRate, Rng rng) {
        return AttentionOps.packedAttention(query, key, value, heads, causal, starts, dropoutRate, rng);
    }

    // ---- convolution and pooling (ConvOps, PoolingOps), channels last ----

    /**
     * 2-D convolution (cross-correlation) of images {@code x [batch, height, width, channels]} by
     * {@code kernel [kh, kw, channels, filters]} plus {@code bias [filters]} (null for none), with
     * strides and zero padding on each side: {@code [batch, outH, outW, filters]},
     * {@code outH = (height + top + bottom - kh) / strideH + 1} and likewise {@code outW}.
     */
    public static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int strideH, int strideW,
                                int top, int bottom, int left, int right) {
        return ConvOps.conv2d(x, kernel, bias, strideH, strideW, top, bottom, left, right);
    }

    /**
     * 1-D convolution of sequences {@code x [batch, time, channels]} by {@code kernel [size, channels,
     * filters]} plus {@code bias [filters]} (null for none), with a stride and zero padding before
     * and after: {@code [batch, (time + before + after - size) / stride + 1, filters]}.
     */
    public static Tensor conv1d(Tensor x, Tensor kernel, Tensor bias, int stride, int before, int after) {
        return ConvOps.conv1d(x, kernel, bias, stride, before, after);
    }

    /** Maximum over {@code poolH x poolW} windows of {@code [batch, height, width, channels]}, windows inside the image. */
    public static Tensor maxPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW) {
        return PoolingOps.maxPool2d(x, poolH, poolW, strideH, strideW);
    }

    /** Mean over the (real, when {@code mask} is given) steps: {@code [batch, time, channels] -> [batch, channels]}. */
    public static Tensor globalAveragePool1d(Tensor x, SequenceMask mask) {
        return PoolingOps.globalAveragePool1d(x, mask);
    }

    /** Maximum over the (real, when {@code mask} is given) steps: {@code [batch, time, channels] -> [batch, channels]}. */
    public static Tensor globalMaxPool1d(Tensor x, SequenceMask mask) {
        return PoolingOps.globalMaxPool1d(x, mask);
    }
}
