package org.embedrec.engine.kernels;

/** Plain-Java kernels: always available, and the reference the SIMD kernels are tested against. */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PackedMatrix pack(boolean transB, int n, int k, float[] b, int bOff) {
        KernelBounds.checkPack(n, k, b, bOff);
        return new PackedMatrix(transB, n, k, b, bOff, null);
    }

    @Override
    public void sgemmPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff) {
        sgemm(false, b.transB, m, b.n, b.k, a, aOff, b.source, b.sourceOff, c, cOff, false);
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
    public float dotBytes(float[] a, int aOff, byte[] codes, int cOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * codes[cOff + i];
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
    public void countGreater(float[] x, int xOff, int n, float[] thresholds, int tOff, int t, int[] counts, int cOff) {
        for (int i = 0; i < t; i++) {
            counts[cOff + i] = countGreater(x, xOff, n, thresholds[tOff + i]);
        }
    }

    @Override
    public int countGreater(float[] x, int xOff, int n, float threshold) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (x[xOff + i] > threshold) {
                count++;
            }
        }
        return count;
    }

    @Override
    public float expSum(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff, boolean relu) {
        KernelBounds.checkRange("addBias: x (" + rows + " x " + cols + ")", x, xOff, (long) rows * cols);
        KernelBounds.checkRange("addBias: bias", bias, biasOff, cols);
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * cols;
            for (int j = 0; j < cols; j++) {
                float v = x[row + j] + bias[biasOff + j];
                x[row + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    @Override
    public void reluMask(float[] y, int yOff, float[] g, int gOff, int n) {
        for (int i = 0; i < n; i++) {
            g[gOff + i] = y[yOff + i] > 0f ? g[gOff + i] : 0f;
        }
    }

    @Override
    public void addColumnSums(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        KernelBounds.checkRange("addColumnSums: x (" + rows + " x " + cols + ")", x, xOff, (long) rows * cols);
        KernelBounds.checkRange("addColumnSums: out", out, outOff, cols);
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * cols;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[row + j];
            }
        }
    }

    @Override
    public void adamStep(float[] w, float[] m, float[] v, int off, float[] g, int gOff, int n, float gradScale,
                         float beta1, float beta2, float alpha, float epsilon, float decay) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            int j = off + i;
            float gi = g[gOff + i] * gradScale;
            float mj = beta1 * m[j] + c1 * gi;
            float vj = beta2 * v[j] + c2 * gi * gi;
            m[j] = mj;
            v[j] = vj;
            w[j] = w[j] * decay - alpha * mj / ((float) Math.sqrt(vj) + epsilon);
        }
    }

    @Override
    public void adagradStep(float[] w, float[] acc, int off, float[] g, int gOff, int n, float gradScale,
                            float learningRate, float epsilon) {
        for (int i = 0; i < n; i++) {
            int j = off + i;
            float gi = g[gOff + i] * gradScale;
            float aj = acc[j] + gi * gi;
            acc[j] = aj;
            w[j] -= learningRate * gi / ((float) Math.sqrt(aj) + epsilon);
        }
    }

    @Override
    public float addMax(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        KernelBounds.checkAddMax(a, aOff, b, bOff, out, outOff, n);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[aOff + i] + b[bOff + i];
            out[outOff + i] = v;
            max = Math.max(max, v);
        }
        return max;
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

    @Override
    public void dropout(float[] x, int xOff, float[] out, int outOff, int n, long key, int first, int dropBelow,
                        float scale) {
        KernelBounds.checkRange("dropout: x", x, xOff, n);
        KernelBounds.checkRange("dropout: out", out, outOff, n);
        DropoutMask.apply(x, xOff, out, outOff, n, key, first, dropBelow, scale);
    }
}
