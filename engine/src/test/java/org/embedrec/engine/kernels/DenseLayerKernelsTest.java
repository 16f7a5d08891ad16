package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels of a dense layer's bias, relu and their backward pass, SIMD against scalar at odd
 * offsets, on widths around the vector width (so both the vector loops and their tails run),
 * and against hand-computed values. All three round once per element per step, so SIMD and
 * scalar must agree to the bit, NaN and signed zeros included.
 */
class DenseLayerKernelsTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(3, 7), Arguments.of(5, 16), Arguments.of(4, 17),
                Arguments.of(9, 32), Arguments.of(2, 63), Arguments.of(6, 64), Arguments.of(3, 65),
                Arguments.of(11, 97), Arguments.of(0, 5), Arguments.of(130, 130));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void addBiasAgreesBitForBit(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 1000L + cols);
        float[] x = Matrices.uniform(random, 3, rows * cols);
        float[] bias = Matrices.uniform(random, 2, cols);
        if (rows * cols > 3) {
            x[3] = Float.NaN;
            x[4] = -0f;
            bias[2 + (cols > 1 ? 1 : 0)] = -0f;
        }
        for (boolean relu : new boolean[] {false, true}) {
            float[] expected = x.clone();
            float[] actual = x.clone();
            SCALAR.addBias(expected, 3, rows, cols, bias, 2, relu);
            SIMD.addBias(actual, 3, rows, cols, bias, 2, relu);
            assertSameBits(expected, actual, "addBias relu=" + relu + " " + rows + "x" + cols);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void reluMaskAgreesBitForBit(int rows, int cols) {
        int n = rows * cols;
        SplittableRandom random = new SplittableRandom(7 + n);
        float[] y = Matrices.uniform(random, 1, n);
        float[] g = Matrices.uniform(random, 4, n);
        if (n > 4) {
            // Elements 0 to 3: y NaN, -0 and +0 mask; y > 0 passes a gradient of -0 unchanged.
            y[1] = Float.NaN;
            y[2] = -0f;
            y[3] = 0f;
            y[4] = 1f;
            g[4 + 3] = -0f;
        }
        float[] expected = g.clone();
        float[] actual = g.clone();
        SCALAR.reluMask(y, 1, expected, 4, n);
        SIMD.reluMask(y, 1, actual, 4, n);
        assertSameBits(expected, actual, "reluMask n=" + n);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void addColumnSumsAgreesBitForBit(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(31L * rows + cols);
        float[] x = Matrices.uniform(random, 5, rows * cols);
        float[] expected = Matrices.uniform(random, 2, cols);
        float[] actual = expected.clone();
        SCALAR.addColumnSums(x, 5, rows, cols, expected, 2);
        SIMD.addColumnSums(x, 5, rows, cols, actual, 2);
        assertSameBits(expected, actual, "addColumnSums " + rows + "x" + cols);
    }

    @Test
    void handComputedBiasReluAndMask() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] x = {1, -2, 3, -4, 5, -6};
            kernels.addBias(x, 0, 2, 3, new float[] {0.5f, 1f, -4f}, 0, true);
            assertThat(x).as(kernels.name()).containsExactly(1.5f, 0f, 0f, 0f, 6f, 0f);
            float[] linear = {1, -2, 3, -4, 5, -6};
            kernels.addBias(linear, 0, 2, 3, new float[] {0.5f, 1f, -4f}, 0, false);
            assertThat(linear).as(kernels.name()).containsExactly(1.5f, -1f, -1f, -3.5f, 6f, -10f);

            float[] g = {10, 20, 30, 40, 50, 60};
            kernels.reluMask(x, 0, g, 0, 6);
            assertThat(g).as(kernels.name()).containsExactly(10f, 0f, 0f, 0f, 50f, 0f);

            float[] sums = {100, 200, 300};
            kernels.addColumnSums(new float[] {1, 2, 3, 4, 5, 6}, 0, 2, 3, sums, 0);
            assertThat(sums).as(kernels.name()).containsExactly(105f, 207f, 309f);
        }
    }

    @Test
    void columnSumsAddInRowOrder() {
        // 1e8 + 1 + 1 rounds to 1e8 in float when summed in row order, but to 1e8 + 2 (closer to
        // the truth) in any order that adds the ones first: the kernels must not reorder.
        float[] column = {1e8f, 1f, 1f};
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] x = new float[3 * 40];
            for (int r = 0; r < 3; r++) {
                java.util.Arrays.fill(x, r * 40, r * 40 + 40, column[r]);
            }
            float[] out = new float[40];
            kernels.addColumnSums(x, 0, 3, 40, out, 0);
            assertThat(out).as(kernels.name()).containsOnly(1e8f);
        }
    }

    @Test
    void biasAndColumnSumsCheckTheirRanges() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            assertThatThrownBy(() -> kernels.addBias(new float[10], 0, 3, 4, new float[4], 0, true))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("addBias: x (3 x 4)");
            assertThatThrownBy(() -> kernels.addColumnSums(new float[12], 0, 3, 4, new float[3], 0))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("addColumnSums: out");
        }
    }
}
