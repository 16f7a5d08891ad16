package org.embedrec.nn.train;

import org.embedrec.engine.Tensor;

/**
 * The fraction of examples predicted right. {@code CATEGORICAL}: the arg-max of each row of
 * predictions equals the target class id. The binary kinds compare one prediction per example
 * with a threshold: 0.5 for probabilities, 0 for logits, against a 0/1 target.
 */
public enum Accuracy {
    CATEGORICAL, BINARY_PROBABILITY, BINARY_LOGIT;

    /** Number of correct examples among the rows of {@code predictions}. */
    public long countCorrect(Tensor predictions, Tensor targets) {
        int rows = targets.size();
        float[] p = predictions.data();
        float[] t = targets.data();
        int width = p.length / Math.max(1, rows);
        if (width * rows != p.length || (this != CATEGORICAL && width != 1)) {
            throw new IllegalArgumentException(this + " accuracy: " + p.length + " predictions for "
                    + rows + " targets");
        }
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            boolean right;
            if (this == CATEGORICAL) {
                int best = 0;
                for (int j = 1; j < width; j++) {
                    if (p[r * width + j] > p[r * width + best]) {
                        best = j;
                    }
                }
                right = best == Math.round(t[r]);
            } else {
                float threshold = this == BINARY_PROBABILITY ? 0.5f : 0f;
                right = (p[r] > threshold) == (t[r] > 0.5f);
            }
            if (right) {
                correct++;
            }
        }
        return correct;
    }
}
