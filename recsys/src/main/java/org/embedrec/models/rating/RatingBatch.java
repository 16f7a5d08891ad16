package org.embedrec.models.rating;

import org.embedrec.engine.Tensor;

/**
 * A batch of rating examples, column by column, as {@link RatingExamples#batch} slices it:
 * {@code users[i]}, {@code items[i]}, {@code ratings[i]} (or 0/1 labels) of example {@code i};
 * {@code categorical[c][i]} for each categorical column of the {@link RatingFeatureSpec} in its
 * order; {@code multiValued[m]} holding {@code size() * width} ids of multi-valued column
 * {@code m}, example-major, padded with {@link RatingFeatureSpec#PAD}.
 *
 * <p>The arrays belong to the batch; models read them and never write them.
 */
public record RatingBatch(int[] users, int[] items, float[] ratings, int[][] categorical, int[][] multiValued) {

    public int size() {
        return users.length;
    }

    /** The ratings as a {@code [size]} tensor sharing the array. */
    public Tensor targets() {
        return Tensor.wrap(ratings, ratings.length);
    }
}
