package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.embedrec.engine.kernels.Matrices.assertWithinBound;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Matrix-vector SGEMM ({@link SimdGemv}, one row or one column of C): within rounding of the
 * scalar reference on random sizes, transposes, offsets and accumulation, writing nothing
 * outside C; exact on small integers, where every order of the sums gives the same float.
 */
class SimdGemvTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    @Property(tries = 300)
    void simdMatchesScalar(@ForAll boolean oneRow,
                           @ForAll @IntRange(min = 1, max = 150) int other,
                           @ForAll @IntRange(min = 1, max = 300) int k,
                           @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                           @ForAll @IntRange(min = 0, max = 19) int aOff,
                           @ForAll @IntRange(min = 0, max = 19) int bOff,
                           @ForAll @IntRange(min = 0, max = 19) int cOff,
                           @ForAll long seed) {
        int m = oneRow ? 1 : other;
        int n = oneRow ? other : 1;
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        float[] c0 = Matrices.uniform(random, cOff, m * n);
        float[] expected = c0.clone();
        SCALAR.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
        float[] actual = c0.clone();
        SIMD.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
        double[] scale = Matrices.errorScale(transA, transB, m, n, k, a, aOff, b, bOff, c0, cOff, accumulate);
        assertWithinBound(expected, actual, scale, k, "m=" + m + " n=" + n + " k=" + k);
    }

    @Test
    void integerProductsAreExactInEveryLayout() {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] mn : new int[][] {{1, 1}, {1, 37}, {1, 130}, {45, 1}, {200, 1}}) {
            int m = mn[0];
            int n = mn[1];
            int k = 70;
            float[] a = Matrices.integers(random, 3, m * k);
            float[] b = Matrices.integers(random, 2, k * n);
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    float[] expected = Matrices.integers(random, 1, m * n);
                    float[] actual = expected.clone();
                    SCALAR.sgemm(transA, transB, m, n, k, a, 3, b, 2, expected, 1, true);
                    SIMD.sgemm(transA, transB, m, n, k, a, 3, b, 2, actual, 1, true);
                    Matrices.assertSameBits(expected, actual, "m=" + m + " n=" + n + " transA=" + transA
                            + " transB=" + transB);
                    assertThat(actual[actual.length - 1]).isEqualTo(Matrices.GUARD);
                }
            }
        }
    }
}
