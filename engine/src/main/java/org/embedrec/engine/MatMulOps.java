package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Products on the SGEMM kernel: matrix, batched matrix, and row-wise dot products, plus the
 * transpose. For {@code C = A B}: {@code dA = dC B^T} and {@code dB = A^T dC}, each one more
 * SGEMM accumulating into the gradient; with a transposed operand the same identities are
 * applied to the stored matrix, which only changes the transpose flags and operand order.
 */
final class MatMulOps {
    private MatMulOps() {}

    /** {@code [m, k] x [k, n] -> [m, n]}. */
    static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /** {@code op(a) x op(b)} for 2-D operands, {@code op} transposing when its flag is set. */
    static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: " + describe(a, transA) + " x "
                    + describe(b, transB) + ": both operands must be 2-D");
        }
        Dims d = dims("matmul", a, b, transA, transB, 0);
        Tensor out = Tensor.zeros(d.m, d.n);
        Kernels.get().sgemm(transA, transB, d.m, d.n, d.k, a.data(), 0, b.data(), 0, out.data(), 0, false);
        return GradientTape.record(out, g -> backward(g, a, b, transA, transB, d, 1), a, b);
    }

    /** {@code [B, m, k] x [B, k, n] -> [B, m, n]}, each matrix optionally transposed. */
    static Tensor batchedMatmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() != 3 || b.rank() != 3) {
            throw new IllegalArgumentException("batchedMatmul: " + describe(a, transA) + " x "
                    + describe(b, transB) + ": both operands must be 3-D [batch, rows, columns]");
        }
        if (a.dim(0) != b.dim(0)) {
            throw new IllegalArgumentException("batchedMatmul: " + describe(a, transA) + " x "
                    + describe(b, transB) + ": batch sizes " + a.dim(0) + " and " + b.dim(0) + " differ");
        }
        int batch = a.dim(0);
        Dims d = dims("batchedMatmul", a, b, transA, transB, 1);
        Tensor out = Tensor.zeros(batch, d.m, d.n);
        Kernels kern = Kernels.get();
        for (int p = 0; p < batch; p++) {
            kern.sgemm(transA, transB, d.m, d.n, d.k, a.data(), p * d.m * d.k, b.data(), p * d.k * d.n,
                    out.data(), p * d.m * d.n, false);
        }
        return GradientTape.record(out, g -> backward(g, a, b, transA, transB, d, batch), a, b);
    }

    /** The sizes of {@code op(A) [m, k] x op(B) [k, n]}, read from the matrix dimensions after {@code lead}. */
    private record Dims(int m, int k, int n) {}

    private static Dims dims(String op, Tensor a, Tensor b, boolean transA, boolean transB, int lead) {
        int m = transA ? a.dim(lead + 1) : a.dim(lead);
        int k = transA ? a.dim(lead) : a.dim(lead + 1);
        int kb = transB ? b.dim(lead + 1) : b.dim(lead);
        int n = transB ? b.dim(lead) : b.dim(lead + 1);
        if (k != kb) {
            throw new IllegalArgumentException(op + ": " + describe(a, transA) + " x " + describe(b, transB)
                    + ": inner dimensions " + k + " and " + kb + " differ");
        }
        return new Dims(m, k, n);
    }

    private static String describe(Tensor t, boolean transposed) {
        return Shape.toString(t.shape()) + (transposed ? "^T" : "");
    }

    /**
     * Gradients of {@code C = op(A) op(B)} for {@code batch} consecutive matrix pairs. With
     * {@code dop(A) = dC op(B)^T} and {@code dop(B) = op(A)^T dC}: the stored A gets
     * {@code dop(A)} or, when transposed, {@code op(B) dC^T}; the stored B gets {@code dop(B)}
     * or, when transposed, {@code dC^T op(A)}.
     */
    private static void backward(float[] g, Tensor a, Tensor b, boolean transA, boolean transB, Dims d, int batch) {
        Kernels kern = Kernels.get();
        int m = d.m;
        int k = d.k;
        int n = d.n;
        float[] as = a.data();
        float[] bs = b.data();
        float[] ga = a.requiresGrad() ? a.gradBuffer() : null;
        float[] gb = b.requiresGrad() ? b.gradBuffer() : null;
        for (int p = 0; p < batch; p++) {
            int aOff = p * m * k;
            int bOff = p * k * n;
            int cOff = p * m * n;
            if (ga != null) {
                if (transA) {
                    kern.sgemm(transB, true, k, m, n, bs, bOff, g, cOff, ga, aOff, true);
                } else {
                    kern.sgemm(false, !transB, m, k, n, g, cOff, bs, bOff, ga, aOff, true);
                }
            }
            if (gb != null) {
                if (transB) {
                    kern.sgemm(true, transA, n, k, m, g, cOff, as, aOff, gb, bOff, true);
                } else {
                    kern.sgemm(!transA, false, k, n, m, as, aOff, g, cOff, gb, bOff, true);
                }
            }
        }
    }

    /** Transpose of a 2-D tensor: {@code [m, n] -> [n, m]}. */
    static Tensor transpose(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("transpose: " + Shape.toString(x.shape())
                    + ": expected a 2-D tensor");
        }
        int m = x.dim(0);
        int n = x.dim(1);
        Tensor out = Tensor.zeros(n, m);
        transposeInto(x.data(), out.data(), m, n, false);
        return GradientTape.record(out, g -> transposeInto(g, x.gradBuffer(), n, m, true), x);
    }

    /** Writes (or adds) the transpose of the {@code m x n} matrix {@code src} into {@code dst}. */
    private static void transposeInto(float[] src, float[] dst, int m, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                if (accumulate) {
                    dst[j * m + i] += src[row + j];
                } else {
                    dst[j * m + i] = src[row + j];
                }
            }
        }
    }

    /** Dot product along the last axis: {@code [..., d] . [..., d] -> [...]}. */
    static Tensor dot(Tensor a, Tensor b) {
        int[] shape = a.shape();
        if (shape.length == 0 || !java.util.Arrays.equals(shape, b.shape())) {
            throw new IllegalArgumentException("dot: " + Shape.toString(shape) + " . "
                    + Shape.toString(b.shape()) + ": expected equal shapes of rank at least 1");
        }
        int d = shape[shape.length - 1];
        Tensor out = Tensor.zeros(java.util.Arrays.copyOf(shape, shape.length - 1));
        float[] as = a.data();
        float[] bs = b.data();
        float[] o = out.data();
        Kernels kern = Kernels.get();
        for (int r = 0; r < o.length; r++) {
            o[r] = kern.dot(as, r * d, bs, r * d, d);
        }
        return GradientTape.record(out, g -> {
            float[] ga = a.requiresGrad() ? a.gradBuffer() : null;
            float[] gb = b.requiresGrad() ? b.gradBuffer() : null;
            for (int r = 0; r < g.length; r++) {
                if (ga != null) {
                    kern.axpy(g[r], bs, r * d, ga, r * d, d);
                }
                if (gb != null) {
                    kern.axpy(g[r], as, r * d, gb, r * d, d);
                }
            }
        }, a, b);
    }
}
