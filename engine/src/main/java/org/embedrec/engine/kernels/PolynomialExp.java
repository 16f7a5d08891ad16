package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code exp(x)} in float from add, multiply and fused multiply-add only: Cody-Waite reduction
 * {@code x = n ln2 + r} with {@code |r| <= ln2/2}, Cephes' degree-7 polynomial for {@code e^r}
 * (within 2 ulp), then scaling by {@code 2^n} through the exponent bits.
 *
 * <p>Why not the Vector API's lanewise EXP: the JIT compiles it to Intel SVML, while code not
 * yet compiled computes each lane with {@code Math.exp}; the two differ in the last bit, so a
 * training run's result would depend on when the JIT got to the kernel, and one seed must give
 * one model. The operations used here are exactly rounded by specification in both modes. The
 * scalar form runs the same operations, so a vector's tail lanes match its body.
 *
 * <p>Large negative arguments (masked logits, -inf) give 0, large positive ones +inf, NaN NaN.
 */
final class PolynomialExp {
    private PolynomialExp() {}

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n * LN2_HI is exact for the n that occur (|n| < 2^9).
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Adding 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer, ties to even.
    private static final float ROUNDER = 12582912f;
    /** The bits of {@code ROUNDER + n} are {@code ROUNDER_BITS + n} for {@code |n| < 2^22}. */
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    // Beyond these the result is 0 or +inf anyway; clamping keeps n within the scaling's range.
    private static final float LOWEST = -104f;
    private static final float HIGHEST = 89f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    static FloatVector exp(FloatVector x) {
        var species = x.species();
        // The clamp as compare and blend: two instructions a bound, where max and min, which must
        // order -0 below +0 and pass NaN on, compile to several. Same values: NaN compares false
        // and stays NaN, and the bounds are neither zero nor NaN.
        FloatVector clamped = x.blend(LOWEST, x.lt(LOWEST)).blend(HIGHEST, x.compare(VectorOperators.GT, HIGHEST));
        FloatVector rounded = clamped.mul(LOG2E).add(ROUNDER);
        FloatVector n = rounded.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(species, -LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(species, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(species, P0);
        p = p.fma(r, FloatVector.broadcast(species, P1));
        p = p.fma(r, FloatVector.broadcast(species, P2));
        p = p.fma(r, FloatVector.broadcast(species, P3));
        p = p.fma(r, FloatVector.broadcast(species, P4));
        p = p.fma(r, FloatVector.broadcast(species, P5));
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as two factors 2^floor(n/2) and 2^ceil(n/2), each a normal float for n in [-150, 129].
        // n as an int from the bits of n + 1.5 * 2^23 (exponent 2^23, so n sits in the low mantissa
        // bits): equal to converting n, but the Vector API's F2I convert is not compiled to one
        // instruction on JDK 17 and made this kernel ten times slower.
        // The shift counts are vectors: shifts by a scalar count were at times compiled to far
        // slower code (the loop three times slower, from one JVM run to the next); by a vector never.
        IntVector ni = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, IntVector.broadcast(ni.species(), 1));
        IntVector exponentShift = IntVector.broadcast(ni.species(), 23);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, exponentShift).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, exponentShift).reinterpretAsFloats();
        // A NaN argument clamps to NaN and stays NaN through the polynomial.
        return e.mul(s1).mul(s2);
    }

    static float exp(float x) {
        float clamped = Math.min(Math.max(x, LOWEST), HIGHEST);
        float n = clamped * LOG2E + ROUNDER - ROUNDER;
        float r = Math.fma(n, -LN2_HI, clamped);
        r = Math.fma(n, -LN2_LO, r);
        float p = P0;
        p = Math.fma(p, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = p * (r * r) + r + 1f;
        int ni = (int) n;
        int half = ni >> 1;
        return e * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
    }
}
