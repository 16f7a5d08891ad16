package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The softmax cross-entropy that leaves columns out per row, held to its definition: the dense
 * ops it replaces (the whole logits, plus a penalty of -1e9 at each row's excluded columns but
 * its label, then the softmax cross-entropy), values and gradients, over random sizes with
 * nested, overlapping and repeating ranges and labels inside them; a gradient check; exactly
 * zero gradient for a column excluded everywhere; the plain full softmax when nothing is
 * excluded; bit-identical results on 1 and 2 threads; a hand-computed case; argument errors.
 */
class ExcludingSoftmaxLossTest {

    /**
     * Random exclusions the way a batch of sequences makes them: a list of columns (with repeats)
     * cut into runs, each row excluding a prefix of its run, so ranges nest and share entries;
     * some rows exclude nothing, and labels are often one of the row's excluded columns.
     */
    private record Exclusions(int[] labels, int[] columns, int[] from, int[] to) {
        static Exclusions random(Rng rng, int b, int m) {
            int[] columns = new int[b];
            int[] from = new int[b];
            int[] to = new int[b];
            int[] labels = new int[b];
            int runStart = 0;
            for (int i = 0; i < b; i++) {
                if (rng.nextInt(4) == 0) {
                    runStart = i;
                }
                // Few distinct columns, so that runs repeat some.
                columns[i] = rng.nextInt(Math.max(1, m / 2 + 1));
                from[i] = runStart;
                to[i] = rng.nextInt(6) == 0 ? runStart : i + 1;
                labels[i] = rng.nextInt(3) == 0 && to[i] > from[i]
                        ? columns[from[i] + rng.nextInt(to[i] - from[i])] : rng.nextInt(m);
            }
            return new Exclusions(labels, columns, from, to);
        }

        /** {@code [B, M]}: -1e9 at each row's excluded columns other than its label, 0 elsewhere. */
        float[] densePenalty(int m) {
            int b = labels.length;
            float[] penalty = new float[b * m];
            for (int i = 0; i < b; i++) {
                for (int s = from[i]; s < to[i]; s++) {
                    penalty[i * m + columns[s]] = -1e9f;
                }
                penalty[i * m + labels[i]] = 0f;
            }
            return penalty;
        }
    }

    private static float[][] lossAndGradients(Tensor q, Tensor c, float[] w, java.util.function.Supplier<Tensor> op) {
        q.dropGrad();
        c.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = op.get();
            float[] values = out.data().clone();
            tape.backward(Ops.sum(Ops.mul(out, Tensor.wrap(w, w.length))));
            return new float[][] {values, q.grad().clone(), c.grad().clone()};
        }
    }

    private static float[][] fused(Tensor q, Tensor c, Exclusions x, float[] w) {
        return lossAndGradients(q, c, w,
                () -> Ops.softmaxCrossEntropyExcluding(q, c, x.labels(), x.columns(), x.from(), x.to()));
    }

    private static float[][] dense(Tensor q, Tensor c, Exclusions x, float[] w) {
        int b = q.dim(0);
        int m = c.dim(0);
        return lossAndGradients(q, c, w, () -> Ops.softmaxCrossEntropy(
                Ops.add(Ops.matmul(q, c, false, true), Tensor.wrap(x.densePenalty(m), b, m)), x.labels()));
    }

    private static float[] weights(int b) {
        float[] w = new float[b];
        for (int i = 0; i < b; i++) {
            w[i] = 1f + (i % 3);
        }
        return w;
    }

    @Property(tries = 40)
    void equalsTheDenseLogitsWithAPenalty(@ForAll @IntRange(min = 1, max = 300) int b,
                                          @ForAll @IntRange(min = 1, max = 200) int m,
                                          @ForAll @IntRange(min = 1, max = 24) int d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, -2f, 2f, b, d);
        Tensor c = RandomTensors.uniform(rng, -2f, 2f, m, d);
        Exclusions x = Exclusions.random(rng, b, m);
        float[] w = weights(b);
        float[][] got = fused(q, c, x, w);
        float[][] want = dense(q, c, x, w);
        String[] names = {"loss", "dQ", "dC"};
        for (int t = 0; t < 3; t++) {
            // dC sums B rows of terms up to |w q| = 6 that can cancel (M = 1: to exactly 0), in
            // another order: float rounding of B such terms, beside the relative bound.
            float rowSums = t == 2 ? 1e-6f * b : 0f;
            for (int i = 0; i < want[t].length; i++) {
                assertThat(got[t][i]).as("%s element %d of B %d, M %d, D %d", names[t], i, b, m, d)
                        .isCloseTo(want[t][i], within(2e-5f * (1f + Math.abs(want[t][i])) + rowSums));
            }
        }
    }

    @Property(tries = 30)
    void gradient(@ForAll @IntRange(min = 1, max = 6) int b, @ForAll @IntRange(min = 1, max = 5) int m,
                  @ForAll @IntRange(min = 1, max = 4) int d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, m, d);
        Exclusions x = Exclusions.random(rng, b, m);
        new GradientCheck().check(in -> Ops.softmaxCrossEntropyExcluding(in.get(0), in.get(1), x.labels(),
                x.columns(), x.from(), x.to()), List.of(q, c), seed);
    }

    @Test
    void aColumnExcludedFromEveryRowGetsExactlyNoGradient() {
        // Column 3 is excluded from every row and no row's label: its probability is exactly 0
        // everywhere, so its candidate's gradient is exactly 0, even with large logits beside it.
        Rng rng = new Rng(5);
        int b = 40;
        int m = 9;
        Tensor q = RandomTensors.uniform(rng, -4f, 4f, b, 6);
        Tensor c = RandomTensors.uniform(rng, -4f, 4f, m, 6);
        int[] labels = new int[b];
        int[] columns = new int[b];
        int[] from = new int[b];
        int[] to = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = (i % (m - 1) + 4) % m;
            columns[i] = 3;
            from[i] = i;
            to[i] = i + 1;
        }
        float[][] got = lossAndGradients(q, c, weights(b),
                () -> Ops.softmaxCrossEntropyExcluding(q, c, labels, columns, from, to));
        for (int k = 3 * 6; k < 4 * 6; k++) {
            assertThat(got[2][k]).as("dC[3][%d]", k - 18).isEqualTo(0f);
        }
        assertThat(got[2][2 * 6]).isNotEqualTo(0f);
    }

    @Test
    void excludingNothingIsThePlainFullSoftmaxBitForBit() {
        Rng rng = new Rng(8);
        int b = 70;
        int m = 300;
        Tensor q = RandomTensors.uniform(rng, b, 11);
        Tensor c = RandomTensors.uniform(rng, m, 11);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = rng.nextInt(m);
        }
        float[] w = weights(b);
        float[][] none = lossAndGradients(q, c, w,
                () -> Ops.softmaxCrossEntropyExcluding(q, c, labels, new int[0], new int[b], new int[b]));
        float[][] plain = lossAndGradients(q, c, w,
                () -> Ops.sampledSoftmaxCrossEntropy(q, c, 1f, labels, null, null, false));
        for (int t = 0; t < 3; t++) {
            assertThat(none[t]).as("output %d", t).containsExactly(plain[t]);
        }
    }

    @Test
    void sameBitsOnOneAndTwoThreadsAcrossGroups() {
        int original = Parallel.threads();
        Rng rng = new Rng(21);
        int b = SoftmaxCrossEntropyBlocks.GROUP_ROWS * 2 + 37;
        Tensor q = RandomTensors.uniform(rng, b, 17);
        Tensor c = RandomTensors.uniform(rng, 260, 17);
        Exclusions x = Exclusions.random(rng, b, 260);
        float[] w = weights(b);
        try {
            Parallel.setThreads(1);
            float[][] one = fused(q, c, x, w);
            Parallel.setThreads(2);
            float[][] two = fused(q, c, x, w);
            for (int t = 0; t < 3; t++) {
                assertThat(two[t]).as("output %d", t).containsExactly(one[t]);
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    @Test
    void handComputed() {
        // q0 = (1, 0), q1 = (0, 1); c0 = (1, 0), c1 = (0, 1), c2 = (1, 1).
        // Row 0 excludes {0, 2} but 0 is its label: logits (1, 0, -1e9), loss log(e + 1) - 1 = 0.3132617.
        // Row 1 excludes {0, 2, 2} (a repeat), label 1: logits (-1e9, 1, -1e9), loss 0.
        Tensor q = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}});
        Tensor c = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}, {1f, 1f}});
        int[] columns = {0, 2, 2};
        assertThat(Ops.softmaxCrossEntropyExcluding(q, c, new int[] {0, 1}, columns, new int[] {0, 0},
                new int[] {2, 3}).data()).containsExactly(new float[] {0.3132617f, 0f}, within(1e-6f));
    }

    @Test
    void rejectsArgumentsThatDoNotFit() {
        Tensor q = Tensor.zeros(2, 2);
        Tensor c = Tensor.zeros(3, 2);
        int[] labels = {0, 1};
        int[] none = {0, 0};
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, Tensor.zeros(3, 4), labels, new int[0], none,
                none)).hasMessage("softmaxCrossEntropyExcluding: queries [2, 2] and candidates [3, 4]: expected"
                        + " [B, D] and [M, D] with M >= 1");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, new int[] {0}, new int[0], none, none))
                .hasMessage("softmaxCrossEntropyExcluding: 1 labels for 2 queries, expected one per query");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, new int[] {0, 3}, new int[0], none, none))
                .hasMessage("softmaxCrossEntropyExcluding: labels[1] = 3, expected a candidate row in [0, 3)");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, labels, new int[0], new int[] {0}, none))
                .hasMessage("softmaxCrossEntropyExcluding: 1 excludedFrom for 2 queries, expected one per query");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, labels, new int[] {1}, none,
                new int[] {1, 2})).hasMessage("softmaxCrossEntropyExcluding: row 1 excludes columns[0 .. 2),"
                        + " expected 0 <= from <= to <= 1");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, labels, new int[] {1, 3}, none,
                new int[] {1, 2})).hasMessage("softmaxCrossEntropyExcluding: excluded column[1] = 3, expected a"
                        + " candidate row in [0, 3)");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropyExcluding(q, c, labels, null, none, none))
                .hasMessage("softmaxCrossEntropyExcluding: no excluded columns (an empty array for none)");
    }
}
