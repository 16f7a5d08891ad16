package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code tanh(x)} in float from add, multiply, divide and fused multiply-add only, for the same
 * reason as {@link PolynomialExp} (one result whether the JIT has compiled the kernel or not).
 * As in Cephes' {@code tanhf}: for {@code |x| < 0.625} the odd polynomial
 * {@code x + x^3 P(x^2)}, which keeps the relative accuracy near 0 that {@code (e - 1) / (e + 1)}
 * would lose to cancellation; beyond, {@code 1 - 2 / (exp(2|x|) + 1)} with the sign of {@code x},
 * which saturates to 1 once the exponential overflows.
 */
final class PolynomialTanh {
    private PolynomialTanh() {}

    private static final float SMALL = 0.625f;
    private static final float Q0 = -5.70498872745e-3f;
    private static final float Q1 = 2.06390887954e-2f;
    private static final float Q2 = -5.37397155531e-2f;
    private static final float Q3 = 1.33314422036e-1f;
    private static final float Q4 = -3.33332819422e-1f;

    static FloatVector tanh(FloatVector x) {
        var species = x.species();
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(species, Q0);
        p = p.fma(z, FloatVector.broadcast(species, Q1));
        p = p.fma(z, FloatVector.broadcast(species, Q2));
        p = p.fma(z, FloatVector.broadcast(species, Q3));
        p = p.fma(z, FloatVector.broadcast(species, Q4));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = PolynomialExp.exp(a.add(a));
        FloatVector large = FloatVector.broadcast(species, 1f).sub(FloatVector.broadcast(species, 2f).div(e.add(1f)));
        // Copy the sign of x onto the large branch; a NaN stays NaN through both branches.
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> isSmall = a.compare(VectorOperators.LT, SMALL);
        return large.blend(small, isSmall);
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < SMALL) {
            float z = x * x;
            float p = Q0;
            p = Math.fma(p, z, Q1);
            p = Math.fma(p, z, Q2);
            p = Math.fma(p, z, Q3);
            p = Math.fma(p, z, Q4);
            return Math.fma(p * z, x, x);
        }
        float large = 1f - 2f / (PolynomialExp.exp(a + a) + 1f);
        return x < 0f ? -large : large;
    }
}
