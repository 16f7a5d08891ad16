package org.embedrec.nn.train;

import org.embedrec.nn.TrainingState;

/** Hooks into {@link Trainer#fit}; every method has a do-nothing default. */
public interface Callback {

    /** Before the first epoch; {@code stepsPerEpoch} batches will run in each epoch. */
    default void onTrainBegin(int epochs, int stepsPerEpoch) {}

    /** Right after {@link #onTrainBegin} when the run continues from a checkpoint after {@code epochsDone} epochs. */
    default void onResume(int epochsDone) {}

    /** After each optimizer step, with that batch's loss. */
    default void onBatchEnd(int epoch, int step, double loss) {}

    /** After each epoch (and its validation, if any). Return false to stop training. */
    default boolean onEpochEnd(EpochResult result) {
        return true;
    }

    default void onTrainEnd(History history) {}

    /**
     * Puts what this callback carries from epoch to epoch and what it decides with (early
     * stopping's best metric and weights) into {@code out}, each name starting with
     * {@code prefix}, so that a resumed run decides as an uninterrupted one would. A callback that
     * only reports keeps the default, which saves nothing.
     */
    default void saveState(String prefix, TrainingState out) {}

    /** Continues from what {@link #saveState} put under {@code prefix}; called before {@link #onResume}. */
    default void restoreState(String prefix, TrainingState in) {}
}
