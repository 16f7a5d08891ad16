package org.embedrec.metrics;

/**
 * Log-loss (binary cross-entropy) of targets {@code y} in {@code [0, 1]} against predicted
 * probabilities {@code sigmoid(x)}, given the logits {@code x}:
 * {@code (1/n) sum_i -(y_i log sigmoid(x_i) + (1 - y_i) log(1 - sigmoid(x_i)))}. Each term is
 * computed in double as {@code max(x, 0) - x y + log(1 + exp(-|x|))}, the form
 * {@link org.embedrec.engine.Ops#sigmoidCrossEntropy} trains with, so that a confident wrong
 * logit costs {@code |x|} instead of the infinity {@code log(0)} would give.
 */
public final class LogLoss extends PointwiseMetric {

    @Override
    public String name() {
        return "log_loss";
    }

    @Override
    double term(double logit, double target, int position) {
        if (!(target >= 0.0 && target <= 1.0)) {
            throw new IllegalArgumentException("log_loss: target at position " + position + " is " + target
                    + ", expected a probability in [0, 1]");
        }
        return Math.max(logit, 0.0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    /** Log-loss of one array of logits against its targets; NaN if empty. */
    public static double compute(float[] logits, float[] targets) {
        LogLoss m = new LogLoss();
        m.update(logits, targets);
        return m.result();
    }
}
