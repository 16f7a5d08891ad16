package org.embedrec.nn.train;

import java.util.Map;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.TrainingState;

/**
 * What the training loop trains: a model (its parameters and training mode) and a scalar loss
 * on a batch. The loop opens the gradient tape around {@link #loss}, so the loss only needs to
 * run the forward pass.
 */
public interface TrainingTask<B> {

    /** The module whose parameters are trained. */
    Module model();

    /**
     * The module a checkpoint holds (weights, random streams, optimizer slots): {@link #model()}
     * itself, unless that is the part of a larger model one phase of training trains alone
     * ({@link PartTask}), when it is the whole, so the other part's weights and optimizer state
     * survive a resume too.
     */
    default Module wholeModel() {
        return model();
    }

    /** The scalar to minimise on {@code batch}, computed from the model's forward pass. */
    Tensor loss(B batch);

    /** Metrics on held-out data, evaluated in inference mode; must include "loss". */
    Map<String, Double> evaluate(Dataset<B> data);

    /**
     * Puts what this task carries from batch to batch (a stream of sampled negatives) into
     * {@code out}, each name starting with {@code prefix}, so that a resumed run draws what an
     * uninterrupted one would. A task that draws nothing keeps the default, which saves nothing.
     */
    default void saveState(String prefix, TrainingState out) {}

    /** Continues from what {@link #saveState} put under {@code prefix}. */
    default void restoreState(String prefix, TrainingState in) {}
}
