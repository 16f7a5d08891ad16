package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM when op(A) is one row ({@code m == 1}) or op(B) one column ({@code n == 1}): a
 * matrix-vector product, such as a dense layer with one output unit (the rating) or one input
 * (a scalar affinity), and their gradients. Register tiles would compute up to
 * {@code RegisterTile.NR} columns (or {@code MR} rows) to keep one, and the small-product path
 * makes one call per scalar; here the vector operand is read once as k contiguous floats (it is
 * contiguous whether or not it is transposed) and the matrix is streamed once.
 *
 * <p>Two shapes of loop, by which way the matrix is stored:
 * <ul>
 *   <li>rows of the matrix against the vector: each output is one dot product
 *       ({@link SimdSgemm#dot}), added to C when accumulating;
 *   <li>the vector's elements against rows of the matrix: the output row is a chain of FMAs
 *       {@code c = fma(v[p], R[p, :], c)} in increasing {@code p}, from +0 (or from C when
 *       accumulating), four vectors of columns held in registers at a time.
 * </ul>
 * Each output element's operations are fixed by the shape, on one thread, so results do not
 * depend on the thread count.
 */
final class SimdGemv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private SimdGemv() {}

    /** Whether this path takes the product. */
    static boolean accepts(int m, int n) {
        return m == 1 || n == 1;
    }

    /** {@code C (+)= op(A) op(B)} as {@link Kernels#sgemm} defines it, for {@code m == 1} or {@code n == 1}, {@code k >= 1}. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        if (n == 1) {
            // op(B) is the k floats at bOff. A stored [m, k]: a dot per row; stored [k, m]: an FMA chain over its rows.
            if (transA) {
                vectorTimesRows(b, bOff, a, aOff, k, m, c, cOff, accumulate);
            } else {
                rowsDotVector(a, aOff, m, k, b, bOff, c, cOff, accumulate);
            }
        } else {
            // op(A) is the k floats at aOff. B stored [k, n]: an FMA chain over its rows; stored [n, k]: a dot per row.
            if (transB) {
                rowsDotVector(b, bOff, n, k, a, aOff, c, cOff, accumulate);
            } else {
                vectorTimesRows(a, aOff, b, bOff, k, n, c, cOff, accumulate);
            }
        }
    }

    /** {@code c[r] (+)= dot(R[r, :], v)} for the {@code rows} rows of R, each {@code k} long. */
    private static void rowsDotVector(float[] r, int rOff, int rows, int k, float[] v, int vOff,
                                      float[] c, int cOff, boolean accumulate) {
        for (int i = 0; i < rows; i++) {
            float d = SimdSgemm.dot(r, rOff + i * k, v, vOff, k);
            c[cOff + i] = accumulate ? c[cOff + i] + d : d;
        }
    }

    /** {@code c[0..w) (+)= sum over p in [0, k) of v[p] * R[p, 0..w)}, one FMA chain per element. */
    private static void vectorTimesRows(float[] v, int vOff, float[] r, int rOff, int k, int w,
                                        float[] c, int cOff, boolean accumulate) {
        int j = 0;
        for (; j + 4 * L <= w; j += 4 * L) {
            FloatVector c0 = start(c, cOff + j, accumulate);
            FloatVector c1 = start(c, cOff + j + L, accumulate);
            FloatVector c2 = start(c, cOff + j + 2 * L, accumulate);
            FloatVector c3 = start(c, cOff + j + 3 * L, accumulate);
            for (int p = 0, row = rOff + j; p < k; p++, row += w) {
                FloatVector vp = FloatVector.broadcast(F, v[vOff + p]);
                c0 = vp.fma(FloatVector.fromArray(F, r, row), c0);
                c1 = vp.fma(FloatVector.fromArray(F, r, row + L), c1);
                c2 = vp.fma(FloatVector.fromArray(F, r, row + 2 * L), c2);
                c3 = vp.fma(FloatVector.fromArray(F, r, row + 3 * L), c3);
            }
            c0.intoArray(c, cOff + j);
            c1.intoArray(c, cOff + j + L);
            c2.intoArray(c, cOff + j + 2 * L);
            c3.intoArray(c, cOff + j + 3 * L);
        }
        for (; j + L <= w; j += L) {
            FloatVector acc = start(c, cOff + j, accumulate);
            for (int p = 0, row = rOff + j; p < k; p++, row += w) {
                acc = FloatVector.broadcast(F, v[vOff + p]).fma(FloatVector.fromArray(F, r, row), acc);
            }
            acc.intoArray(c, cOff + j);
        }
        for (; j < w; j++) {
            float acc = accumulate ? c[cOff + j] : 0f;
            for (int p = 0, at = rOff + j; p < k; p++, at += w) {
                acc = Math.fma(v[vOff + p], r[at], acc);
            }
            c[cOff + j] = acc;
        }
    }

    private static FloatVector start(float[] c, int off, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(F, c, off) : FloatVector.zero(F);
    }
}
