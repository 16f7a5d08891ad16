package org.embedrec.nn.losses;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * How per-element losses become one number. As in Keras, an example's loss is the mean over
 * the last axis of its predictions (one value for predictions of shape {@code [batch]} or
 * {@code [batch, 1]}); {@code MEAN} averages the examples' losses and {@code SUM} adds them.
 */
public enum Reduction {
    /** The mean over examples, which equals the mean over all elements. */
    MEAN,
    /** The sum over examples of each example's loss. */
    SUM;

    /**
     * Reduces {@code losses}, where each example's values are the last {@code width} elements
     * along the last axis ({@code width} 1 when every element is an example).
     */
    Tensor reduce(Tensor losses, int width) {
        return switch (this) {
            case MEAN -> Ops.mean(losses);
            case SUM -> width == 1 ? Ops.sum(losses) : Ops.scale(Ops.sum(losses), 1f / width);
        };
    }

    /** The width of one example in element-wise losses of this shape: the last dimension from rank 2 on. */
    static int exampleWidth(Tensor losses) {
        return losses.rank() >= 2 ? losses.dim(-1) : 1;
    }
}
