package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.engine.kernels.Matrices.GUARD;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;
import static org.embedrec.engine.kernels.Matrices.assertWithinBound;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.embedrec.engine.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGEMM: the SIMD kernel against the scalar reference on every transpose combination, on
 * awkward shapes that hit the direct path, the blocked path, partial tiles and several KC/MC/NC
 * blocks; accumulate semantics; and the same bits on any number of threads.
 */
class SgemmTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    /** m, n, k: sizes 1, 15, 17, 33, primes, and blocks of the blocked path crossed in each dimension. */
    static Stream<Arguments> shapes() {
        int[][] shapes = {
            {1, 1, 1}, {4, 1, 2}, {2, 3, 1}, {1, 15, 17}, {15, 17, 33}, {17, 33, 15}, {31, 37, 41},
            {33, 1, 300}, {1, 33, 300}, {64, 64, 64}, {129, 97, 257}, {150, 70, 513}, {9, 2100, 7},
            {2, 2053, 40}, {7, 5, 1031},
        };
        return Matrices.withAllTransposes(shapes);
    }

    /** Small integers make every product and partial sum exact, so any order must give the same bits. */
    @ParameterizedTest(name = "[{0}x{2}]x[{2}x{1}] transA={3} transB={4}")
    @MethodSource("shapes")
    void simdEqualsScalarExactlyOnIntegers(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom random = new SplittableRandom(31L * m + 7L * n + k);
        int aOff = 3;
        int bOff = 5;
        int cOff = 2;
        float[] a = Matrices.integers(random, aOff, m * k);
        float[] b = Matrices.integers(random, bOff, k * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] c0 = Matrices.integers(random, cOff, m * n);
            float[] expected = c0.clone();
            SCALAR.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
            float[] actual = c0.clone();
            SIMD.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
            assertSameBits(expected, actual, "accumulate=" + accumulate);
        }
    }

    @ParameterizedTest(name = "[{0}x{2}]x[{2}x{1}] transA={3} transB={4}")
    @MethodSource("shapes")
    void simdIsWithinRoundingOfScalarOnFloats(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom random = new SplittableRandom(17L * m + 5L * n + k);
        int aOff = 1;
        int bOff = 0;
        int cOff = 4;
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        float[] c0 = Matrices.uniform(random, cOff, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = c0.clone();
            SCALAR.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
            float[] actual = c0.clone();
            SIMD.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
            double[] scale = Matrices.errorScale(transA, transB, m, n, k, a, aOff, b, bOff, c0, cOff, accumulate);
            assertWithinBound(expected, actual, scale, k, "accumulate=" + accumulate);
        }
    }

    @Test
    void withoutAccumulateTheOldContentsOfCAreIgnoredEvenNaN() {
        SplittableRandom random = new SplittableRandom(3);
        for (int[] s : new int[][] {{3, 4, 5}, {70, 90, 300}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = Matrices.integers(random, 0, m * k);
            float[] b = Matrices.integers(random, 0, k * n);
            float[] expected = new float[m * n + 7];
            Arrays.fill(expected, m * n, expected.length, GUARD);
            SCALAR.sgemm(false, false, m, n, k, a, 0, b, 0, expected, 0, false);
            float[] c = expected.clone();
            Arrays.fill(c, 0, m * n, Float.NaN);
            SIMD.sgemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
            assertSameBits(expected, c, m + "x" + n + "x" + k);
        }
    }

    @Test
    void accumulateAddsTheProductToC() {
        // [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]], added to [[1, -1], [10, 0.5]].
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        for (Kernels kernels : List.of(SIMD, SCALAR)) {
            float[] c = {1, -1, 10, 0.5f};
            kernels.sgemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0, true);
            assertThat(c).as(kernels.name()).containsExactly(20, 21, 53, 50.5f);
            kernels.sgemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0, false);
            assertThat(c).as(kernels.name()).containsExactly(19, 22, 43, 50);
        }
    }

    @Test
    void transposesReadTheStoredLayouts() {
        // A stored 2x3 used as A^T (3x2); B stored 2x3 used as B^T (3x2): C = A^T B^T is 3x3... here with
        // op(A) = A^T (m=3, k=2) and op(B) = B^T (k=2, n=2 from B stored 2x2).
        float[] a = {1, 2, 3, 4, 5, 6};      // A = [[1,2,3],[4,5,6]], A^T = [[1,4],[2,5],[3,6]]
        float[] b = {1, 0, 2, 1};            // B = [[1,0],[2,1]],     B^T = [[1,2],[0,1]]
        for (Kernels kernels : List.of(SIMD, SCALAR)) {
            float[] c = new float[6];
            kernels.sgemm(true, true, 3, 2, 2, a, 0, b, 0, c, 0, false);
            assertThat(c).as(kernels.name()).containsExactly(1, 6, 2, 9, 3, 12);
        }
    }

    @Test
    void emptySumsZeroOrKeepC() {
        for (Kernels kernels : List.of(SIMD, SCALAR)) {
            float[] c = {1, 2, 3, 4, 5, 6};
            kernels.sgemm(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, true);
            assertThat(c).containsExactly(1, 2, 3, 4, 5, 6);
            kernels.sgemm(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, false);
            assertThat(c).containsExactly(0, 0, 0, 0, 0, 0);
            kernels.sgemm(false, false, 0, 3, 4, new float[0], 0, new float[12], 0, new float[0], 0, false);
        }
    }

    @Test
    void operandsThatDoNotFitTheirArraysAreRejectedByBoth() {
        for (Kernels kernels : List.of(SIMD, SCALAR)) {
            assertThatThrownBy(() -> kernels.sgemm(false, false, 2, 2, 2, new float[3], 0, new float[4], 0,
                    new float[4], 0, false))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("A (2 x 2)");
            assertThatThrownBy(() -> kernels.sgemm(false, false, 2, 2, 2, new float[4], 0, new float[4], 1,
                    new float[4], 0, false))
                    .hasMessageContaining("B (2 x 2)");
            assertThatThrownBy(() -> kernels.sgemm(false, false, -1, 2, 2, new float[4], 0, new float[4], 0,
                    new float[4], 0, false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Threads split rows and columns of C, never the sum: 1, 2 and 3 threads give the same bits.
     * The shapes are checked to be large enough that the kernel really splits them.
     */
    @ParameterizedTest(name = "[{0}x{2}]x[{2}x{1}] transA={3} transB={4}")
    @MethodSource("splitShapes")
    void sameBitsOnOneTwoAndThreeThreads(int m, int n, int k, boolean transA, boolean transB) {
        assertThat((long) m * n * k).as("large enough to run in parallel").isGreaterThanOrEqualTo(SimdSgemm.PARALLEL_MIN);
        SplittableRandom random = new SplittableRandom(11);
        float[] a = Matrices.uniform(random, 0, m * k);
        float[] b = Matrices.uniform(random, 0, k * n);
        float[] c0 = Matrices.uniform(random, 0, m * n);
        float[] reference = null;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            float[] c = c0.clone();
            SIMD.sgemm(transA, transB, m, n, k, a, 0, b, 0, c, 0, true);
            if (reference == null) {
                reference = c;
            } else {
                assertSameBits(reference, c, threads + " threads against 1");
            }
        }
    }

    /** Several row blocks and KC blocks; and a short wide product that is split by columns instead. */
    static Stream<Arguments> splitShapes() {
        return Stream.of(
                Arguments.of(301, 257, 530, false, false),
                Arguments.of(301, 257, 530, true, true),
                Arguments.of(250, 97, 300, true, false),
                Arguments.of(5, 3000, 300, false, true),
                Arguments.of(5, 3000, 300, false, false));
    }
}
