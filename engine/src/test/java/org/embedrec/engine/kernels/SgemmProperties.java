package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.Matrices.assertWithinBound;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** SGEMM on random shapes, offsets and values: SIMD within rounding of the scalar reference. */
class SgemmProperties {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();

    @Property(tries = 300)
    void simdMatchesScalar(@ForAll @IntRange(min = 1, max = 70) int m,
                           @ForAll @IntRange(min = 1, max = 70) int n,
                           @ForAll @IntRange(min = 1, max = 300) int k,
                           @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                           @ForAll @IntRange(min = 0, max = 19) int aOff,
                           @ForAll @IntRange(min = 0, max = 19) int bOff,
                           @ForAll @IntRange(min = 0, max = 19) int cOff,
                           @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        float[] c0 = Matrices.uniform(random, cOff, m * n);
        float[] expected = c0.clone();
        SCALAR.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
        float[] actual = c0.clone();
        SIMD.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
        double[] scale = Matrices.errorScale(transA, transB, m, n, k, a, aOff, b, bOff, c0, cOff, accumulate);
        assertWithinBound(expected, actual, scale, k, "simd against scalar");
    }
}
