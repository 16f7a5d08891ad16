package org.embedrec.engine;

import java.util.Arrays;

/** Sums and means. Sums accumulate in double so that large reductions stay accurate. */
final class ReductionOps {
    private ReductionOps() {}

    /** Sum of all elements, a scalar. */
    static Tensor sum(Tensor x) {
        float[] xs = x.data();
        double s = 0;
        for (float v : xs) {
            s += v;
        }
        Tensor out = Tensor.scalar((float) s);
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += g[0];
            }
        }, x);
    }

    /** Mean of all elements, a scalar. */
    static Tensor mean(Tensor x) {
        float[] xs = x.data();
        double s = 0;
        for (float v : xs) {
            s += v;
        }
        int n = xs.length;
        Tensor out = Tensor.scalar(n == 0 ? Float.NaN : (float) (s / n));
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            float share = g[0] / n;
            for (int i = 0; i < gx.length; i++) {
                gx[i] += share;
            }
        }, x);
    }

    static int[] without(int[] shape, int axis) {
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    static int[] withOne(int[] shape, int axis) {
        int[] s = Arrays.copyOf(shape, shape.length);
        s[axis] = 1;
        return s;
    }
}
