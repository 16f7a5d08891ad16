package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Counts of elements above four thresholds in one pass: each vector of the row is loaded once
 * and compared with four broadcast thresholds, each compare adding its mask to a vector of
 * per-lane counts. A lane-masked add keeps the counting in vector registers; a mask population
 * count per compare (as the one-threshold kernel does) moves every mask to a scalar register,
 * and measured about three times slower per threshold on AVX2.
 */
final class RowCounts {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private RowCounts() {}

    /** {@code counts[cOff + j]} = elements of {@code x[xOff, xOff + n)} above {@code thresholds[tOff + j]}, j < 4. */
    static void countGreater4(float[] x, int xOff, int n, float[] thresholds, int tOff, int[] counts, int cOff) {
        float s0 = thresholds[tOff];
        float s1 = thresholds[tOff + 1];
        float s2 = thresholds[tOff + 2];
        float s3 = thresholds[tOff + 3];
        FloatVector t0 = FloatVector.broadcast(F, s0);
        FloatVector t1 = FloatVector.broadcast(F, s1);
        FloatVector t2 = FloatVector.broadcast(F, s2);
        FloatVector t3 = FloatVector.broadcast(F, s3);
        IntVector one = IntVector.broadcast(I, 1);
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = a0;
        IntVector a2 = a0;
        IntVector a3 = a0;
        int i = 0;
        // Per-lane counts stay below n / lanes, far from overflow for any array.
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            a0 = a0.add(one, v.compare(VectorOperators.GT, t0).cast(I));
            a1 = a1.add(one, v.compare(VectorOperators.GT, t1).cast(I));
            a2 = a2.add(one, v.compare(VectorOperators.GT, t2).cast(I));
            a3 = a3.add(one, v.compare(VectorOperators.GT, t3).cast(I));
        }
        int c0 = a0.reduceLanes(VectorOperators.ADD);
        int c1 = a1.reduceLanes(VectorOperators.ADD);
        int c2 = a2.reduceLanes(VectorOperators.ADD);
        int c3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = x[xOff + i];
            c0 += e > s0 ? 1 : 0;
            c1 += e > s1 ? 1 : 0;
            c2 += e > s2 ? 1 : 0;
            c3 += e > s3 ? 1 : 0;
        }
        counts[cOff] = c0;
        counts[cOff + 1] = c1;
        counts[cOff + 2] = c2;
        counts[cOff + 3] = c3;
    }
}
