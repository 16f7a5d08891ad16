package org.embedrec.nn.train;

/**
 * How {@link Trainer#fit} checkpoints a run: after every {@code everyEpochs} epochs it saves its
 * state to {@code store} (null: never); and {@code resumeFrom}, when not null, is the checkpoint
 * it continues from instead of starting at epoch 1. Checkpoints fall on epoch boundaries only, so
 * a run stopped mid-epoch repeats that epoch from its start, as the uninterrupted run trained it.
 */
public record Checkpointing(CheckpointStore store, int everyEpochs, Checkpoint resumeFrom) {
    private static final Checkpointing NONE = new Checkpointing(null, 1, null);

    public Checkpointing {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("checkpoints are written every N epochs with N at least 1, got "
                    + everyEpochs);
        }
    }

    /** No checkpoints, a fresh start. */
    public static Checkpointing none() {
        return NONE;
    }

    /** A checkpoint to {@code store} after every {@code everyEpochs} epochs, from a fresh start. */
    public static Checkpointing every(int everyEpochs, CheckpointStore store) {
        return new Checkpointing(store, everyEpochs, null);
    }

    /** The same checkpoints, continuing from {@code checkpoint} (null: a fresh start). */
    public Checkpointing resumingFrom(Checkpoint checkpoint) {
        return new Checkpointing(store, everyEpochs, checkpoint);
    }
}
