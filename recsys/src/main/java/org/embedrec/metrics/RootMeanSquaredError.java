package org.embedrec.metrics;

/**
 * Root mean squared error: {@code sqrt( (1/n) * sum_i (prediction_i - target_i)^2 )} over all n
 * examples seen (the root of the mean over every example, not a mean of per-batch roots).
 */
public final class RootMeanSquaredError extends PointwiseMetric {

    @Override
    public String name() {
        return "rmse";
    }

    @Override
    double term(double prediction, double target, int position) {
        double d = prediction - target;
        return d * d;
    }

    @Override
    double finish(double mean) {
        return Math.sqrt(mean);
    }

    /** RMSE of one pair of arrays; NaN if empty. */
    public static double compute(float[] predictions, float[] targets) {
        RootMeanSquaredError m = new RootMeanSquaredError();
        m.update(predictions, targets);
        return m.result();
    }

    public static double compute(double[] predictions, double[] targets) {
        RootMeanSquaredError m = new RootMeanSquaredError();
        m.update(predictions, targets);
        return m.result();
    }
}
