package org.embedrec.engine.kernels;

/** Plain-Java kernels: always available, and the reference the SIMD kernels are tested against. */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        KernelBounds.checkSgemm(m, n, k, a, aOff, b, bOff, c, cOff);
        // Row by row, step by step: C[i,:] (+)= A[i,p] * B[p,:], so the common untransposed
        // case walks B and C contiguously.
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            }
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                for (int j = 0; j < n; j++) {
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    c[ci + j] += av * bv;
                }
            }
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public int maxIndex(float[] x, int xOff, int n) {
        KernelBounds.checkMaxIndex(x, xOff, n);
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[xOff + i] > x[xOff + best]) {
                best = i;
            }
        }
        return best;
    }

}
