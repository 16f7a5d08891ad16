package org.embedrec.tasks;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * Per-example weights of a task's loss: {@code sum_i w_i l_i / sum_i w_i}, the weighted mean of
 * the per-example losses {@code l [B]}. Weights must be finite and {@code >= 0}, not all zero;
 * only their ratios matter, so weights of all ones give the plain mean.
 */
final class SampleWeights {
    private SampleWeights() {}

    /**
     * The weighted mean of {@code losses [B]} (on the tape), after checking {@code weights}
     * against B; {@code task} names the caller in error messages.
     */
    static Tensor weightedMean(String task, Tensor losses, float[] weights) {
        return scaledWeightedMean(task, losses, weights, 1.0);
    }

    /**
     * {@code times} the weighted mean: with {@code times = B}, the sum of the losses with the
     * weights rescaled to add up to B, which is the plain sum when all weights are equal.
     */
    static Tensor scaledWeightedMean(String task, Tensor losses, float[] weights, double times) {
        double total = total(task, weights, losses.size());
        Tensor sum = Ops.sum(Ops.mul(losses, Tensor.wrap(weights.clone(), losses.shape())));
        return Ops.scale(sum, (float) (times / total));
    }

    /** {@code sum_i w_i} in double, after checking length, finiteness, sign and that some weight is positive. */
    static double total(String task, float[] weights, int examples) {
        if (weights == null) {
            throw new NullPointerException(task + ": sampleWeights");
        }
        if (weights.length != examples) {
            throw new IllegalArgumentException(task + ": sampleWeights has " + weights.length + " values, expected "
                    + examples + " (one per example)");
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            // NaN fails this test too.
            if (!(w >= 0f) || w == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(task + ": sampleWeights[" + i + "] = " + w
                        + ", expected finite and >= 0");
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(task + ": sampleWeights are all zero, expected at least one > 0");
        }
        return sum;
    }
}
