package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.DropoutMask.DECISION_SHIFT;
import static org.embedrec.engine.kernels.DropoutMask.MIX1;
import static org.embedrec.engine.kernels.DropoutMask.MIX2;
import static org.embedrec.engine.kernels.DropoutMask.WEYL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DropoutMask} on the Vector API: the hash of one index per int lane (as many int lanes
 * as float lanes), the decision spread into an all-ones or all-zeros word with integer
 * operations only (no lane mask converted between int and float lanes), the multiplier (0 or
 * the keep scale) cut from it, and the input times the multiplier: lane by lane the scalar
 * kernel's operations, so the same bits.
 */
final class SimdDropoutMask {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    /** 0, 1, 2, ... one per lane: the index of each lane within a vector. */
    private static final int[] LANE_INDEX = new int[I.length()];

    static {
        for (int j = 0; j < LANE_INDEX.length; j++) {
            LANE_INDEX[j] = j;
        }
    }

    private SimdDropoutMask() {}

    static void apply(float[] x, int xOff, float[] out, int outOff, int n, long key, int first, int dropBelow,
                      float scale) {
        int l = F.length();
        IntVector lanes = IntVector.fromArray(I, LANE_INDEX, 0);
        int keyLo = (int) key;
        int keyHi = (int) (key >>> 32);
        int keepBits = Float.floatToRawIntBits(scale);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += l) {
            IntVector h = lanes.add(first + i).mul(WEYL).add(keyLo);
            h = lowbias32(h).lanewise(VectorOperators.XOR, keyHi);
            h = lowbias32(h);
            // u - dropBelow is negative exactly when u < dropBelow (both below 2^25): its sign,
            // spread over the word, clears the keep scale's bits to +0.
            IntVector drop = h.lanewise(VectorOperators.LSHR, DECISION_SHIFT).sub(dropBelow)
                    .lanewise(VectorOperators.ASHR, 31);
            FloatVector m = IntVector.broadcast(I, keepBits).lanewise(VectorOperators.AND_NOT, drop)
                    .reinterpretAsFloats();
            FloatVector.fromArray(F, x, xOff + i).mul(m).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float m = DropoutMask.bits(key, first + i) >>> DECISION_SHIFT < dropBelow ? 0f : scale;
            out[outOff + i] = x[xOff + i] * m;
        }
    }

    private static IntVector lowbias32(IntVector x) {
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(MIX1);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15)).mul(MIX2);
        return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15));
    }
}
