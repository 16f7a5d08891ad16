package org.embedrec.nn.train;

import org.embedrec.nn.TrainingState;

/**
 * Examples the training loop can batch: {@code size()} examples, and a batch made of any
 * subset of them, given by index. A batch type {@code B} is whatever the task consumes.
 */
public interface Dataset<B> {

    int size();

    /** The batch of examples {@code indices[from..to)}, in that order. */
    B batch(int[] indices, int from, int to);

    /**
     * Puts what making batches carries from batch to batch (a stream of sampled negatives) into
     * {@code out}, each name starting with {@code prefix}, so that a resumed run's batches are an
     * uninterrupted one's. Examples that draw nothing keep the default, which saves nothing.
     */
    default void saveState(String prefix, TrainingState out) {}

    /** Continues from what {@link #saveState} put under {@code prefix}. */
    default void restoreState(String prefix, TrainingState in) {}
}
