package org.embedrec.nn.train;

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
}
