/**
 * Optimizers: {@link org.embedrec.nn.optim.SGD}, {@link org.embedrec.nn.optim.Adagrad},
 * {@link org.embedrec.nn.optim.Adam}, {@link org.embedrec.nn.optim.AdamW},
 * {@link org.embedrec.nn.optim.RMSprop}, {@link org.embedrec.nn.optim.Ftrl}, parameter groups
 * ({@link org.embedrec.nn.optim.MultiOptimizer}) and
 * {@link org.embedrec.nn.optim.GradientClipping}.
 *
 * <p>Defaults follow Keras. Every optimizer updates an embedding table lazily: only the rows
 * touched in the step are read and written, so a step's cost follows the batch, not the
 * vocabulary; see {@link org.embedrec.nn.optim.ElementwiseOptimizer} for what that means for
 * moments, accumulators, momentum and weight decay.
 */
package org.embedrec.nn.optim;
