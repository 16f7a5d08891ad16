package org.embedrec.nn.train;

import java.util.List;
import java.util.Objects;

/**
 * How {@link Trainer#fit} checkpoints a run: after every {@code everyEpochs} epochs it saves its
 * state to {@code store} (null: never), labelled with the training {@code phase}; and
 * {@code resumeFrom}, when not null, is the checkpoint it continues from instead of starting at
 * epoch 1. Checkpoints fall on epoch boundaries only, so a run stopped mid-epoch repeats that
 * epoch from its start, as the uninterrupted run trained it.
 *
 * <p>A run of several phases (pre-training parts of the model, then the joint epochs) calls
 * {@link Trainer#fit} once per phase with {@link #forPhase}, skipping the phases that
 * {@link #resumesAfter} says a checkpoint of a later phase has done.
 */
public record Checkpointing(CheckpointStore store, int everyEpochs, Checkpoint resumeFrom, String phase) {
    private static final Checkpointing NONE = new Checkpointing(null, 1, null, Checkpoint.MAIN_PHASE);

    public Checkpointing {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("checkpoints are written every N epochs with N at least 1, got "
                    + everyEpochs);
        }
        Objects.requireNonNull(phase, "phase");
    }

    /** No checkpoints, a fresh start. */
    public static Checkpointing none() {
        return NONE;
    }

    /** A checkpoint to {@code store} after every {@code everyEpochs} epochs, from a fresh start. */
    public static Checkpointing every(int everyEpochs, CheckpointStore store) {
        return new Checkpointing(store, everyEpochs, null, Checkpoint.MAIN_PHASE);
    }

    /** The same checkpoints, continuing from {@code checkpoint} (null: a fresh start). */
    public Checkpointing resumingFrom(Checkpoint checkpoint) {
        return new Checkpointing(store, everyEpochs, checkpoint, phase);
    }

    /**
     * The checkpoints of phase {@code name}: the same store and interval, labelled {@code name},
     * continuing from the checkpoint to resume from only if it was taken in that phase (a phase
     * after it starts afresh, from what the phases before it left).
     */
    public Checkpointing forPhase(String name) {
        Checkpoint from = resumeFrom != null && resumeFrom.phase().equals(name) ? resumeFrom : null;
        return new Checkpointing(store, everyEpochs, from, name);
    }

    /**
     * Whether the checkpoint to resume from was taken in a phase after {@code name} of a run whose
     * phases are {@code phases} in order, so that phase is done and is skipped.
     *
     * @throws IllegalArgumentException when the checkpoint's phase is not one of {@code phases}
     */
    public boolean resumesAfter(String name, List<String> phases) {
        if (resumeFrom == null) {
            return false;
        }
        int saved = phases.indexOf(resumeFrom.phase());
        if (saved < 0) {
            throw new IllegalArgumentException("the checkpoint was taken in training phase '" + resumeFrom.phase()
                    + "', which this run does not have (its phases are " + String.join(", ", phases) + ")");
        }
        return saved > phases.indexOf(name);
    }
}
