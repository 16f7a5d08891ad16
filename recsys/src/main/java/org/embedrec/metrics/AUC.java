package org.embedrec.metrics;

import java.util.Arrays;

/**
 * Area under the ROC curve, computed exactly by the rank (Mann-Whitney) statistic: the
 * probability that a random positive example scores higher than a random negative one, a tie
 * counting one half:
 * {@code AUC = (#{(p, n): s_p > s_n} + 0.5 * #{(p, n): s_p == s_n}) / (P * N)}.
 * Labels must be 0 or 1. Scores are kept (4 bytes per example) and {@link #result()} sorts them,
 * O(n log n); the pair counts are exact integers. With no positives or no negatives the AUC is
 * undefined and the result is NaN. Keras' {@code AUC} approximates this with 200 thresholds; this
 * one is exact.
 */
public final class AUC implements Metric {
    private float[] positives = new float[256];
    private float[] negatives = new float[256];
    private int numPositives;
    private int numNegatives;

    @Override
    public String name() {
        return "auc";
    }

    /** Adds examples with their scores (any real numbers; higher means more likely positive) and 0/1 labels. */
    public void update(float[] scores, float[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("auc: " + scores.length + " scores but " + labels.length + " labels");
        }
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("auc: score at position " + i + " is NaN");
            }
            s += 0.0f; // -0.0 becomes 0.0, so that Arrays.sort does not order them apart
            if (labels[i] == 1f) {
                if (numPositives == positives.length) {
                    positives = Arrays.copyOf(positives, numPositives * 2);
                }
                positives[numPositives++] = s;
            } else if (labels[i] == 0f) {
                if (numNegatives == negatives.length) {
                    negatives = Arrays.copyOf(negatives, numNegatives * 2);
                }
                negatives[numNegatives++] = s;
            } else {
                throw new IllegalArgumentException("auc: label at position " + i + " is " + labels[i]
                        + ", expected 0 or 1");
            }
        }
    }

    public int numPositives() {
        return numPositives;
    }

    public int numNegatives() {
        return numNegatives;
    }

    @Override
    public double result() {
        if (numPositives == 0 || numNegatives == 0) {
            return Double.NaN;
        }
        Arrays.sort(positives, 0, numPositives);
        Arrays.sort(negatives, 0, numNegatives);
        // For each positive in ascending order: below = negatives strictly lower, notAbove = lower or equal.
        // Twice the pair count, 2 * below + (notAbove - below), stays an exact integer.
        long twiceWins = 0;
        int below = 0;
        int notAbove = 0;
        for (int i = 0; i < numPositives; i++) {
            float p = positives[i];
            while (below < numNegatives && negatives[below] < p) {
                below++;
            }
            if (notAbove < below) {
                notAbove = below;
            }
            while (notAbove < numNegatives && negatives[notAbove] <= p) {
                notAbove++;
            }
            twiceWins += below + (long) notAbove;
        }
        return twiceWins / (2.0 * numPositives * (double) numNegatives);
    }

    @Override
    public void reset() {
        numPositives = 0;
        numNegatives = 0;
    }

    /** The AUC of one set of scores and 0/1 labels; NaN without both classes. */
    public static double compute(float[] scores, float[] labels) {
        AUC m = new AUC();
        m.update(scores, labels);
        return m.result();
    }

    @Override
    public String toString() {
        return name() + "=" + result();
    }
}
