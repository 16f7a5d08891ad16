package org.embedrec.engine.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Kernels on the Vector API at the platform's preferred width. */
public final class SimdKernels implements Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Bytes of {@link #F}'s lane count (a quarter of its width), or null below the smallest shape, 64 bits. */
    private static final VectorSpecies<Byte> B = F.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8)) : null;

    private final ScalarKernels scalar = new ScalarKernels();

    private SimdKernels() {}

    static Kernels create() {
        return new SimdKernels();
    }

    @Override
    public String name() {
        return "simd-" + F.vectorBitSize();
    }

    @Override
    public PackedMatrix pack(boolean transB, int n, int k, float[] b, int bOff) {
        KernelBounds.checkPack(n, k, b, bOff);
        return SimdSgemm.pack(transB, n, k, b, bOff);
    }

    @Override
    public void sgemmPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff) {
        SimdSgemm.sgemmPacked(m, a, aOff, b, c, cOff);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        SimdSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public float dotBytes(float[] a, int aOff, byte[] codes, int cOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int bound = B == null ? 0 : F.loopBound(n);
        for (; i < bound; i += F.length()) {
            // As many bytes as F has lanes, widened to floats in one conversion (vpmovsxbd, vcvtdq2ps).
            FloatVector c = (FloatVector) ByteVector.fromArray(B, codes, cOff + i).convertShape(VectorOperators.B2F, F, 0);
            acc = FloatVector.fromArray(F, a, aOff + i).fma(c, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * codes[cOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i)
                    .fma(va, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, xOff + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public void countGreater(float[] x, int xOff, int n, float[] thresholds, int tOff, int t, int[] counts, int cOff) {
        int i = 0;
        for (; i + 4 <= t; i += 4) {
            RowCounts.countGreater4(x, xOff, n, thresholds, tOff + i, counts, cOff + i);
        }
        for (; i < t; i++) {
            counts[cOff + i] = countGreater(x, xOff, n, thresholds[tOff + i]);
        }
    }

    @Override
    public int countGreater(float[] x, int xOff, int n, float threshold) {
        // A compare and a mask population count per vector: no branch to mispredict on random scores.
        FloatVector t = FloatVector.broadcast(F, threshold);
        int count = 0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            count += FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, t).trueCount();
        }
        for (; i < n; i++) {
            count += x[xOff + i] > threshold ? 1 : 0;
        }
        return count;
    }

    @Override
    public float expSum(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        // Not lanewise EXP: see PolynomialExp for why.
        FloatVector vs = FloatVector.broadcast(F, shift);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = PolynomialExp.exp(FloatVector.fromArray(F, x, xOff + i).sub(vs));
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = PolynomialExp.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        // Not lanewise EXP: see PolynomialExp for why. The division is exactly rounded in both modes.
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = PolynomialExp.exp(FloatVector.fromArray(F, x, xOff + i).neg());
            FloatVector.broadcast(F, 1f).div(e.add(1f)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = 1f / (PolynomialExp.exp(-x[xOff + i]) + 1f);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            PolynomialTanh.tanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = PolynomialTanh.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).max(zero).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff, boolean relu) {
        KernelBounds.checkRange("addBias: x (" + rows + " x " + cols + ")", x, xOff, (long) rows * cols);
        KernelBounds.checkRange("addBias: bias", bias, biasOff, cols);
        FloatVector zero = FloatVector.zero(F);
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * cols;
            int j = 0;
            for (; j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, row + j).add(FloatVector.fromArray(F, bias, biasOff + j));
                (relu ? v.max(zero) : v).intoArray(x, row + j);
            }
            for (; j < cols; j++) {
                float v = x[row + j] + bias[biasOff + j];
                x[row + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    @Override
    public void reluMask(float[] y, int yOff, float[] g, int gOff, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(F, y, yOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, g, gOff + i), positive).intoArray(g, gOff + i);
        }
        for (; i < n; i++) {
            g[gOff + i] = y[yOff + i] > 0f ? g[gOff + i] : 0f;
        }
    }

    @Override
    public void addColumnSums(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        KernelBounds.checkRange("addColumnSums: x (" + rows + " x " + cols + ")", x, xOff, (long) rows * cols);
        KernelBounds.checkRange("addColumnSums: out", out, outOff, cols);
        int l = F.length();
        int j = 0;
        // Four vectors of columns at a time, each summed down the rows in registers: every lane
        // adds its column's values in row order, as the scalar loop does.
        for (; j + 4 * l <= cols; j += 4 * l) {
            FloatVector s0 = FloatVector.fromArray(F, out, outOff + j);
            FloatVector s1 = FloatVector.fromArray(F, out, outOff + j + l);
            FloatVector s2 = FloatVector.fromArray(F, out, outOff + j + 2 * l);
            FloatVector s3 = FloatVector.fromArray(F, out, outOff + j + 3 * l);
            for (int r = 0, row = xOff + j; r < rows; r++, row += cols) {
                s0 = s0.add(FloatVector.fromArray(F, x, row));
                s1 = s1.add(FloatVector.fromArray(F, x, row + l));
                s2 = s2.add(FloatVector.fromArray(F, x, row + 2 * l));
                s3 = s3.add(FloatVector.fromArray(F, x, row + 3 * l));
            }
            s0.intoArray(out, outOff + j);
            s1.intoArray(out, outOff + j + l);
            s2.intoArray(out, outOff + j + 2 * l);
            s3.intoArray(out, outOff + j + 3 * l);
        }
        for (; j + l <= cols; j += l) {
            FloatVector s = FloatVector.fromArray(F, out, outOff + j);
            for (int r = 0, row = xOff + j; r < rows; r++, row += cols) {
                s = s.add(FloatVector.fromArray(F, x, row));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float s = out[outOff + j];
            for (int r = 0, at = xOff + j; r < rows; r++, at += cols) {
                s += x[at];
            }
            out[outOff + j] = s;
        }
    }

    @Override
    public void adamStep(float[] w, float[] m, float[] v, int off, float[] g, int gOff, int n, float gradScale,
                         float beta1, float beta2, float alpha, float epsilon, float decay) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int i = 0;
        // Lane by lane the scalar loop's operations in its order (no fused multiply-add), and a
        // vector square root is correctly rounded like (float) Math.sqrt: the same bits.
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            int j = off + i;
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).mul(gradScale);
            FloatVector mj = FloatVector.fromArray(F, m, j).mul(beta1).add(gi.mul(c1));
            FloatVector vj = FloatVector.fromArray(F, v, j).mul(beta2).add(gi.mul(c2).mul(gi));
            mj.intoArray(m, j);
            vj.intoArray(v, j);
            FloatVector step = mj.mul(alpha).div(vj.lanewise(VectorOperators.SQRT).add(epsilon));
            FloatVector.fromArray(F, w, j).mul(decay).sub(step).intoArray(w, j);
        }
        scalar.adamStep(w, m, v, off + i, g, gOff + i, n - i, gradScale, beta1, beta2, alpha, epsilon, decay);
    }

    @Override
    public void adagradStep(float[] w, float[] acc, int off, float[] g, int gOff, int n, float gradScale,
                            float learningRate, float epsilon) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            int j = off + i;
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).mul(gradScale);
            FloatVector aj = FloatVector.fromArray(F, acc, j).add(gi.mul(gi));
            aj.intoArray(acc, j);
            FloatVector step = gi.mul(learningRate).div(aj.lanewise(VectorOperators.SQRT).add(epsilon));
            FloatVector.fromArray(F, w, j).sub(step).intoArray(w, j);
        }
        scalar.adagradStep(w, acc, off + i, g, gOff + i, n - i, gradScale, learningRate, epsilon);
    }

    @Override
    public float addMax(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        KernelBounds.checkAddMax(a, aOff, b, bOff, out, outOff, n);
        // Math.max is associative and commutative on floats (NaN absorbs, -0 < +0), so lanes
        // folded apart and then together give the scalar fold's value exactly.
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i));
            v.intoArray(out, outOff + i);
            acc = acc.max(v);
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            float v = a[aOff + i] + b[bOff + i];
            out[outOff + i] = v;
            max = Math.max(max, v);
        }
        return max;
    }

    @Override
    public int maxIndex(float[] x, int xOff, int n) {
        KernelBounds.checkMaxIndex(x, xOff, n);
        // Pass 1: the largest value (lanewise max propagates NaN, Math.max-style).
        int bound = F.loopBound(n);
        float max = x[xOff];
        int i = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.fromArray(F, x, xOff);
            for (i = F.length(); i < bound; i += F.length()) {
                acc = acc.max(FloatVector.fromArray(F, x, xOff + i));
            }
            max = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        if (Float.isNaN(max)) {
            // NaN somewhere: the scan's rules for NaN are easiest to keep by scanning.
            return scalar.maxIndex(x, xOff, n);
        }
        // Pass 2: the first element equal to it (-0 equals +0, as in the scan's comparisons).
        i = 0;
        FloatVector target = FloatVector.broadcast(F, max);
        for (; i < bound; i += F.length()) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, xOff + i).eq(target);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (x[xOff + i] == max) {
                return i;
            }
        }
        throw new AssertionError("maxIndex: the maximum " + max + " was not found again");
    }

    @Override
    public void dropout(float[] x, int xOff, float[] out, int outOff, int n, long key, int first, int dropBelow,
                        float scale) {
        KernelBounds.checkRange("dropout: x", x, xOff, n);
        KernelBounds.checkRange("dropout: out", out, outOff, n);
        SimdDropoutMask.apply(x, xOff, out, outOff, n, key, first, dropBelow, scale);
    }
}
