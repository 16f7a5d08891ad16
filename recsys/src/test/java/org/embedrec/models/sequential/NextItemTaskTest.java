package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

/** The full softmax loss against its definition; the softmax that leaves each step's earlier items out, by hand. */
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
    void theFullSoftmaxLossIsTheCrossEntropyOfTheWholeCatalogueLogits() {
        Rng rng = new Rng(7);
        int steps = 9;
        int items = 40;
        int dim = 6;
        int[] targets = new int[steps];
        for (int i = 0; i < steps; i++) {
            targets[i] = rng.nextInt(items);
        }
        float[][] fused = lossAndGradients(11, steps, items, dim, (h, c) -> NextItemTask.fullSoftmax(h, c, targets));
        float[][] written = lossAndGradients(11, steps, items, dim,
                (h, c) -> Ops.mean(Ops.softmaxCrossEntropy(Ops.matmul(h, c, false, true), targets)));
        for (int i = 0; i < fused.length; i++) {
            assertThat(fused[i]).as("array %d", i).containsExactly(written[i], within(1e-5f));
        }
        assertThat(fused[0][0]).isGreaterThan(0f);
    }

    /** The loss, then the gradients of the states and the catalogue, on random inputs from {@code seed}. */
    private static float[][] lossAndGradients(long seed, int steps, int items, int dim,
                                       java.util.function.BinaryOperator<Tensor> loss) {
        Rng rng = new Rng(seed);
        Tensor h = Tensor.zeros(steps, dim);
        Tensor c = Tensor.zeros(items, dim);
        for (Tensor t : new Tensor[] {h, c}) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = rng.uniform(-1f, 1f);
            }
            t.requiresGrad(true);
        }
        Tensor value;
        try (GradientTape tape = GradientTape.open()) {
            value = loss.apply(h, c);
            tape.backward(value);
        }
        return new float[][] {value.data().clone(), h.grad().clone(), c.grad().clone()};
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
