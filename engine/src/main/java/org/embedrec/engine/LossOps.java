package org.embedrec.engine;

import java.util.Arrays;

/**
 * Cross-entropies fused with the activation they follow, so that both the value and the
 * gradient stay finite for any finite logits: the separate ops would take {@code log} of a
 * probability that has rounded to 0 or 1, where the fused form never does.
 *
 * <p>The in-batch softmax cross-entropy of retrieval, fused further with the product that makes
 * its logits, is {@link InBatchSoftmaxLoss}.
 */
final class LossOps {
    private LossOps() {}

    /**
     * Element-wise {@code -(y log(sigmoid(x)) + (1 - y) log(1 - sigmoid(x)))}, written as
     * {@code max(x, 0) - x y + log(1 + exp(-|x|))}, whose exponent is never positive.
     * Gradients: {@code sigmoid(x) - y} for the logits and {@code -x} for the targets.
     */
    static Tensor sigmoidCrossEntropy(Tensor logits, Tensor targets) {
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("sigmoidCrossEntropy: logits " + Shape.toString(logits.shape())
                    + " and targets " + Shape.toString(targets.shape()) + ": expected equal shapes");
        }
        float[] x = logits.data();
        float[] y = targets.data();
        Tensor out = Tensor.zeros(logits.shape());
        float[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            float xi = x[i];
            o[i] = (float) (Math.max(xi, 0f) - (double) xi * y[i] + Math.log1p(Math.exp(-Math.abs(xi))));
        }
        return GradientTape.record(out, g -> {
            float[] gx = logits.requiresGrad() ? logits.gradBuffer() : null;
            float[] gy = targets.requiresGrad() ? targets.gradBuffer() : null;
            for (int i = 0; i < g.length; i++) {
                if (gx != null) {
                    gx[i] += g[i] * (ActivationOps.sigmoid(x[i]) - y[i]);
                }
                if (gy != null) {
                    gy[i] -= g[i] * x[i];
                }
            }
        }, logits, targets);
    }

    /**
     * Per row of {@code logits [..., classes]}: {@code logsumexp(x) - x[label]}, the negative
     * log-softmax at the label; output shape {@code [...]}. Gradient of a row:
     * {@code softmax(x) - onehot(label)}, with the softmax recomputed from the saved row maximum and log-sum.
     */
    static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
        int[] shape = logits.shape();
        int classes = ActivationOps.lastDim("softmaxCrossEntropy", logits);
        int rows = logits.size() / classes;
        if (labels.length != rows) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits " + Shape.toString(shape) + " have "
                    + rows + " rows, got " + labels.length + " labels");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[r] + " at position " + r
                        + " is outside [0, " + classes + ")");
            }
        }
        int[] ids = labels.clone();
        float[] x = logits.data();
        // Saved per row for backward; kept apart so large logits lose no precision in exp(x - lse).
        float[] rowMax = new float[rows];
        float[] logTotal = new float[rows];
        Tensor out = Tensor.zeros(Arrays.copyOf(shape, shape.length - 1));
        float[] o = out.data();
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            float max = ActivationOps.rowMax(x, base, classes);
            double total = 0;
            for (int j = base; j < base + classes; j++) {
                total += Math.exp(x[j] - max);
            }
            rowMax[r] = max;
            logTotal[r] = (float) Math.log(total);
            o[r] = logTotal[r] + (max - x[base + ids[r]]);
        }
        return GradientTape.record(out, g -> {
            float[] gx = logits.gradBuffer();
            for (int r = 0; r < rows; r++) {
                int base = r * classes;
                float max = rowMax[r];
                float lt = logTotal[r];
                for (int j = base; j < base + classes; j++) {
                    gx[j] += g[r] * (float) Math.exp((x[j] - max) - lt);
                }
                gx[base + ids[r]] -= g[r];
            }
        }, logits);
    }
}
