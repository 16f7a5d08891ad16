package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dotBytes, SIMD and scalar, against the sum in double on lengths around the vector width at odd
 * offsets, with bytes over their whole signed range (-128 and 127 included): equal to it within
 * float summation's rounding, and exact when every term is an integer.
 */
class DotBytesKernelTest {
    private static final Kernels[] BOTH = {SimdKernels.create(), new ScalarKernels()};

    static IntStream lengths() {
        return IntStream.of(0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 64, 97, 1000);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void isTheDotProductOfFloatsWithTheBytesAsIntegers(int n) {
        SplittableRandom random = new SplittableRandom(900 + n);
        float[] a = new float[n + 3];
        byte[] codes = new byte[n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) random.nextInt(256);
        }
        if (n > 2) {
            codes[5] = Byte.MIN_VALUE;
            codes[6] = Byte.MAX_VALUE;
        }
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) a[3 + i] * codes[5 + i];
            magnitude += Math.abs((double) a[3 + i] * codes[5 + i]);
        }
        for (Kernels kernels : BOTH) {
            // n roundings of partial sums, each within half an ulp of the running magnitude
            assertThat((double) kernels.dotBytes(a, 3, codes, 5, n)).as(kernels.name())
                    .isCloseTo(exact, within(n * Math.ulp((float) magnitude) + 1e-30));
        }
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void integerTermsSumExactly(int n) {
        SplittableRandom random = new SplittableRandom(40 + n);
        float[] a = new float[n];
        byte[] codes = new byte[n];
        long exact = 0;
        for (int i = 0; i < n; i++) {
            a[i] = random.nextInt(201) - 100;
            codes[i] = (byte) random.nextInt(256);
            exact += (long) a[i] * codes[i];
        }
        for (Kernels kernels : BOTH) {
            assertThat(kernels.dotBytes(a, 0, codes, 0, n)).as(kernels.name()).isEqualTo((float) exact);
        }
    }
}
