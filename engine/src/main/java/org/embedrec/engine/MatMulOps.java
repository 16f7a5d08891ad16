package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Matrix products on the SGEMM kernel. For {@code C = A B}: {@code dA = dC B^T} and
 * {@code dB = A^T dC}, each one more SGEMM accumulating into the gradient.
 */
final class MatMulOps {
    private MatMulOps() {}

    /** {@code [m, k] x [k, n] -> [m, n]}. */
    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(a.shape()) + " x "
                    + Shape.toString(b.shape()) + ": both operands must be 2-D");
        }
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        if (b.dim(0) != k) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(a.shape()) + " x "
                    + Shape.toString(b.shape()) + ": inner dimensions " + k + " and " + b.dim(0) + " differ");
        }
        Tensor out = Tensor.zeros(m, n);
        Kernels kern = Kernels.get();
        kern.sgemm(false, false, m, n, k, a.data(), 0, b.data(), 0, out.data(), 0, false);
        return GradientTape.record(out, g -> {
            if (a.requiresGrad()) {
                kern.sgemm(false, true, m, k, n, g, 0, b.data(), 0, a.gradBuffer(), 0, true);
            }
            if (b.requiresGrad()) {
                kern.sgemm(true, false, k, n, m, a.data(), 0, g, 0, b.gradBuffer(), 0, true);
            }
        }, a, b);
    }
}
