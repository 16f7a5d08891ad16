package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Kernels on the Vector API at the platform's preferred width. */
public final class SimdKernels implements Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

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
}
