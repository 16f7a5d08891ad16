package org.embedrec.nn.train;

import java.io.IOException;

/**
 * Where {@link Trainer#fit} hands its checkpoints. A store keeps the last good one: a new
 * checkpoint replaces it whole, or, if writing fails or the process dies, not at all.
 */
@FunctionalInterface
public interface CheckpointStore {

    /** Writes {@code checkpoint} before training goes on (its state holds live arrays). */
    void save(Checkpoint checkpoint) throws IOException;
}
