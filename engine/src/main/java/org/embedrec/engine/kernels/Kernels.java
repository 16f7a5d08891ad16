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

    /** {@code x *= alpha} over {@code n} elements. */
    void scale(float alpha, float[] x, int xOff, int n);

    /**
     * {@code out = a + b} elementwise over {@code n} elements. {@code out} may be {@code a} or
     * {@code b} at the same offset (in place); other overlaps are not supported.
     */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out = a * b} elementwise over {@code n} elements; aliasing as for {@link #add}. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** The sum of {@code n} elements (0 when {@code n == 0}); the order of the additions is unspecified. */
    float sum(float[] x, int xOff, int n);

    /**
     * {@code out = max(x, 0)} elementwise, with {@link Math#max(float, float)} semantics: NaN
     * stays NaN (so a diverging model is not hidden), {@code -0} becomes {@code +0}. {@code out}
     * may be {@code x} at the same offset.
     */
    void relu(float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * The index, counted from {@code xOff}, of the first largest of {@code n >= 1} elements: the
     * result of a left-to-right scan that moves only on a strictly greater element. NaN is never
     * greater, so NaNs are skipped, except a NaN at index 0, which nothing replaces.
     */
    int maxIndex(float[] x, int xOff, int n);
}
