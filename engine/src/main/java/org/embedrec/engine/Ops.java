package org.embedrec.engine;

/**
 * Every differentiable op, in one place. Each method here delegates to the file that holds
 * the op's forward kernel call and its backward rule side by side; ops record on an open
 * {@link GradientTape} and cost nothing extra when none is open.
 *
 * <p>Binary element-wise ops broadcast over leading dimensions: the shapes are equal, or one
 * ends with the other.
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

    // ---- activations (ActivationOps) ----

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) {
        return ActivationOps.relu(x);
    }

    // ---- contract for the ops still being written: same signatures, bodies to come ----

    /** {@code op(a) x op(b)} for 2-D operands, {@code op} transposing when its flag is set. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        throw new UnsupportedOperationException("matmul(transA, transB) is not written yet");
    }

    /** Batched product: {@code [B, m, k] x [B, k, n] -> [B, m, n]}, with optional transposes of each matrix. */
    public static Tensor batchedMatmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        throw new UnsupportedOperationException("batchedMatmul is not written yet");
    }

    /** Transpose of a 2-D tensor. */
    public static Tensor transpose(Tensor x) {
        throw new UnsupportedOperationException("transpose is not written yet");
    }

    /** Sum over {@code axis} (negative counts from the end), keeping it as size 1 when {@code keepDims}. */
    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        throw new UnsupportedOperationException("sum(axis) is not written yet");
    }

    /** Mean over {@code axis}, keeping it as size 1 when {@code keepDims}. */
    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        throw new UnsupportedOperationException("mean(axis) is not written yet");
    }

    /** Same data, new shape; one dimension may be -1 and is inferred. */
    public static Tensor reshape(Tensor x, int... shape) {
        throw new UnsupportedOperationException("reshape is not written yet");
    }

    /** Concatenation along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... xs) {
        throw new UnsupportedOperationException("concat is not written yet");
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        throw new UnsupportedOperationException("slice is not written yet");
    }

    /** Dot product along the last axis: {@code [..., d] . [..., d] -> [...]}. */
    public static Tensor dot(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("dot is not written yet");
    }

    /** {@code c * x}. */
    public static Tensor scale(Tensor x, float c) {
        throw new UnsupportedOperationException("scale is not written yet");
    }

    /** {@code x + c}. */
    public static Tensor addScalar(Tensor x, float c) {
        throw new UnsupportedOperationException("addScalar is not written yet");
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor x) {
        throw new UnsupportedOperationException("sigmoid is not written yet");
    }

    public static Tensor tanh(Tensor x) {
        throw new UnsupportedOperationException("tanh is not written yet");
    }

    /** Softmax over the last axis, computed after subtracting the row maximum. */
    public static Tensor softmax(Tensor x) {
        throw new UnsupportedOperationException("softmax is not written yet");
    }

    /** {@code x - logsumexp(x)} over the last axis, stable for large logits. */
    public static Tensor logSoftmax(Tensor x) {
        throw new UnsupportedOperationException("logSoftmax is not written yet");
    }

    public static Tensor exp(Tensor x) {
        throw new UnsupportedOperationException("exp is not written yet");
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor x) {
        throw new UnsupportedOperationException("log is not written yet");
    }

    public static Tensor square(Tensor x) {
        throw new UnsupportedOperationException("square is not written yet");
    }

    public static Tensor sqrt(Tensor x) {
        throw new UnsupportedOperationException("sqrt is not written yet");
    }

    /** {@code min(max(x, lo), hi)}; the gradient passes strictly inside the range. */
    public static Tensor clamp(Tensor x, float lo, float hi) {
        throw new UnsupportedOperationException("clamp is not written yet");
    }

    /**
     * Inverted dropout: each element is zeroed with probability {@code rate} and the survivors
     * scaled by {@code 1 / (1 - rate)}; the mask is drawn from {@code rng}.
     */
    public static Tensor dropout(Tensor x, float rate, Rng rng) {
        throw new UnsupportedOperationException("dropout is not written yet");
    }
}
