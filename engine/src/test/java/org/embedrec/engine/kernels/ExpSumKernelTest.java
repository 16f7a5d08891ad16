package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * expSum, SIMD against scalar and against {@code Math.exp} in double, on lengths around the
 * vector width at odd offsets, in place and not: each output within 2 ulp of the exact
 * exponential, the sum within its rounding bound; exact values at 0, underflow to 0 for the
 * large negative offsets that mask logits; SIMD within two units of the last place of scalar
 * over the whole argument range, every power of two the scaling produces included, and equal on
 * infinities and NaN.
 */
class ExpSumKernelTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    static IntStream lengths() {
        return IntStream.of(0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 97, 1000, 4099);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void outputsAreExponentialsAndSumIsTheirSum(int n) {
        SplittableRandom random = new SplittableRandom(200 + n);
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 30 - 25);
        }
        float shift = 4.5f;
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            for (boolean inPlace : new boolean[] {false, true}) {
                float[] in = x.clone();
                float[] out = inPlace ? in : new float[n + 5];
                int outOff = inPlace ? 3 : 5;
                float sum = kernels.expSum(in, 3, shift, out, outOff, n);
                double exactSum = 0;
                for (int i = 0; i < n; i++) {
                    double exact = Math.exp(x[3 + i] - shift);
                    exactSum += exact;
                    assertThat((double) out[outOff + i]).as("%s element %d", kernels.name(), i)
                            .isCloseTo(exact, within(2.0 * Math.ulp((float) exact)));
                }
                assertThat((double) sum).as("%s sum of %d", kernels.name(), n)
                        .isCloseTo(exactSum, within((n + 2) * Math.ulp(1f) * exactSum));
            }
        }
    }

    @Test
    void shiftToZeroGivesOneAndMaskedLogitsGiveZero() {
        float[] x = new float[40];
        x[3] = 2f;
        x[20] = -1e9f;
        x[37] = Float.NEGATIVE_INFINITY;
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] out = new float[40];
            float sum = kernels.expSum(x, 0, 2f, out, 0, 40);
            assertThat(out[3]).isEqualTo(1f);
            assertThat(out[20]).isEqualTo(0f);
            assertThat(out[37]).isEqualTo(0f);
            assertThat((double) sum).isCloseTo(1 + 37 * Math.exp(-2), within(1e-5));
        }
    }

    @Test
    void simdAgreesWithScalarOverTheWholeRange() {
        // Arguments from below the clamp (-104) to above it (89) in steps that land on every n of
        // the reduction x = n ln2 + r, plus the special values; odd length for a scalar tail.
        int n = 2 * 205 * 64 + 7;
        float[] x = new float[n];
        for (int i = 0; i < n - 7; i++) {
            x[i] = -110f + i / 64f;
        }
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -0f, 0f,
                Float.MIN_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, x, n - 7, 7);
        // The specials also inside the vector body.
        System.arraycopy(special, 0, x, 100, 7);
        float[] simd = new float[n];
        float[] scalar = new float[n];
        SIMD.expSum(x, 0, 0f, simd, 0, n);
        SCALAR.expSum(x, 0, 0f, scalar, 0, n);
        for (int i = 0; i < n; i++) {
            // The two may differ in the last place or two (they did before the SIMD form stopped
            // converting n); a wrong power of two from the reduction would be off by a factor 2.
            if (Float.isFinite(scalar[i])) {
                assertThat(simd[i]).as("exp(%s)", x[i]).isCloseTo(scalar[i], within(2 * Math.ulp(scalar[i]) + 4 * Float.MIN_VALUE));
            } else {
                assertThat(Float.floatToIntBits(simd[i])).as("exp(%s)", x[i])
                        .isEqualTo(Float.floatToIntBits(scalar[i]));
            }
        }
        assertThat(simd[100]).isZero();
        assertThat(simd[101]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(simd[102]).isNaN();
        assertThat(simd[103]).isEqualTo(1f);
    }
}
