package org.embedrec.metrics;

/**
 * Accuracy: the fraction of examples whose predicted class id equals the true class id. The
 * predicted class is either given, or the arg-max of a row of scores, ties going to the lowest
 * class id (the first maximum).
 */
public final class Accuracy implements Metric {
    private long correct;
    private long count;

    @Override
    public String name() {
        return "accuracy";
    }

    /** Counts {@code predicted[i] == actual[i]}. */
    public void update(int[] predicted, int[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("accuracy: " + predicted.length + " predictions but " + actual.length
                    + " labels");
        }
        long c = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == actual[i]) {
                c++;
            }
        }
        correct += c;
        count += predicted.length;
    }

    /**
     * Counts examples whose arg-max over {@code numClasses} scores (row-major
     * {@code scores[i * numClasses + c]}) equals {@code labels[i]}.
     */
    public void updateFromScores(float[] scores, int numClasses, int[] labels) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("accuracy: numClasses must be >= 1, got " + numClasses);
        }
        if ((long) labels.length * numClasses != scores.length) {
            throw new IllegalArgumentException("accuracy: " + scores.length + " scores is not " + labels.length
                    + " labels x " + numClasses + " classes");
        }
        long c = 0;
        for (int i = 0; i < labels.length; i++) {
            int base = i * numClasses;
            int best = 0;
            for (int k = 0; k < numClasses; k++) {
                float s = scores[base + k];
                if (Float.isNaN(s)) {
                    throw new IllegalArgumentException("accuracy: score of example " + i + ", class " + k + " is NaN");
                }
                if (s > scores[base + best]) {
                    best = k;
                }
            }
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("accuracy: label at position " + i + " is " + labels[i]
                        + ", expected a class in [0, " + numClasses + ")");
            }
            if (best == labels[i]) {
                c++;
            }
        }
        correct += c;
        count += labels.length;
    }

    public long count() {
        return count;
    }

    @Override
    public double result() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    @Override
    public void reset() {
        correct = 0;
        count = 0;
    }

    /** Accuracy of one pair of arrays; NaN if empty. */
    public static double compute(int[] predicted, int[] actual) {
        Accuracy m = new Accuracy();
        m.update(predicted, actual);
        return m.result();
    }

    @Override
    public String toString() {
        return name() + "=" + result();
    }
}
