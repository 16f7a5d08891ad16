package org.embedrec.engine;

import java.util.Arrays;

/**
 * Sums and means. Sums accumulate in double so that large reductions stay accurate; a whole-tensor
 * sum runs four interleaved double sums (a single chain waits on each add's latency) and the
 * result depends only on the length of the input, never on threads.
 */
final class ReductionOps {
    /** Rows per parallel chunk of a reduction over the last axis. */
    private static final int GRAIN_ROWS = 1024;

    private ReductionOps() {}

    /** Sum of all elements, a scalar. */
    static Tensor sum(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.scalar((float) sumAll(xs));
        return GradientTape.record(out, g -> x.addToGrad(filled(xs.length, g[0])), x);
    }

    /** Mean of all elements, a scalar. */
    static Tensor mean(Tensor x) {
        float[] xs = x.data();
        double s = sumAll(xs);
        int n = xs.length;
        Tensor out = Tensor.scalar(n == 0 ? Float.NaN : (float) (s / n));
        return GradientTape.record(out, g -> x.addToGrad(filled(n, g[0] / n)), x);
    }

    /** Sum over {@code axis}, keeping it as size 1 when {@code keepDims}. */
    static Tensor sum(Tensor x, int axis, boolean keepDims) {
        return reduce("sum", x, axis, keepDims, false);
    }

    /** Mean over {@code axis}, keeping it as size 1 when {@code keepDims}; NaN over an empty axis. */
    static Tensor mean(Tensor x, int axis, boolean keepDims) {
        return reduce("mean", x, axis, keepDims, true);
    }

    /**
     * Viewed as {@code [outer, n, inner]} around the axis, {@code out[o, i] = sum_j x[o, j, i]}
     * (times {@code 1/n} for a mean). The loop runs over {@code j} outside {@code i} so that both
     * arrays are read in order; a row of double accumulators keeps long sums accurate.
     */
    private static Tensor reduce(String op, Tensor x, int axis, boolean keepDims, boolean mean) {
        int[] shape = x.shape();
        int ax = ShapeOps.axis(op, shape, axis);
        int outer = Shape.outer(shape, ax);
        int n = shape[ax];
        int inner = Shape.inner(shape, ax);
        Tensor out = Tensor.zeros(keepDims ? withOne(shape, ax) : without(shape, ax));
        float[] xs = x.data();
        float[] o = out.data();
        double factor = mean ? 1.0 / n : 1.0;
        float share = (float) factor;
        if (inner == 1) {
            return rowReduce(x, out, outer, n, factor, share);
        }
        double[] acc = new double[inner];
        for (int r = 0; r < outer; r++) {
            Arrays.fill(acc, 0.0);
            int base = r * n * inner;
            for (int j = 0; j < n; j++) {
                int row = base + j * inner;
                for (int i = 0; i < inner; i++) {
                    acc[i] += xs[row + i];
                }
            }
            for (int i = 0; i < inner; i++) {
                o[r * inner + i] = (float) (acc[i] * factor);
            }
        }
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            for (int r = 0; r < outer; r++) {
                int base = r * n * inner;
                for (int j = 0; j < n; j++) {
                    int row = base + j * inner;
                    for (int i = 0; i < inner; i++) {
                        gx[row + i] += g[r * inner + i] * share;
                    }
                }
            }
        }, x);
    }

    /**
     * {@link #reduce} over the last axis ({@code inner == 1}), such as the per-step sums of a
     * loss's row-wise products: each row's n contiguous values into one double held in a register
     * rather than in an array of one, rows spread over the threads. The same additions in the same
     * order as the general loop, forward and backward, so the same bits on any thread count.
     */
    private static Tensor rowReduce(Tensor x, Tensor out, int rows, int n, double factor, float share) {
        float[] xs = x.data();
        float[] o = out.data();
        Parallel.forRange(rows, GRAIN_ROWS, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = r * n;
                double acc = 0.0;
                for (int j = 0; j < n; j++) {
                    acc += xs[base + j];
                }
                o[r] = (float) (acc * factor);
            }
        });
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            Parallel.forRange(rows, GRAIN_ROWS, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int base = r * n;
                    float gr = g[r] * share;
                    for (int j = 0; j < n; j++) {
                        gx[base + j] += gr;
                    }
                }
            });
        }, x);
    }

    /** The sum of {@code xs} in double: elements {@code i mod 4} in four chains, added at the end. */
    private static double sumAll(float[] xs) {
        return sumAll(xs, xs.length);
    }

    /**
     * The sum of {@code xs[0 .. n)} in double, in the order every full sum here uses: four
     * accumulators in turn, the last {@code n mod 4} values into the first, then
     * {@code (s0 + s1) + (s2 + s3)}; fused ops that must give a sum's bits call it.
     */
    static double sumAll(float[] xs, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int bound = n & ~3; i < bound; i += 4) {
            s0 += xs[i];
            s1 += xs[i + 1];
            s2 += xs[i + 2];
            s3 += xs[i + 3];
        }
        for (; i < n; i++) {
            s0 += xs[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A new array of {@code n} copies of {@code value}: a gradient handed on whole. */
    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
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
