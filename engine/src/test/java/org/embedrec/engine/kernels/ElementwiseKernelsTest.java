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

    @ParameterizedTest
    @MethodSource("lengths")
    void addMaxAgreesToTheBitAndFindsTheLargestSum(int n) {
        if (n == 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(700 + n);
        float[] a = Matrices.uniform(random, 3, n);
        float[] b = Matrices.uniform(random, 1, n);
        float[] simdOut = new float[n + 2];
        float[] scalarOut = new float[n + 2];
        float simdMax = SIMD.addMax(a, 3, b, 1, simdOut, 2, n);
        float scalarMax = SCALAR.addMax(a, 3, b, 1, scalarOut, 2, n);
        assertSameBits(scalarOut, simdOut, "addMax outputs, n=" + n);
        assertThat(Float.floatToRawIntBits(simdMax)).isEqualTo(Float.floatToRawIntBits(scalarMax));
        // The outputs are add's, and the maximum is the one maxIndex finds among them.
        float[] sums = new float[n + 2];
        SCALAR.add(a, 3, b, 1, sums, 2, n);
        assertSameBits(sums, simdOut, "addMax against add, n=" + n);
        assertThat(simdMax).isEqualTo(sums[2 + SCALAR.maxIndex(sums, 2, n)]);
        // In place, as a softmax row shifts its logits.
        float[] row = a.clone();
        assertThat(SIMD.addMax(row, 3, b, 1, row, 3, n)).isEqualTo(scalarMax);
        assertThat(java.util.Arrays.copyOfRange(row, 3, 3 + n)).isEqualTo(java.util.Arrays.copyOfRange(sums, 2, 2 + n));
    }

    @Test
    void addMaxHandCases() {
        float[] none = new float[40];
        float[] lateSum = new float[40];
        lateSum[37] = 2f;
        float[] shift = new float[40];
        shift[37] = -1.5f;
        shift[3] = 0.25f;
        float[] zeros = new float[40];
        java.util.Arrays.fill(zeros, -0f);
        float[] oneZero = zeros.clone();
        oneZero[30] = 0f;
        float[] nanInside = new float[40];
        nanInside[21] = Float.NaN;
        float[] negatives = new float[33];
        java.util.Arrays.fill(negatives, -7f);
        for (Kernels kernels : new Kernels[] {SIMD, SCALAR}) {
            float[] out = new float[40];
            assertThat(kernels.addMax(lateSum, 0, shift, 0, out, 0, 40)).as(kernels.name()).isEqualTo(0.5f);
            assertThat(out[3]).isEqualTo(0.25f);
            // -0 + -0 is -0 everywhere; with one +0 among them the largest is +0 (Math.max's order).
            assertThat(Float.floatToRawIntBits(kernels.addMax(zeros, 0, zeros, 0, out, 0, 40)))
                    .as(kernels.name()).isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(Float.floatToRawIntBits(kernels.addMax(zeros, 0, oneZero, 0, out, 0, 40)))
                    .as(kernels.name()).isEqualTo(0);
            assertThat(kernels.addMax(nanInside, 0, none, 0, out, 0, 40)).as(kernels.name()).isNaN();
            assertThat(kernels.addMax(negatives, 0, negatives, 0, out, 0, 33)).as(kernels.name()).isEqualTo(-14f);
            assertThatThrownBy(() -> kernels.addMax(none, 0, none, 0, out, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("addMax: n=0");
            assertThatThrownBy(() -> kernels.addMax(none, 1, none, 0, out, 0, 40))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("addMax: a");
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
