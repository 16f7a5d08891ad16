package org.embedrec.nn.optim;

import java.util.List;
import org.embedrec.nn.Parameter;

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
}
