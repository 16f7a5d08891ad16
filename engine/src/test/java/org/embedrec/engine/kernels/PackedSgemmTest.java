package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import org.embedrec.engine.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * SGEMM against a pre-packed B: the same bits as the plain SGEMM on the same operands, on every
 * path the shape selects (vector, small, narrow, blocked across several KC and NC blocks), on
 * one and three threads, and nothing written outside C's window.
 */
class PackedSgemmTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    @ParameterizedTest(name = "[{0}x{2}]x[{2}x{1}] transB={3}")
    @CsvSource({
        "1, 300, 32, true", "3, 5, 4, false", "5, 9, 33, true", "150, 70, 513, false", "150, 70, 513, true",
        "129, 4500, 32, true", "129, 4500, 32, false", "40, 2100, 300, true", "128, 59, 32, true",
    })
    void packedEqualsUnpackedBitForBit(int m, int n, int k, boolean transB) {
        SplittableRandom random = new SplittableRandom(31L * m + 7L * n + k);
        int aOff = 3;
        int bOff = 5;
        int cOff = 2;
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] expected = Matrices.uniform(random, cOff, m * n);
            float[] before = expected.clone();
            kernels.sgemm(false, transB, m, n, k, a, aOff, b, bOff, expected, cOff, false);
            PackedMatrix packed = kernels.pack(transB, n, k, b, bOff);
            assertThat(packed.columns()).isEqualTo(n);
            assertThat(packed.depth()).isEqualTo(k);
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                float[] actual = before.clone();
                kernels.sgemmPacked(m, a, aOff, packed, actual, cOff);
                assertSameBits(expected, actual, kernels.name() + " on " + threads + " threads");
            }
        }
    }

    @Test
    void aPackedMatrixServesManyProductsAndIgnoresLaterChangesToB() {
        SplittableRandom random = new SplittableRandom(5);
        int m = 64;
        int n = 3000;
        int k = 32;
        float[] b = Matrices.uniform(random, 0, n * k);
        float[] original = b.clone();
        PackedMatrix packed = SIMD.pack(true, n, k, b, 0);
        java.util.Arrays.fill(b, 0f);
        for (int product = 0; product < 3; product++) {
            float[] a = Matrices.uniform(random, 0, m * k);
            float[] expected = new float[m * n + 7];
            SIMD.sgemm(false, true, m, n, k, a, 0, original, 0, expected, 0, false);
            float[] actual = new float[m * n + 7];
            SIMD.sgemmPacked(m, a, 0, packed, actual, 0);
            assertSameBits(expected, actual, "product " + product);
        }
    }

    @Test
    void packRejectsABThatDoesNotFit() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            assertThatThrownBy(() -> kernels.pack(true, 10, 4, new float[39], 0))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("pack: B (4 x 10)");
            assertThatThrownBy(() -> kernels.pack(true, -1, 4, new float[39], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=-1");
        }
    }
}
