package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector kernels other than SGEMM, SIMD against scalar, on lengths around the vector width
 * (0, 1, 15, 16, 17, 33, primes, long) at odd offsets. Elementwise kernels round once per element,
 * so they must agree to the bit; reductions may sum in another order and agree within its bound.
 */
class ElementwiseKernelsTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    static IntStream lengths() {
        return IntStream.of(0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 97, 1000, 4099);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void dotAndSumAgreeWithinRounding(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] a = Matrices.uniform(random, 3, n);
        float[] b = Matrices.uniform(random, 5, n);
        double dotScale = 0;
        double sumScale = 0;
        for (int i = 0; i < n; i++) {
            dotScale += Math.abs((double) a[3 + i] * b[5 + i]);
            sumScale += Math.abs(a[3 + i]);
        }
        double eps = (n + 2) * Math.ulp(1f);
        assertThat((double) SIMD.dot(a, 3, b, 5, n)).isCloseTo(SCALAR.dot(a, 3, b, 5, n), within(eps * dotScale));
        assertThat((double) SIMD.sum(a, 3, n)).isCloseTo(SCALAR.sum(a, 3, n), within(eps * sumScale));
    }

    @Test
    void dotAndSumOnIntegersAreExact() {
        float[] x = new float[37];
        float[] y = new float[37];
        double dot = 0;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = i - 18;
            y[i] = (i % 5) - 2;
            dot += x[i] * y[i];
            sum += x[i];
        }
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            assertThat(kernels.dot(x, 1, y, 1, 36)).isEqualTo((float) (dot - x[0] * y[0]));
            assertThat(kernels.sum(x, 0, 37)).isEqualTo((float) sum);
        }
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void axpyAgreesWithinOneFusedRounding(int n) {
        SplittableRandom random = new SplittableRandom(100 + n);
        float[] x = Matrices.uniform(random, 1, n);
        float[] y = Matrices.uniform(random, 2, n);
        float[] expected = y.clone();
        SCALAR.axpy(0.75f, x, 1, expected, 2, n);
        float[] actual = y.clone();
        SIMD.axpy(0.75f, x, 1, actual, 2, n);
        double[] scale = new double[y.length];
        java.util.Arrays.fill(scale, -1);
        for (int i = 0; i < n; i++) {
            scale[2 + i] = Math.abs(y[2 + i]) + Math.abs(0.75 * x[1 + i]);
        }
        Matrices.assertWithinBound(expected, actual, scale, 1, "axpy");
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void elementwiseKernelsAgreeBitForBit(int n) {
        SplittableRandom random = new SplittableRandom(200 + n);
        float[] a = Matrices.uniform(random, 3, n);
        float[] b = Matrices.uniform(random, 1, n);
        if (n > 5) {
            a[3 + 1] = Float.NaN;
            a[3 + 2] = -0f;
            a[3 + 3] = Float.NEGATIVE_INFINITY;
        }
        float[] expected = Matrices.guarded(4, n);
        float[] actual = expected.clone();
        SCALAR.add(a, 3, b, 1, expected, 4, n);
        SIMD.add(a, 3, b, 1, actual, 4, n);
        assertSameBits(expected, actual, "add");
        SCALAR.mul(a, 3, b, 1, expected, 4, n);
        SIMD.mul(a, 3, b, 1, actual, 4, n);
        assertSameBits(expected, actual, "mul");
        SCALAR.relu(a, 3, expected, 4, n);
        SIMD.relu(a, 3, actual, 4, n);
        assertSameBits(expected, actual, "relu");
        float[] scaledExpected = a.clone();
        float[] scaledActual = a.clone();
        SCALAR.scale(-1.5f, scaledExpected, 3, n);
        SIMD.scale(-1.5f, scaledActual, 3, n);
        assertSameBits(scaledExpected, scaledActual, "scale");
    }

    @Test
    void elementwiseKernelsWorkInPlace() {
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] x = new float[40];
            for (int i = 0; i < 40; i++) {
                x[i] = i - 20;
            }
            kernels.add(x, 0, x, 0, x, 0, 40);
            assertThat(x[0]).isEqualTo(-40f);
            assertThat(x[39]).isEqualTo(38f);
            kernels.mul(x, 0, x, 0, x, 0, 40);
            assertThat(x[0]).isEqualTo(1600f);
            kernels.relu(new float[] {-1, 2}, 0, x, 0, 2);
            assertThat(x[0]).isEqualTo(0f);
            assertThat(x[1]).isEqualTo(2f);
        }
    }

    @Test
    void reluKeepsNaNAndClearsTheSignOfZero() {
        float[] in = new float[33];
        in[0] = Float.NaN;
        in[1] = -0f;
        in[2] = -3f;
        in[3] = 2.5f;
        in[20] = Float.NaN;
        in[21] = -0f;
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] out = new float[33];
            kernels.relu(in, 0, out, 0, 33);
            assertThat(out[0]).as(kernels.name()).isNaN();
            assertThat(Float.floatToRawIntBits(out[1])).as(kernels.name()).isZero();
            assertThat(out[2]).isEqualTo(0f);
            assertThat(out[3]).isEqualTo(2.5f);
            assertThat(out[20]).as(kernels.name()).isNaN();
            assertThat(Float.floatToRawIntBits(out[21])).as(kernels.name()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void maxIndexAgreesOnRandomAndTiedValues(int n) {
        if (n == 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(300 + n);
        float[] x = Matrices.uniform(random, 2, n);
        assertThat(SIMD.maxIndex(x, 2, n)).isEqualTo(SCALAR.maxIndex(x, 2, n));
        // Ties: small integers, many equal maxima; the first one wins.
        for (int i = 0; i < n; i++) {
            x[2 + i] = random.nextInt(4);
        }
        int first = SCALAR.maxIndex(x, 2, n);
        assertThat(SIMD.maxIndex(x, 2, n)).isEqualTo(first);
        for (int i = 0; i < first; i++) {
            assertThat(x[2 + i]).isLessThan(x[2 + first]);
        }
    }

    @Test
    void maxIndexHandCases() {
        float[] late = new float[40];
        late[38] = 1f;
        float[] nanInside = {1f, Float.NaN, 3f, 2f};
        float[] nanFirst = new float[20];
        nanFirst[0] = Float.NaN;
        nanFirst[5] = 9f;
        float[] zeros = new float[20];
        zeros[0] = -0f;
        float[] negatives = new float[35];
        java.util.Arrays.fill(negatives, -5f);
        negatives[34] = -1f;
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            assertThat(kernels.maxIndex(late, 0, 40)).as(kernels.name()).isEqualTo(38);
            assertThat(kernels.maxIndex(late, 1, 37)).as(kernels.name()).isEqualTo(0);
            assertThat(kernels.maxIndex(nanInside, 0, 4)).as(kernels.name()).isEqualTo(2);
            assertThat(kernels.maxIndex(nanFirst, 0, 20)).as(kernels.name()).isEqualTo(0);
            assertThat(kernels.maxIndex(zeros, 0, 20)).as(kernels.name()).isEqualTo(0);
            assertThat(kernels.maxIndex(negatives, 0, 35)).as(kernels.name()).isEqualTo(34);
            assertThatThrownBy(() -> kernels.maxIndex(late, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
