package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Test data for the kernel tests: random arrays with guard regions, bitwise and bounded comparisons. */
final class Matrices {
    /** Written around every operand; a kernel that touches it has written outside its window. */
    static final float GUARD = -12345.5f;

    private Matrices() {}

    /** {@code off} guard values, {@code len} small integers in [-8, 8], 7 guard values. Products of such sums are exact in float. */
    static float[] integers(SplittableRandom random, int off, int len) {
        float[] x = guarded(off, len);
        for (int i = 0; i < len; i++) {
            x[off + i] = random.nextInt(17) - 8;
        }
        return x;
    }

    /** As {@link #integers}, with uniform values in [-1, 1). */
    static float[] uniform(SplittableRandom random, int off, int len) {
        float[] x = guarded(off, len);
        for (int i = 0; i < len; i++) {
            x[off + i] = (float) (2 * random.nextDouble() - 1);
        }
        return x;
    }

    /** Arguments {@code (m, n, k, transA, transB)}: each {@code {m, n, k}} shape under all four transposes. */
    static Stream<Arguments> withAllTransposes(int[][] shapes) {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                out.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return out.stream();
    }

    static float[] guarded(int off, int len) {
        float[] x = new float[off + len + 7];
        java.util.Arrays.fill(x, GUARD);
        return x;
    }

    static void assertSameBits(float[] expected, float[] actual, String context) {
        if (expected.length != actual.length) {
            fail(context + ": lengths " + expected.length + " and " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(context + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    /**
     * Checks {@code actual} against the float reference {@code expected} of the same product within
     * twice the standard forward error bound of a k-term sum, {@code (k + 2) * 2^-23 * sum |terms|},
     * where {@code bound[i]} holds {@code sum |terms|} of element i, or is negative outside the
     * output window, where nothing may change.
     */
    static void assertWithinBound(float[] expected, float[] actual, double[] bound, int k, String context) {
        double eps = (k + 2) * Math.ulp(1f);
        for (int i = 0; i < expected.length; i++) {
            if (bound[i] < 0) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                    fail(context + ": element " + i + " outside the output was changed to " + actual[i]);
                }
                continue;
            }
            double tol = eps * bound[i];
            if (!(Math.abs((double) expected[i] - actual[i]) <= tol)) {
                fail(context + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " within " + tol);
            }
        }
    }

    /**
     * For each element of C: {@code |C0| (when accumulating) + sum_p |op(A)[i,p] op(B)[p,j]|},
     * the scale of its rounding error; -1 outside the {@code m x n} window at {@code cOff}.
     */
    static double[] errorScale(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                               float[] b, int bOff, float[] c0, int cOff, boolean accumulate) {
        double[] scale = new double[c0.length];
        java.util.Arrays.fill(scale, -1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? Math.abs(c0[cOff + i * n + j]) : 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += Math.abs((double) av * bv);
                }
                scale[cOff + i * n + j] = s;
            }
        }
        return scale;
    }
}
