package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/** The softmax that leaves each step's earlier items out, by hand. */
class NextItemTaskTest {
    private static final float X = NextItemTask.EXCLUDED;

    @Test
    void eachStepExcludesTheItemsReadSoFarInItsOwnRowButNeverItsTarget() {
        // Row 0 is {0, 1} left-padded to 3 steps, its targets {1, 5}; row 1 is {2, 3, 4} with targets
        // {3, 4, 2}: its last target was read at its first step and must stay in.
        SequenceBatch batch = SequenceBatch.of(new int[][] {{0, 1}, {2, 3, 4}}, 3,
                new int[][] {{1, 5}, {3, 4, 2}}, null);
        int[] real = batch.realPositions();
        assertThat(real).containsExactly(1, 2, 3, 4, 5);
        int[] targets = {1, 5, 3, 4, 2};
        float[] penalty = NextItemTask.seenPenalty(batch, real, targets, 6);
        assertThat(penalty).containsExactly(
                X, 0, 0, 0, 0, 0,    // row 0 after item 0: target 1
                X, X, 0, 0, 0, 0,    // row 0 after items 0, 1: target 5
                0, 0, X, 0, 0, 0,    // row 1 after item 2 (row 0's items are not its own)
                0, 0, X, X, 0, 0,    // row 1 after items 2, 3: target 4
                0, 0, 0, X, X, 0);   // row 1 after items 2, 3, 4: target 2, read before, stays in
    }

    @Test
    void excludingSeenItemsIsForTheFullSoftmaxOnly() {
        SequenceEncoder model = new SasRec(5, 4, 1, 1, 3, 0.0, new Rng(1));
        NextItemQueries none = new NextItemQueries(new int[0], new int[0][], new int[0]);
        assertThatThrownBy(() -> new NextItemTask(model, NextItemLoss.BCE, 1, new int[5], none, 1, true))
                .hasMessageContaining("softmax loss only").hasMessageContaining("bce");
        assertThatThrownBy(() -> new SequentialConfig(SasRec.NAME, 4, 1, 1, 3, 0.0, 0.01, 8, 1,
                NextItemLoss.SAMPLED_SOFTMAX, 5, 1, 0, true)).hasMessageContaining("exclude_seen");
    }
}
