package org.embedrec.metrics;

/** Mean absolute error: {@code (1/n) * sum_i |prediction_i - target_i|} over all n examples seen. */
public final class MeanAbsoluteError extends PointwiseMetric {

    @Override
    public String name() {
        return "mae";
    }

    @Override
    double term(double prediction, double target, int position) {
        return Math.abs(prediction - target);
    }

    /** MAE of one pair of arrays; NaN if empty. */
    public static double compute(float[] predictions, float[] targets) {
        MeanAbsoluteError m = new MeanAbsoluteError();
        m.update(predictions, targets);
        return m.result();
    }

    public static double compute(double[] predictions, double[] targets) {
        MeanAbsoluteError m = new MeanAbsoluteError();
        m.update(predictions, targets);
        return m.result();
    }
}
