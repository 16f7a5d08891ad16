package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Layer normalization of each row as one op: for {@code x [rows, d]},
 * <pre>
 * xhat = (x - mean(x)) / sqrt(var(x) + epsilon),   y = xhat * gamma + beta
 * </pre>
 * with the biased variance, {@code gamma} and {@code beta} of shape {@code [d]}. Written with
 * the basic ops it is nine ops and nine {@code [rows, d]} arrays each way; here forward is one
 * pass per row that keeps {@code xhat} and {@code 1 / sqrt(var + epsilon)}, and backward, with
 * {@code dxhat = dy * gamma}, is
 * <pre>
 * dx = (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)) / sqrt(var + epsilon)
 * dgamma = sum over rows of dy * xhat,   dbeta = sum over rows of dy
 * </pre>
 * Rows are independent and spread over the threads; the two parameter sums run over the rows in
 * order ({@link Kernels#addColumnSums}), so no result depends on the thread count.
 */
final class NormalizationOps {
    /** Rows per parallel chunk. */
    private static final int GRAIN_ROWS = 256;

    private NormalizationOps() {}

    static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float epsilon) {
        if (x.rank() != 2 || gamma.rank() != 1 || beta.rank() != 1 || gamma.dim(0) != x.dim(1)
                || beta.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException("layerNorm: input " + Shape.toString(x.shape()) + ", gamma "
                    + Shape.toString(gamma.shape()) + ", beta " + Shape.toString(beta.shape())
                    + ": expected [rows, d], [d] and [d]");
        }
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("layerNorm: epsilon must be positive and finite, got " + epsilon);
        }
        int rows = x.dim(0);
        int d = x.dim(1);
        float[] xs = x.data();
        float[] g = gamma.data();
        float[] b = beta.data();
        Tensor out = Tensor.zeros(rows, d);
        float[] y = out.data();
        float[] xhat = new float[rows * d];
        float[] inverse = new float[rows];
        Parallel.forRange(rows, GRAIN_ROWS, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * d;
                float sum = 0f;
                for (int j = 0; j < d; j++) {
                    sum += xs[off + j];
                }
                float mean = sum / d;
                float squares = 0f;
                for (int j = 0; j < d; j++) {
                    float c = xs[off + j] - mean;
                    squares += c * c;
                }
                float inv = 1f / (float) Math.sqrt(squares / d + epsilon);
                inverse[r] = inv;
                for (int j = 0; j < d; j++) {
                    float h = (xs[off + j] - mean) * inv;
                    xhat[off + j] = h;
                    y[off + j] = h * g[j] + b[j];
                }
            }
        });
        return GradientTape.record(out, dy -> {
            Kernels kern = Kernels.get();
            if (beta.requiresGrad()) {
                kern.addColumnSums(dy, 0, rows, d, beta.gradBuffer(), 0);
            }
            if (gamma.requiresGrad()) {
                float[] products = new float[rows * d];
                kern.mul(dy, 0, xhat, 0, products, 0, rows * d);
                kern.addColumnSums(products, 0, rows, d, gamma.gradBuffer(), 0);
            }
            if (x.requiresGrad()) {
                float[] dx = x.gradBuffer();
                Parallel.forRange(rows, GRAIN_ROWS, (lo, hi) -> {
                    for (int r = lo; r < hi; r++) {
                        int off = r * d;
                        float sum = 0f;
                        float dot = 0f;
                        for (int j = 0; j < d; j++) {
                            float dh = dy[off + j] * g[j];
                            sum += dh;
                            dot += dh * xhat[off + j];
                        }
                        float meanDh = sum / d;
                        float meanDot = dot / d;
                        float inv = inverse[r];
                        for (int j = 0; j < d; j++) {
                            float dh = dy[off + j] * g[j];
                            dx[off + j] += (dh - meanDh - xhat[off + j] * meanDot) * inv;
                        }
                    }
                });
            }
        }, x, gamma, beta);
    }
}
