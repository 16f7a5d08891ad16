package org.embedrec.nn.losses;

import org.embedrec.engine.Tensor;

/**
 * A training objective: a scalar computed from a batch of predictions and their targets, on the
 * gradient tape when one is open, so that {@code tape.backward(loss.compute(p, y))} trains the
 * model that produced {@code p}.
 */
@FunctionalInterface
public interface Loss {

    /**
     * The loss of {@code predictions} against {@code targets}, reduced to a scalar; throws
     * {@link IllegalArgumentException} naming both shapes when they do not fit together.
     */
    Tensor compute(Tensor predictions, Tensor targets);
}
