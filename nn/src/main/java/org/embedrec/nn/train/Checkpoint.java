package org.embedrec.nn.train;

import java.util.Objects;
import org.embedrec.nn.TrainingState;

/**
 * A training run after {@code epochsDone} epochs of its training {@code phase}: their
 * {@code history}, and the {@code state} (weights, optimizer slots and step counts, random
 * streams, the order of the examples, the callbacks' decisions) from which {@link Trainer#fit}
 * continues exactly as if it had never stopped. Most runs have one phase, {@link #MAIN_PHASE};
 * one that pre-trains parts of its model first names those phases ({@link Checkpointing#forPhase}).
 */
public record Checkpoint(int epochsDone, History history, TrainingState state, String phase) {
    /** The phase of a run's own epochs, the only one of a run without pre-training. */
    public static final String MAIN_PHASE = "main";

    public Checkpoint {
        if (epochsDone < 1) {
            throw new IllegalArgumentException("a checkpoint comes after at least one epoch, got " + epochsDone);
        }
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(state, "state");
        if (phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("a checkpoint names its training phase");
        }
        if (history.epochs().size() != epochsDone) {
            throw new IllegalArgumentException("a checkpoint after " + epochsDone + " epochs holds the history of "
                    + history.epochs().size());
        }
    }

    /** A checkpoint of the {@link #MAIN_PHASE}. */
    public Checkpoint(int epochsDone, History history, TrainingState state) {
        this(epochsDone, history, state, MAIN_PHASE);
    }

    /** Where the run stands, as a message says it: "after epoch 3", "after epoch 1 of phase 'pretrain_wide'". */
    public String position() {
        return position(epochsDone, phase);
    }

    /** As {@link #position()} for {@code epochsDone} epochs of {@code phase}. */
    public static String position(int epochsDone, String phase) {
        return "after epoch " + epochsDone + (MAIN_PHASE.equals(phase) ? "" : " of phase '" + phase + "'");
    }
}
