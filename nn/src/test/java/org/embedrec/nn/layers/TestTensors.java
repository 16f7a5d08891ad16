package org.embedrec.nn.layers;

import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;

/** Random inputs for the layer tests. */
final class TestTensors {
    private TestTensors() {}

    /** Uniform in [-1, 1), requiring a gradient. */
    static Tensor random(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(-1f, 1f);
        }
        return t.requiresGrad(true);
    }

    /**
     * Uniform with magnitude in [margin, 1 + margin), random sign: away from zero, where a
     * kink (relu) or a vanishing norm would spoil a finite difference.
     */
    static Tensor awayFromZero(Rng rng, float margin, int... shape) {
        Tensor t = random(rng, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] >= 0 ? d[i] + margin : d[i] - margin;
        }
        return t;
    }

    /** Overwrites {@code t}'s values with uniform ones in [lo, hi). */
    static void fill(Tensor t, Rng rng, float lo, float hi) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(lo, hi);
        }
    }

    /** A shape with {@code rank} dimensions, each in [1, maxDim]. */
    static int[] shape(Rng rng, int rank, int maxDim) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + rng.nextInt(maxDim);
        }
        return s;
    }

    /** {@code prefix} followed by {@code last}. */
    static int[] withLast(int[] prefix, int last) {
        int[] s = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        s[prefix.length] = last;
        return s;
    }
}
