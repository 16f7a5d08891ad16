package org.embedrec.metrics;

/**
 * Binary accuracy: the fraction of examples whose predicted class equals the target, where the
 * predicted class is 1 if {@code prediction > threshold} (strictly, as Keras) and 0 otherwise.
 * Targets must be 0 or 1. The threshold is 0.5 for probabilities; use 0 for logits.
 */
public final class BinaryAccuracy extends PointwiseMetric {
    private final double threshold;

    public BinaryAccuracy() {
        this(0.5);
    }

    public BinaryAccuracy(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("binary_accuracy: threshold must be finite, got " + threshold);
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public String name() {
        return "binary_accuracy";
    }

    @Override
    double term(double prediction, double target, int position) {
        if (target != 0.0 && target != 1.0) {
            throw new IllegalArgumentException("binary_accuracy: target at position " + position + " is " + target
                    + ", expected 0 or 1");
        }
        return (prediction > threshold) == (target == 1.0) ? 1.0 : 0.0;
    }

    /** Accuracy at threshold 0.5 of one pair of arrays; NaN if empty. */
    public static double compute(float[] predictions, float[] targets) {
        BinaryAccuracy m = new BinaryAccuracy();
        m.update(predictions, targets);
        return m.result();
    }
}
