package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The full softmax loss against its definition; the softmax that leaves each step's earlier items
 * out against the dense definition it replaced (the whole logits plus a penalty), whose penalty
 * is checked by hand.
 */
class NextItemTaskTest {
    /** Added to a logit, takes its item out of the softmax: its probability and gradient become 0. */
    private static final float X = -1e9f;

    /**
     * The reference: {@code [real.length, n]}, {@link #X} at the items of each real step's sequence
     * up to and including that step, except its target; 0 elsewhere. Steps are walked row by row,
     * so a row's seen items accumulate.
     */
    static float[] seenPenalty(SequenceBatch batch, int[] real, int[] targets, int n) {
        float[] penalty = new float[real.length * n];
        int[] seen = new int[batch.time()];
        int seenCount = 0;
        int row = -1;
        for (int k = 0; k < real.length; k++) {
            int position = real[k];
            if (position / batch.time() != row) {
                row = position / batch.time();
                seenCount = 0;
            }
            seen[seenCount++] = batch.tokens()[position] - 1;
            int base = k * n;
            for (int i = 0; i < seenCount; i++) {
                penalty[base + seen[i]] = X;
            }
            penalty[base + targets[k]] = 0f;
        }
        return penalty;
    }

    @Test
    void eachStepExcludesTheItemsReadSoFarInItsOwnRowButNeverItsTarget() {
        // Row 0 is {0, 1} left-padded to 3 steps, its targets {1, 5}; row 1 is {2, 3, 4} with targets
        // {3, 4, 2}: its last target was read at its first step and must stay in.
        SequenceBatch batch = SequenceBatch.of(new int[][] {{0, 1}, {2, 3, 4}}, 3,
                new int[][] {{1, 5}, {3, 4, 2}}, null);
        int[] real = batch.realPositions();
        assertThat(real).containsExactly(1, 2, 3, 4, 5);
        int[] targets = {1, 5, 3, 4, 2};
        float[] penalty = seenPenalty(batch, real, targets, 6);
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

    @Property(tries = 30)
    void leavingSeenItemsOutEqualsTheDenseLogitsWithThePenalty(@ForAll @IntRange(min = 1, max = 12) int sequences,
                                                               @ForAll @IntRange(min = 1, max = 30) int time,
                                                               @ForAll @IntRange(min = 1, max = 60) int items,
                                                               @ForAll long seed) {
        // Random left-padded sequences over few items (so items repeat), their targets often an
        // item read earlier in the sequence.
        Rng rng = new Rng(seed);
        int[][] histories = new int[sequences][];
        int[][] next = new int[sequences][];
        for (int s = 0; s < sequences; s++) {
            int length = 1 + rng.nextInt(time);
            histories[s] = new int[length];
            next[s] = new int[length];
            for (int i = 0; i < length; i++) {
                histories[s][i] = rng.nextInt(Math.max(1, items / 3 + 1));
                next[s][i] = rng.nextInt(3) == 0 ? histories[s][rng.nextInt(i + 1)] : rng.nextInt(items);
            }
        }
        SequenceBatch batch = SequenceBatch.of(histories, time, next, null);
        int[] real = batch.realPositions();
        int[] targets = new int[real.length];
        for (int k = 0; k < real.length; k++) {
            targets[k] = batch.targets()[real[k]];
        }
        int dim = 8;
        float[][] fused = lossAndGradients(seed, real.length, items, dim,
                (h, c) -> NextItemTask.fullSoftmaxUnseen(h, c, batch, real, targets));
        float[][] dense = lossAndGradients(seed, real.length, items, dim, (h, c) -> Ops.mean(Ops.softmaxCrossEntropy(
                Ops.add(Ops.matmul(h, c, false, true), Tensor.wrap(seenPenalty(batch, real, targets, items),
                        real.length, items)), targets)));
        String[] names = {"loss", "dH", "dC"};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < dense[t].length; i++) {
                assertThat(fused[t][i]).as("%s element %d", names[t], i)
                        .isCloseTo(dense[t][i], within(1e-5f * (1f + Math.abs(dense[t][i]))));
            }
        }
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
