package org.embedrec.tasks;

/**
 * The range {@code [min, max]} of a rating model's training labels, which its predictions are
 * clipped to wherever a rating is given out: the metrics ({@link Ranking#regression(float, float)}),
 * the embeddable recommender's scores and the answers served from a saved model, so that a score
 * served is the number the reported RMSE and MAE measured (a prediction of 5.3 on a 1..5 scale
 * is 5, the usual MovieLens practice).
 *
 * @param min the smallest training label, finite
 * @param max the largest training label, finite and above {@code min}
 */
public record LabelRange(float min, float max) {
    public LabelRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("label range [" + min + ", " + max
                    + "]: expected finite min < max (the training labels' smallest and largest value)");
        }
    }

    /**
     * {@code prediction} clipped to {@code [min, max]}: {@code min(max(prediction, min), max)},
     * the one definition the metrics and the served scores share (NaN stays NaN).
     */
    public float clip(float prediction) {
        return Math.min(Math.max(prediction, min), max);
    }

    /** Every value of {@code predictions} clipped in place; returns the array. */
    public float[] clipInPlace(float[] predictions) {
        for (int i = 0; i < predictions.length; i++) {
            predictions[i] = clip(predictions[i]);
        }
        return predictions;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
