package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * countGreater, SIMD and scalar against a plain count, on lengths around the vector width at odd
 * offsets, with many ties (values from a few integers), signed zeros, infinities and NaN.
 */
class CountGreaterKernelTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    static IntStream lengths() {
        return IntStream.of(0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 97, 1000, 4099);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void countsStrictlyGreaterElements(int n) {
        SplittableRandom random = new SplittableRandom(300 + n);
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(7) - 3;
        }
        for (float threshold : new float[] {-4f, -1f, 0f, 2.5f, 3f}) {
            int expected = 0;
            for (int i = 3; i < n + 3; i++) {
                expected += x[i] > threshold ? 1 : 0;
            }
            for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
                assertThat(kernels.countGreater(x, 3, n, threshold)).as("%s, threshold %s", kernels.name(), threshold)
                        .isEqualTo(expected);
            }
        }
    }

    /** Thresholds 0..9 cover the four-at-a-time path, its remainder, ties, NaN and infinities. */
    @ParameterizedTest
    @MethodSource("lengths")
    void manyThresholdsCountAsOneAtATime(int n) {
        SplittableRandom random = new SplittableRandom(700 + n);
        float[] x = new float[n + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(9) - 4;
        }
        if (n > 3) {
            x[5 + n / 2] = Float.NaN;
            x[5 + n / 3] = Float.POSITIVE_INFINITY;
        }
        float[] thresholds = {99f, -2f, 0f, -0f, 3.5f, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -4f, 4f, 2f};
        for (int t = 0; t <= 10; t++) {
            for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
                int[] counts = new int[t + 3];
                kernels.countGreater(x, 5, n, thresholds, 1, t, counts, 2);
                for (int i = 0; i < t; i++) {
                    int expected = 0;
                    for (int e = 5; e < n + 5; e++) {
                        expected += x[e] > thresholds[1 + i] ? 1 : 0;
                    }
                    assertThat(counts[2 + i]).as("%s, %d thresholds, threshold %s", kernels.name(), t, thresholds[1 + i])
                            .isEqualTo(expected);
                }
                assertThat(counts[0]).isZero();
                assertThat(counts[1]).isZero();
            }
        }
    }

    @Test
    void specialValues() {
        float[] x = new float[40];
        x[1] = Float.NaN;
        x[5] = Float.POSITIVE_INFINITY;
        x[9] = -0f;
        x[30] = Float.NEGATIVE_INFINITY;
        x[33] = Float.NaN;
        x[39] = 1e-45f;
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            // Above +0: infinity and the smallest subnormal; -0 and +0 tie; NaN is never greater.
            assertThat(kernels.countGreater(x, 0, 40, 0f)).isEqualTo(2);
            assertThat(kernels.countGreater(x, 0, 40, -0f)).isEqualTo(2);
            // Above -infinity: everything but itself and the NaNs.
            assertThat(kernels.countGreater(x, 0, 40, Float.NEGATIVE_INFINITY)).isEqualTo(37);
            assertThat(kernels.countGreater(x, 0, 40, Float.NaN)).isEqualTo(0);
        }
    }
}
