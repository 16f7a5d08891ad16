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
 * The fused in-batch softmax cross-entropy: gradient checks with the default
 * {@link GradientCheck} tolerances over random sizes with each term on and off; agreement of
 * values and gradients with the same loss built from the separate ops; bit-identical results
 * on 1 and 2 threads; a hand-computed case; shape errors.
 */
class InBatchSoftmaxLossTest {
    private final GradientCheck check = new GradientCheck();

    /** The same loss from matmul, scale, sub, add and softmaxCrossEntropy. */
    private static Tensor composed(Tensor q, Tensor c, float scale, float[] shift, int[] ids, float offset) {
        int b = q.dim(0);
        int m = c.dim(0);
        Tensor logits = Ops.matmul(Ops.scale(q, scale), c, false, true);
        if (shift != null) {
            logits = Ops.sub(logits, Tensor.wrap(shift, m));
        }
        if (ids != null) {
            float[] mask = new float[b * m];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < m; j++) {
                    mask[i * m + j] = j != i && ids[j] == ids[i] ? offset : 0f;
                }
            }
            logits = Ops.add(logits, Tensor.wrap(mask, b, m));
        }
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = i;
        }
        return Ops.softmaxCrossEntropy(logits, labels);
    }

    @Property(tries = 40)
    void gradient(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 0, max = 3) int extra,
                  @ForAll @IntRange(min = 1, max = 4) int d, @ForAll boolean withShift, @ForAll boolean withIds,
                  @ForAll boolean scaled, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, b + extra, d);
        float scale = scaled ? 2.5f : 1f;
        float[] shift = withShift ? RandomTensors.columnShift(rng, b + extra) : null;
        int[] ids = withIds ? RandomTensors.crowdedIds(rng, b + extra, -1) : null;
        check.check(in -> Ops.inBatchSoftmaxCrossEntropy(in.get(0), in.get(1), scale, shift, ids, -1e9f),
                List.of(q, c), seed);
        // A moderate offset leaves the duplicates in the softmax, so their gradient is checked too.
        check.check(in -> Ops.inBatchSoftmaxCrossEntropy(in.get(0), in.get(1), scale, shift, ids, -0.7f),
                List.of(q, c), seed);
    }

    @Property(tries = 15)
    void agreesWithTheSeparateOps(@ForAll @IntRange(min = 1, max = 70) int b, @ForAll @IntRange(min = 0, max = 40) int extra,
                                  @ForAll @IntRange(min = 1, max = 40) int d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, b + extra, d);
        float[] shift = RandomTensors.columnShift(rng, b + extra);
        int[] ids = RandomTensors.crowdedIds(rng, b + extra, -1);
        float[][] fused = lossAndGradients(q, c, () -> Ops.inBatchSoftmaxCrossEntropy(q, c, 0.7f, shift, ids, -1e9f));
        float[][] reference = lossAndGradients(q, c, () -> composed(q, c, 0.7f, shift, ids, -1e9f));
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < fused[t].length; i++) {
                assertThat(fused[t][i]).as("output %d element %d", t, i)
                        .isCloseTo(reference[t][i], within(2e-5f * (1f + Math.abs(reference[t][i]))));
            }
        }
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int original = Parallel.threads();
        Rng rng = new Rng(11);
        Tensor q = RandomTensors.uniform(rng, 300, 24);
        Tensor c = RandomTensors.uniform(rng, 340, 24);
        float[] shift = RandomTensors.columnShift(rng, 340);
        int[] ids = RandomTensors.crowdedIds(rng, 340, -1);
        try {
            Parallel.setThreads(1);
            float[][] one = lossAndGradients(q, c, () -> Ops.inBatchSoftmaxCrossEntropy(q, c, 0.5f, shift, ids, -1e9f));
            Parallel.setThreads(2);
            float[][] two = lossAndGradients(q, c, () -> Ops.inBatchSoftmaxCrossEntropy(q, c, 0.5f, shift, ids, -1e9f));
            for (int t = 0; t < 3; t++) {
                assertThat(two[t]).as("output %d", t).containsExactly(one[t]);
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    @Test
    void handComputed() {
        // q0 = (1, 0), q1 = (0, 2); c0 = (1, 1), c1 = (2, 0), c2 = (0, 1); scale 1, no shift.
        // Row 0 logits (1, 2, 0): logsumexp = 2.4076059, loss = 1.4076059.
        // Row 1 logits (2, 0, 2), but column 2 shares row 1's id: (2, 0, -1e9), so at label 1 the
        // loss is logsumexp(2, 0) - 0 = 2.126928.
        Tensor q = Tensor.of(new float[][] {{1f, 0f}, {0f, 2f}});
        Tensor c = Tensor.of(new float[][] {{1f, 1f}, {2f, 0f}, {0f, 1f}});
        float[] losses = Ops.inBatchSoftmaxCrossEntropy(q, c, 1f, null, new int[] {5, 7, 7}, -1e9f).data();
        assertThat(losses).containsExactly(new float[] {1.4076059f, 2.126928f}, within(1e-6f));
        // A shift of log 2 on column 1 turns row 0 into (1, 2 - log 2, 0).
        float[] shifted = Ops.inBatchSoftmaxCrossEntropy(q, c, 1f, new float[] {0f, (float) Math.log(2), 0f}, null, 0f)
                .data();
        double lse = Math.log(Math.exp(1) + Math.exp(2) / 2 + 1);
        assertThat((double) shifted[0]).isCloseTo(lse - 1, within(1e-6));
    }

    @Test
    void errorsNameShapes() {
        assertThatThrownBy(() -> Ops.inBatchSoftmaxCrossEntropy(Tensor.zeros(3, 2), Tensor.zeros(2, 2), 1f, null,
                null, 0f))
                .hasMessage("inBatchSoftmaxCrossEntropy: queries [3, 2] and candidates [2, 2]: expected [B, D] and"
                        + " [M, D] with M >= B");
        assertThatThrownBy(() -> Ops.inBatchSoftmaxCrossEntropy(Tensor.zeros(2, 2), Tensor.zeros(2, 3), 1f, null,
                null, 0f))
                .hasMessageContaining("expected [B, D] and [M, D] with M >= B");
        assertThatThrownBy(() -> Ops.inBatchSoftmaxCrossEntropy(Tensor.zeros(2, 2), Tensor.zeros(3, 2), 1f,
                new float[2], null, 0f))
                .hasMessage("inBatchSoftmaxCrossEntropy: 2 column shifts for 3 candidates");
        assertThatThrownBy(() -> Ops.inBatchSoftmaxCrossEntropy(Tensor.zeros(2, 2), Tensor.zeros(3, 2), 1f, null,
                new int[4], 0f))
                .hasMessage("inBatchSoftmaxCrossEntropy: 4 ids for 3 candidates");
        assertThatThrownBy(() -> Ops.inBatchSoftmaxCrossEntropy(Tensor.zeros(2, 2), Tensor.zeros(3, 2),
                Float.POSITIVE_INFINITY, null, null, 0f))
                .hasMessageContaining("expected finite values");
    }

    /** The loss values, then the gradients of sum(loss * weights) for q and c, from fresh gradients. */
    private static float[][] lossAndGradients(Tensor q, Tensor c, java.util.function.Supplier<Tensor> loss) {
        q.dropGrad();
        c.dropGrad();
        float[] values;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = loss.get();
            values = out.data().clone();
            float[] weights = new float[out.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = 1f + (i % 3);
            }
            tape.backward(Ops.sum(Ops.mul(out, Tensor.wrap(weights, out.size()))));
        }
        return new float[][] {values, q.grad().clone(), c.grad().clone()};
    }
}
