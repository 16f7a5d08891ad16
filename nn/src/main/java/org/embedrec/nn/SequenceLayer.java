package org.embedrec.nn;

import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;

/**
 * A layer over sequences {@code [batch, time, features]} (row-major: step {@code t} of sequence
 * {@code b} is the vector at {@code (b * time + t) * features}) that can leave padded steps out:
 * given a {@link SequenceMask}, a padded step changes no state, takes part in no attention or
 * pooling, and receives no gradient. The recurrent, attention and global pooling layers are
 * sequence layers; {@link Layer#apply(Tensor)} is the same call with every step real.
 */
public interface SequenceLayer {

    /** The output for {@code sequences} whose padded steps {@code mask} marks (null: none are padded). */
    Tensor apply(Tensor sequences, SequenceMask mask);
}
