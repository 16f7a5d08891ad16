package org.embedrec.nn.train;

import java.util.Map;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;

/**
 * What the training loop trains: a model (its parameters and training mode) and a scalar loss
 * on a batch. The loop opens the gradient tape around {@link #loss}, so the loss only needs to
 * run the forward pass.
 */
public interface TrainingTask<B> {

    /** The module whose parameters are trained. */
    Module model();

    /** The scalar to minimise on {@code batch}, computed from the model's forward pass. */
    Tensor loss(B batch);

    /** Metrics on held-out data, evaluated in inference mode; must include "loss". */
    Map<String, Double> evaluate(Dataset<B> data);
}
