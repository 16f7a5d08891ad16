package org.embedrec.nn.train;

import java.util.Objects;
import org.embedrec.nn.TrainingState;

/**
 * A training run after {@code epochsDone} epochs: their {@code history}, and the {@code state}
 * (weights, optimizer slots and step counts, random streams, the order of the examples) from
 * which {@link Trainer#fit} continues exactly as if it had never stopped.
 */
public record Checkpoint(int epochsDone, History history, TrainingState state) {

    public Checkpoint {
        if (epochsDone < 1) {
            throw new IllegalArgumentException("a checkpoint comes after at least one epoch, got " + epochsDone);
        }
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(state, "state");
        if (history.epochs().size() != epochsDone) {
            throw new IllegalArgumentException("a checkpoint after " + epochsDone + " epochs holds the history of "
                    + history.epochs().size());
        }
    }
}
