package org.embedrec.nn.optim;

import java.util.List;
import java.util.Map;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;

/**
 * Applies one update to parameters from the gradients left by the last backward pass.
 *
 * <p>A step reads gradients and never clears them: the training loop zeroes them before the
 * next backward pass. Parameters without a gradient in this step (a dense one whose gradient
 * was never allocated, a sparse one with no touched rows) are left alone.
 *
 * <p>Implementations: {@link SGD}, {@link Adagrad}, {@link Adam}, {@link AdamW},
 * {@link RMSprop}, {@link Ftrl} (one rule for all parameters given), and {@link MultiOptimizer}
 * (a different optimizer for each group of parameters, as Wide &amp; Deep trains its parts).
 */
public interface Optimizer {

    /** Updates {@code parameters} in place from their current gradients. */
    void step(List<Parameter> parameters);

    /**
     * Puts what this optimizer carries from step to step (each stepped parameter's slots, step
     * counts, the learning rate) into {@code out}, every entry's name starting with
     * {@code prefix}, each parameter named by its path in {@code parameters}; so that
     * {@link #restoreState} continues the optimizer bit for bit. An optimizer that carries
     * nothing implements both as doing nothing; the default refuses, so that a checkpoint
     * never silently leaves state behind.
     */
    default void saveState(String prefix, Map<String, Parameter> parameters, TrainingState out) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot save its state for a checkpoint");
    }

    /** Replaces this optimizer's state with what {@link #saveState} put under {@code prefix}. */
    default void restoreState(String prefix, Map<String, Parameter> parameters, TrainingState in) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot restore its state from a checkpoint");
    }
}
