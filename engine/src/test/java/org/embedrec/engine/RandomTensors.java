package org.embedrec.engine;

/** Random inputs for gradient checks: values in a range, kept off an op's kinks and poles. */
final class RandomTensors {
    private RandomTensors() {}

    /** A tensor of {@code shape} with values uniform in {@code [lo, hi)}, requiring a gradient. */
    static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(lo, hi);
        }
        return t.requiresGrad(true);
    }

    /** Values in {@code [-1, 1)}. */
    static Tensor uniform(Rng rng, int... shape) {
        return uniform(rng, -1f, 1f, shape);
    }

    /**
     * Moves every value closer than {@code margin} to {@code point} out to {@code point ± margin},
     * so a finite-difference step never straddles a kink there.
     */
    static Tensor awayFrom(Tensor t, float point, float margin) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i] - point) < margin) {
                d[i] = d[i] >= point ? point + margin : point - margin;
            }
        }
        return t;
    }

    /** {@code m} log-q-like column shifts, uniform in {@code [-3, 0)}. */
    static float[] columnShift(Rng rng, int m) {
        float[] s = new float[m];
        for (int j = 0; j < m; j++) {
            s[j] = rng.uniform(-3f, 0f);
        }
        return s;
    }

    /** {@code m} ids from the small range {@code [lowest, lowest + max(1, m / 2))}, so that duplicates are common. */
    static int[] crowdedIds(Rng rng, int m, int lowest) {
        int[] ids = new int[m];
        for (int j = 0; j < m; j++) {
            ids[j] = rng.nextInt(Math.max(1, m / 2)) + lowest;
        }
        return ids;
    }

    /** A shape of rank in {@code [minRank, maxRank]} with dimensions in {@code [1, maxDim]}. */
    static int[] shape(Rng rng, int minRank, int maxRank, int maxDim) {
        int[] s = new int[minRank + rng.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 + rng.nextInt(maxDim);
        }
        return s;
    }
}
