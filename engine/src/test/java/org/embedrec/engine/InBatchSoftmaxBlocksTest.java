package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused in-batch softmax at sizes where its row blocks and backward groups matter: values
 * and gradients against a float64 reference over random shapes that do not divide the block
 * or group sizes (M > B, shift and ids on or off, scale not 1); a gradient check across a group
 * boundary; bit-identical results on 1 and 2 threads across several groups; and the buffer kept
 * between calls, which must never be shared by two live computations.
 */
class InBatchSoftmaxBlocksTest {

    /** Loss values, then gradients of {@code sum_i u_i loss_i} for q and c, all in double. */
    private static double[][] reference(float[] q, float[] c, int b, int m, int d, float scale, float[] shift,
                                        int[] ids, float offset, float[] u) {
        double[] loss = new double[b];
        double[] gq = new double[b * d];
        double[] gc = new double[m * d];
        double[] row = new double[m];
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) scale * q[i * d + k] * c[j * d + k];
                }
                row[j] = dot - (shift == null ? 0 : shift[j]) + (ids != null && j != i && ids[j] == ids[i] ? offset : 0);
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += Math.exp(row[j] - max);
            }
            loss[i] = Math.log(sum) + max - row[i];
            double w = (double) u[i] * scale;
            for (int j = 0; j < m; j++) {
                double p = Math.exp(row[j] - max) / sum - (j == i ? 1 : 0);
                for (int k = 0; k < d; k++) {
                    gq[i * d + k] += w * p * c[j * d + k];
                    gc[j * d + k] += w * p * q[i * d + k];
                }
            }
        }
        return new double[][] {loss, gq, gc};
    }

    private static float[][] fused(Tensor q, Tensor c, float scale, float[] shift, int[] ids, float offset, float[] u) {
        q.dropGrad();
        c.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.inBatchSoftmaxCrossEntropy(q, c, scale, shift, ids, offset);
            float[] values = out.data().clone();
            tape.backward(Ops.sum(Ops.mul(out, Tensor.wrap(u, u.length))));
            return new float[][] {values, q.grad().clone(), c.grad().clone()};
        }
    }

    private static void assertAgree(Tensor q, Tensor c, float scale, float[] shift, int[] ids, float offset) {
        int b = q.dim(0);
        int m = c.dim(0);
        int d = q.dim(1);
        float[] u = new float[b];
        for (int i = 0; i < b; i++) {
            u[i] = 1f + (i % 3);
        }
        float[][] got = fused(q, c, scale, shift, ids, offset, u);
        double[][] want = reference(q.data(), c.data(), b, m, d, scale, shift, ids, offset, u);
        String[] names = {"loss", "dQ", "dC"};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < want[t].length; i++) {
                assertThat((double) got[t][i]).as("%s element %d of [%d, %d, %d]", names[t], i, b, m, d)
                        .isCloseTo(want[t][i], within(1e-4 * (1 + Math.abs(want[t][i]))));
            }
        }
    }

    @Property(tries = 12)
    void agreesWithFloat64AcrossBlocksAndGroups(@ForAll @IntRange(min = 1, max = 600) int b,
                                                @ForAll @IntRange(min = 0, max = 300) int extra,
                                                @ForAll @IntRange(min = 1, max = 40) int d,
                                                @ForAll boolean withShift, @ForAll boolean withIds,
                                                @ForAll boolean scaled, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, b + extra, d);
        assertAgree(q, c, scaled ? 2.5f : 1f, withShift ? RandomTensors.columnShift(rng, b + extra) : null,
                withIds ? RandomTensors.crowdedIds(rng, b + extra, 0) : null, -1e9f);
    }

    @Test
    void agreesWithFloat64OnThreeGroupsOfUnevenBlocks() {
        // 530 rows: groups of 256, 256 and 18; 777 columns: blocks of 80 rows, which divide neither.
        Rng rng = new Rng(5);
        Tensor q = RandomTensors.uniform(rng, 530, 33);
        Tensor c = RandomTensors.uniform(rng, 777, 33);
        assertThat(SoftmaxCrossEntropyBlocks.blockRows(777)).isEqualTo(80);
        assertAgree(q, c, 0.8f, RandomTensors.columnShift(rng, 777), RandomTensors.crowdedIds(rng, 777, 0), -0.5f);
    }

    @Test
    void gradientCheckAcrossAGroupBoundary() {
        Rng rng = new Rng(9);
        Tensor q = RandomTensors.uniform(rng, SoftmaxCrossEntropyBlocks.GROUP_ROWS + 3, 2);
        Tensor c = RandomTensors.uniform(rng, SoftmaxCrossEntropyBlocks.GROUP_ROWS + 10, 2);
        float[] shift = RandomTensors.columnShift(rng, c.dim(0));
        int[] ids = RandomTensors.crowdedIds(rng, c.dim(0), 0);
        new GradientCheck().check(in -> Ops.inBatchSoftmaxCrossEntropy(in.get(0), in.get(1), 1.5f, shift, ids, -0.7f),
                List.of(q, c), 9);
    }

    @Test
    void sameBitsOnOneAndTwoThreadsAcrossGroups() {
        int original = Parallel.threads();
        Rng rng = new Rng(13);
        Tensor q = RandomTensors.uniform(rng, 700, 17);
        Tensor c = RandomTensors.uniform(rng, 901, 17);
        float[] shift = RandomTensors.columnShift(rng, 901);
        int[] ids = RandomTensors.crowdedIds(rng, 901, 0);
        float[] u = new float[700];
        Arrays.fill(u, 1f);
        try {
            Parallel.setThreads(1);
            float[][] one = fused(q, c, 2f, shift, ids, -1e9f, u);
            Parallel.setThreads(2);
            float[][] two = fused(q, c, 2f, shift, ids, -1e9f, u);
            for (int t = 0; t < 3; t++) {
                assertThat(two[t]).as("output %d", t).containsExactly(one[t]);
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    @Test
    void callsBetweenForwardAndBackwardDoNotTouchItsBuffer() throws Exception {
        Rng rng = new Rng(17);
        Tensor q = RandomTensors.uniform(rng, 40, 8);
        Tensor c = RandomTensors.uniform(rng, 50, 8);
        Tensor q2 = RandomTensors.uniform(rng, 40, 8);
        Tensor c2 = RandomTensors.uniform(rng, 50, 8);
        float[] u = new float[40];
        Arrays.fill(u, 1f);
        float[][] alone = fused(q, c, 1f, null, null, 0f, u);
        q.dropGrad();
        c.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.sum(Ops.inBatchSoftmaxCrossEntropy(q, c, 1f, null, null, 0f));
            // While this tape still needs its exponentials: an evaluation on this thread (inputs
            // without gradients, so not recorded) and a whole training step on another thread's
            // tape, each on other values. Both take a buffer and hand it back.
            Tensor qe = Tensor.wrap(q2.data().clone(), 40, 8);
            Tensor ce = Tensor.wrap(c2.data().clone(), 50, 8);
            Ops.inBatchSoftmaxCrossEntropy(qe, ce, 2f, null, null, 0f);
            CompletableFuture.runAsync(() -> fused(q2, c2, 3f, null, null, 0f, u)).get();
            tape.backward(out);
        }
        assertThat(q.grad()).containsExactly(alone[1]);
        assertThat(c.grad()).containsExactly(alone[2]);
    }
}
