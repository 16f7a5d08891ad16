package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigmoid and tanh, SIMD and scalar, against the exact functions in double on lengths around the
 * vector width at odd offsets, in place and not; over the whole argument range, both sides of
 * tanh's switch from polynomial to exponential, the saturated tails, zeros and NaN.
 */
class ActivationKernelsTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels[] BOTH = {SIMD, SCALAR};

    static IntStream lengths() {
        return IntStream.of(0, 1, 2, 7, 15, 16, 17, 31, 33, 97, 1000);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void bothKernelsAreCloseToTheExactFunctions(int n) {
        SplittableRandom random = new SplittableRandom(300 + n);
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 24 - 12);
        }
        for (Kernels kernels : BOTH) {
            for (boolean inPlace : new boolean[] {false, true}) {
                float[] s = x.clone();
                float[] sOut = inPlace ? s : new float[n + 5];
                int outOff = inPlace ? 3 : 5;
                kernels.sigmoid(s, 3, sOut, outOff, n);
                float[] t = x.clone();
                float[] tOut = inPlace ? t : new float[n + 5];
                kernels.tanh(t, 3, tOut, outOff, n);
                for (int i = 0; i < n; i++) {
                    double xi = x[3 + i];
                    double sigmoid = 1 / (1 + Math.exp(-xi));
                    assertThat((double) sOut[outOff + i]).as("%s sigmoid(%s)", kernels.name(), xi)
                            .isCloseTo(sigmoid, within(4.0 * Math.ulp((float) sigmoid)));
                    assertThat((double) tOut[outOff + i]).as("%s tanh(%s)", kernels.name(), xi)
                            .isCloseTo(Math.tanh(xi), within(4.0 * Math.ulp((float) Math.tanh(xi))));
                }
            }
        }
    }

    @Test
    void tanhKeepsItsRelativeAccuracyNearZeroAndAcrossTheSwitch() {
        // From 1e-6 up past 0.625, where the polynomial hands over to the exponential form.
        int n = 4000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v = (float) (1e-6 * Math.pow(1.005, i));
            x[i] = i % 2 == 0 ? v : -v;
        }
        float[] out = new float[n];
        SIMD.tanh(x, 0, out, 0, n);
        for (int i = 0; i < n; i++) {
            double exact = Math.tanh(x[i]);
            assertThat((double) out[i]).as("tanh(%s)", x[i]).isCloseTo(exact, within(3.0 * Math.ulp((float) exact)));
        }
    }

    @Test
    void saturateAtTheExtremesAndPassNaNAndZeros() {
        float[] x = {-1e30f, -200f, -89f, -0f, 0f, 89f, 200f, 1e30f, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NaN, 0.625f, -0.625f, 0.62499994f};
        for (Kernels kernels : BOTH) {
            float[] s = new float[x.length];
            float[] t = new float[x.length];
            // Offsets 0 and 1 so each value meets both the vector body and the scalar tail.
            for (int off = 0; off < 2; off++) {
                kernels.sigmoid(x, off, s, off, x.length - off);
                kernels.tanh(x, off, t, off, x.length - off);
                assertThat(s[1]).isEqualTo(0f);
                assertThat(s[3]).isEqualTo(0.5f);
                assertThat(s[6]).isEqualTo(1f);
                assertThat(s[9]).isEqualTo(1f);
                assertThat(s[10]).isNaN();
                assertThat(t[1]).isEqualTo(-1f);
                assertThat(t[2]).isEqualTo(-1f);
                assertThat(Math.abs(t[3])).isEqualTo(0f);
                assertThat(Math.abs(t[4])).isEqualTo(0f);
                assertThat(t[6]).isEqualTo(1f);
                assertThat(t[7]).isEqualTo(1f);
                assertThat(t[9]).isEqualTo(1f);
                assertThat(t[10]).isNaN();
                assertThat((double) t[11]).isCloseTo(Math.tanh(0.625), within(2e-7));
                assertThat((double) t[12]).isCloseTo(-Math.tanh(0.625), within(2e-7));
                assertThat((double) t[13]).isCloseTo(Math.tanh(0.62499994), within(2e-7));
            }
            assertThat(t[8]).isEqualTo(-1f);
            assertThat(s[8]).isEqualTo(0f);
        }
    }
}
