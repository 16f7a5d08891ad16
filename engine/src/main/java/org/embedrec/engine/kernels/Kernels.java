package org.embedrec.engine.kernels;

/**
 * The numeric kernels every op runs on: flat arrays, offsets, no allocation.
 *
 * <p>Two implementations: {@link SimdKernels} (jdk.incubator.vector) and {@link ScalarKernels},
 * the reference. {@link #get()} returns the one chosen at start-up. Matrices are row-major and
 * contiguous: an {@code m x k} matrix at offset {@code off} has leading dimension {@code k}.
 */
public interface Kernels {

    /** The kernels chosen at start-up: SIMD when the Vector API is present, scalar otherwise. */
    static Kernels get() {
        return KernelSelection.CHOSEN;
    }

    /** A short name for reports: "simd-512" or "scalar". */
    String name();

    /**
     * {@code C = op(A) * op(B)} or, with {@code accumulate}, {@code C += op(A) * op(B)}, where
     * {@code op(A)} is {@code m x k} ({@code A} stored {@code k x m} when {@code transA}) and
     * {@code op(B)} is {@code k x n} ({@code B} stored {@code n x k} when {@code transB}).
     * Each element of C is summed in an order that does not depend on the thread count.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

    /** Dot product of {@code n} elements. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y += alpha * x} over {@code n} elements. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);
}
