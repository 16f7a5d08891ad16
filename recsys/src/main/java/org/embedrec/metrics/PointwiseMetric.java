package org.embedrec.metrics;

/**
 * A metric that is a function of the mean of a per-example term of (prediction, target):
 * the shared accumulation of {@link RootMeanSquaredError}, {@link MeanAbsoluteError},
 * {@link BinaryAccuracy} and {@link LogLoss}.
 */
public abstract sealed class PointwiseMetric implements Metric
        permits RootMeanSquaredError, MeanAbsoluteError, BinaryAccuracy, LogLoss {
    private double sum;
    private long count;

    /** The per-example term; {@code position} is for error messages. */
    abstract double term(double prediction, double target, int position);

    /** The result from the mean of the terms; the identity unless overridden. */
    double finish(double mean) {
        return mean;
    }

    public void update(float[] predictions, float[] targets) {
        checkLengths(predictions.length, targets.length);
        double s = 0;
        for (int i = 0; i < predictions.length; i++) {
            s += term(checked(predictions[i], i), targets[i], i);
        }
        sum += s;
        count += predictions.length;
    }

    public void update(double[] predictions, double[] targets) {
        checkLengths(predictions.length, targets.length);
        double s = 0;
        for (int i = 0; i < predictions.length; i++) {
            s += term(checked(predictions[i], i), targets[i], i);
        }
        sum += s;
        count += predictions.length;
    }

    /** Number of examples seen. */
    public long count() {
        return count;
    }

    @Override
    public double result() {
        return count == 0 ? Double.NaN : finish(sum / count);
    }

    @Override
    public void reset() {
        sum = 0;
        count = 0;
    }

    private double checked(double prediction, int position) {
        if (Double.isNaN(prediction)) {
            throw new IllegalArgumentException(name() + ": prediction at position " + position + " is NaN");
        }
        return prediction;
    }

    private void checkLengths(int predictions, int targets) {
        if (predictions != targets) {
            throw new IllegalArgumentException(name() + ": " + predictions + " predictions but " + targets + " targets");
        }
    }

    @Override
    public String toString() {
        return name() + "=" + result();
    }
}
