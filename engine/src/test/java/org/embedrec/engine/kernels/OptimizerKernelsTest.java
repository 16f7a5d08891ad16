package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Adam and Adagrad update kernels: SIMD against scalar, to the bit, over several steps on
 * lengths around the vector width at an offset (as an embedding row is updated inside its table),
 * and one step of each computed by hand.
 */
class OptimizerKernelsTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    static IntStream lengths() {
        return IntStream.of(0, 1, 7, 16, 17, 32, 33, 100, 1029);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void adamAgreesBitForBitOverSeveralSteps(int n) {
        SplittableRandom random = new SplittableRandom(40 + n);
        float[] w = Matrices.uniform(random, 3, n);
        float[] m = new float[w.length];
        float[] v = new float[w.length];
        float[][] expected = {w.clone(), m.clone(), v.clone()};
        float[][] actual = {w.clone(), m.clone(), v.clone()};
        for (int step = 1; step <= 4; step++) {
            float[] g = Matrices.uniform(random, 5, n);
            if (n > 2) {
                g[5] = 0f;
                g[6] = -0f;
            }
            float alpha = 0.01f * step;
            float decay = step % 2 == 0 ? 1f : 0.999f;
            SCALAR.adamStep(expected[0], expected[1], expected[2], 3, g, 5, n, 0.7f, 0.9f, 0.999f, alpha, 1e-7f, decay);
            SIMD.adamStep(actual[0], actual[1], actual[2], 3, g, 5, n, 0.7f, 0.9f, 0.999f, alpha, 1e-7f, decay);
        }
        assertSameBits(expected[0], actual[0], "adam weights n=" + n);
        assertSameBits(expected[1], actual[1], "adam first moments n=" + n);
        assertSameBits(expected[2], actual[2], "adam second moments n=" + n);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void adagradAgreesBitForBitOverSeveralSteps(int n) {
        SplittableRandom random = new SplittableRandom(60 + n);
        float[] w = Matrices.uniform(random, 2, n);
        float[] acc = new float[w.length];
        java.util.Arrays.fill(acc, 0.1f);
        float[][] expected = {w.clone(), acc.clone()};
        float[][] actual = {w.clone(), acc.clone()};
        for (int step = 1; step <= 4; step++) {
            float[] g = Matrices.uniform(random, 1, n);
            SCALAR.adagradStep(expected[0], expected[1], 2, g, 1, n, step == 3 ? 0.5f : 1f, 0.05f, 1e-7f);
            SIMD.adagradStep(actual[0], actual[1], 2, g, 1, n, step == 3 ? 0.5f : 1f, 0.05f, 1e-7f);
        }
        assertSameBits(expected[0], actual[0], "adagrad weights n=" + n);
        assertSameBits(expected[1], actual[1], "adagrad accumulators n=" + n);
    }

    @Test
    void oneAdamStepByHand() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            // 20 copies, so the SIMD kernel runs a vector and a tail.
            float[] w = filled(20, 1f);
            float[] m = filled(20, 0.5f);
            float[] v = filled(20, 0.25f);
            float[] g = filled(20, 2f);
            kernels.adamStep(w, m, v, 0, g, 0, 20, 0.5f, 0.9f, 0.99f, 0.1f, 0f, 0.5f);
            // gi = 1; m = 0.45 + 0.1 = 0.55; v = 0.2475 + 0.01 = 0.2575; w = 0.5 - 0.1 * 0.55 / sqrt(0.2575)
            double expectedW = 0.5 - 0.1 * 0.55 / Math.sqrt(0.2575);
            for (int i = 0; i < 20; i++) {
                assertThat(m[i]).as(kernels.name()).isCloseTo(0.55f, within(1e-6f));
                assertThat(v[i]).as(kernels.name()).isCloseTo(0.2575f, within(1e-6f));
                assertThat((double) w[i]).as(kernels.name()).isCloseTo(expectedW, within(1e-6));
            }
        }
    }

    @Test
    void oneAdagradStepByHand() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] w = filled(20, 1f);
            float[] acc = filled(20, 0.1f);
            float[] g = filled(20, -0.3f);
            kernels.adagradStep(w, acc, 0, g, 0, 20, 1f, 0.5f, 0f);
            // acc = 0.1 + 0.09 = 0.19; w = 1 + 0.5 * 0.3 / sqrt(0.19)
            for (int i = 0; i < 20; i++) {
                assertThat(acc[i]).as(kernels.name()).isCloseTo(0.19f, within(1e-6f));
                assertThat((double) w[i]).as(kernels.name()).isCloseTo(1 + 0.15 / Math.sqrt(0.19), within(1e-6));
            }
        }
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
