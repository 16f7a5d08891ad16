package org.embedrec.nn.train;

/**
 * Examples the training loop can batch: {@code size()} examples, and a batch made of any
 * subset of them, given by index. A batch type {@code B} is whatever the task consumes.
 */
public interface Dataset<B> {

    int size();

    /** The batch of examples {@code indices[from..to)}, in that order. */
    B batch(int[] indices, int from, int to);
}
