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
 * The fused matrix factorisation loss held to the op graph that spells it out (the graph the
 * {@code mf} preset's feature model builds): the same gradient bits in every table, sparse or
 * dense, with and without L2 terms, with repeated users and items and under an upstream gradient
 * other than 1, and the same loss (to the bit without L2; with L2 to within float rounding, as
 * the fused op sums the penalty example by example); a finite-difference gradient check; a
 * hand-computed case; argument errors.
 */
class MatrixFactorizationLossTest {

    /** Random tables and a batch drawn from few rows, so ids repeat. */
    private record Case(Tensor p, Tensor q, Tensor bu, Tensor bi, float mu, int[] users, int[] items, float[] y,
                        float[] userL2, float[] itemL2) {
        static Case random(Rng rng, int n, int d, int users, int items, boolean penalised, boolean sparse) {
            Tensor p = RandomTensors.uniform(rng, users, d).sparseGradient(sparse);
            Tensor q = RandomTensors.uniform(rng, items, d).sparseGradient(sparse);
            Tensor bu = RandomTensors.uniform(rng, -0.5f, 0.5f, users, 1).sparseGradient(sparse);
            Tensor bi = RandomTensors.uniform(rng, -0.5f, 0.5f, items, 1).sparseGradient(sparse);
            int[] u = new int[n];
            int[] i = new int[n];
            float[] y = new float[n];
            float[] wu = penalised ? new float[n] : null;
            float[] wi = penalised ? new float[n] : null;
            for (int r = 0; r < n; r++) {
                u[r] = rng.nextInt(users);
                i[r] = rng.nextInt(items);
                y[r] = 1 + rng.nextInt(9) * 0.5f;
                if (penalised) {
                    wu[r] = rng.uniform(0f, 0.01f);
                    wi[r] = rng.uniform(0f, 0.01f);
                }
            }
            return new Case(p, q, bu, bi, rng.uniform(2f, 4f), u, i, y, wu, wi);
        }

        List<Tensor> tables() {
            return List.of(p, q, bu, bi);
        }

        Tensor fused() {
            return Ops.matrixFactorizationLoss(p, q, bu, bi, mu, users, items, y, userL2, itemL2);
        }

        /** The graph, in the order the feature model records it: towers, head, wide part, loss, penalties. */
        Tensor graph() {
            int n = users.length;
            Tensor pu = Ops.gatherRows(p, users, n);
            Tensor qi = Ops.gatherRows(q, items, n);
            Tensor linear = Ops.add(Ops.reshape(Ops.gatherRows(bu, users, n), n),
                    Ops.reshape(Ops.gatherRows(bi, items, n), n));
            Tensor prediction = Ops.add(Ops.addScalar(Ops.dot(pu, qi), mu), linear);
            Tensor loss = Ops.mean(Ops.square(Ops.sub(prediction, Tensor.wrap(y, n))));
            if (itemL2 != null) {
                loss = Ops.add(loss, Ops.sum(Ops.mul(Ops.square(qi), Tensor.wrap(itemL2, n, 1))));
            }
            if (userL2 != null) {
                loss = Ops.add(loss, Ops.sum(Ops.mul(Ops.square(pu), Tensor.wrap(userL2, n, 1))));
            }
            return loss;
        }

        /** The loss's bits and each table's gradient, dense, after backward from {@code upstream * loss}. */
        float[][] run(boolean fused, float upstream) {
            for (Tensor t : tables()) {
                t.dropGrad();
            }
            float[][] out = new float[5][];
            try (GradientTape tape = GradientTape.open()) {
                Tensor loss = fused ? fused() : graph();
                out[0] = loss.data().clone();
                tape.backward(upstream == 1f ? loss : Ops.scale(loss, upstream));
            }
            for (int t = 0; t < 4; t++) {
                Tensor table = tables().get(t);
                out[t + 1] = table.hasSparseGradient() ? table.rowGradient().toDense(table.dim(0)) : table.grad();
            }
            return out;
        }
    }

    @Property(tries = 60)
    void sameGradientBitsAsTheOpGraph(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 1, max = 19) int d,
                              @ForAll boolean penalised, @ForAll boolean sparse, @ForAll boolean scaled,
                              @ForAll long seed) {
        Rng rng = new Rng(seed);
        Case c = Case.random(rng, n, d, 1 + rng.nextInt(12), 1 + rng.nextInt(6), penalised, sparse);
        float upstream = scaled ? rng.uniform(-2f, 2f) : 1f;
        float[][] graph = c.run(false, upstream);
        float[][] fused = c.run(true, upstream);
        assertSameOutputs(fused, graph, !penalised);
    }

    /** The same gradients, bit for bit; the same loss, to the bit when {@code exactLoss}, else to float rounding. */
    private static void assertSameOutputs(float[][] fused, float[][] graph, boolean exactLoss) {
        if (exactLoss) {
            assertThat(bits(fused[0])).as("loss").containsExactly(bits(graph[0]));
        } else {
            assertThat(fused[0][0]).as("loss").isCloseTo(graph[0][0], within(2e-6f * Math.abs(graph[0][0])));
        }
        for (int k = 1; k < graph.length; k++) {
            assertThat(bits(fused[k])).as("output %d (loss, then p, q, bu, bi gradients)", k)
                    .containsExactly(bits(graph[k]));
        }
    }

    @Test
    void sameGradientBitsAtTheMfPresetWidth() {
        // d = 64 and a batch of 1024 over 300 users and 50 items, the preset's shape.
        Rng rng = new Rng(7);
        Case c = Case.random(rng, 1024, 64, 300, 50, true, true);
        float[][] graph = c.run(false, 1f);
        float[][] fused = c.run(true, 1f);
        assertSameOutputs(fused, graph, false);
    }

    @Test
    void sameBitsOnOneThreadAndOnTwo() {
        Rng rng = new Rng(11);
        Case c = Case.random(rng, 700, 48, 500, 90, true, true);
        assertThat(700 * 48).isGreaterThanOrEqualTo(MatrixFactorizationLoss.PARALLEL_MIN_VALUES);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = c.run(true, 1f);
            Parallel.setThreads(2);
            float[][] two = c.run(true, 1f);
            for (int k = 0; k < one.length; k++) {
                assertThat(bits(two[k])).as("output %d", k).containsExactly(bits(one[k]));
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Property(tries = 15)
    void gradientCheck(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 5) int d,
                       @ForAll boolean sparse, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Case c = Case.random(rng, n, d, 1 + rng.nextInt(4), 1 + rng.nextInt(4), true, sparse);
        new GradientCheck(1e-2, 5e-3, 3e-2).check(t -> Ops.matrixFactorizationLoss(t.get(0), t.get(1), t.get(2),
                t.get(3), c.mu(), c.users(), c.items(), c.y(), c.userL2(), c.itemL2()), c.tables(), seed);
    }

    @Test
    void handComputedCase() {
        // One example: p = (1, 2), q = (3, -1), mu 3, b_u 0.5, b_i -0.25, target 4:
        // prediction (1*3 + 2*-1) + 3 + 0.25 = 4.25, error 0.25, loss 0.0625 + 0.5 * |q|^2 + 0.1 * |p|^2 = 5.5625.
        Tensor p = Tensor.wrap(new float[] {1f, 2f}, 1, 2).requiresGrad(true).sparseGradient(true);
        Tensor q = Tensor.wrap(new float[] {3f, -1f}, 1, 2).requiresGrad(true).sparseGradient(true);
        Tensor bu = Tensor.wrap(new float[] {0.5f}, 1, 1).requiresGrad(true).sparseGradient(true);
        Tensor bi = Tensor.wrap(new float[] {-0.25f}, 1, 1).requiresGrad(true).sparseGradient(true);
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = Ops.matrixFactorizationLoss(p, q, bu, bi, 3f, new int[] {0}, new int[] {0},
                    new float[] {4f}, new float[] {0.1f}, new float[] {0.5f});
            assertThat(loss.item()).isCloseTo(5.5625f, within(1e-6f));
            tape.backward(loss);
        }
        // d/dp = 2 e q + 2 * 0.1 p = 0.5 (3, -1) + (0.2, 0.4); d/dq = 0.5 (1, 2) + (3, -1); d/db = 2 e = 0.5.
        assertThat(p.rowGradient().toDense(1)).containsExactly(new float[] {1.7f, -0.1f}, within(1e-6f));
        assertThat(q.rowGradient().toDense(1)).containsExactly(new float[] {3.5f, 0f}, within(1e-6f));
        assertThat(bu.rowGradient().toDense(1)).containsExactly(0.5f);
        assertThat(bi.rowGradient().toDense(1)).containsExactly(0.5f);
    }

    @Test
    void namesWhatIsWrong() {
        Rng rng = new Rng(3);
        Case c = Case.random(rng, 4, 3, 5, 5, true, true);
        assertThatThrownBy(() -> Ops.matrixFactorizationLoss(c.p(), c.q(), c.bu(), c.bi(), 3f,
                new int[] {0, 1, 2, 5}, c.items(), c.y(), null, null))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("users[3] = 5");
        assertThatThrownBy(() -> Ops.matrixFactorizationLoss(c.p(), c.q(), c.bu(), c.bi(), 3f, c.users(),
                new int[] {0, 1}, c.y(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 users, 2 items");
        assertThatThrownBy(() -> Ops.matrixFactorizationLoss(c.p(), RandomTensors.uniform(rng, 5, 4), c.bu(), c.bi(),
                3f, c.users(), c.items(), c.y(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itemFactors has shape [5, 4]");
        assertThatThrownBy(() -> Ops.matrixFactorizationLoss(c.p(), c.p(), c.bu(), c.bi(), 3f, c.users(),
                c.items(), c.y(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("four tables must be distinct");
        assertThatThrownBy(() -> Ops.matrixFactorizationLoss(c.p(), c.q(), c.bu(), c.bi(), Float.NaN, c.users(),
                c.items(), c.y(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("globalBias NaN");
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
