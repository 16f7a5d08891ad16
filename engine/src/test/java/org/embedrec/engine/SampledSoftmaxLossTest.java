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
 * The softmax cross-entropy over distinct candidates with counts, held to its definition: the
 * in-batch softmax over the FULL columns, each distinct candidate repeated {@code count} times,
 * row i's positive one copy of its label and (when label copies are removed) the other copies
 * of the label masked out. Values and gradients against a float64 reference of that full matrix
 * over random sizes and duplicate patterns; against the full-column fused op in float; gradient
 * checks; bit-identical results on 1 and 2 threads; a hand-computed case; argument errors.
 */
class SampledSoftmaxLossTest {
    private static final float[] SCALES = {1f, 0.7f, 2.5f};

    /** A random duplicate pattern: U distinct candidates with counts 1..4, and a label per row. */
    private record Pattern(int[] labels, int[] counts, float[] shift) {
        /** The full columns: column j holds distinct candidate {@code expand()[j]}, copies adjacent. */
        int[] expand() {
            int m = 0;
            for (int n : counts) {
                m += n;
            }
            int[] of = new int[m];
            for (int u = 0, j = 0; u < counts.length; u++) {
                for (int r = 0; r < counts[u]; r++) {
                    of[j++] = u;
                }
            }
            return of;
        }
    }

    private static Pattern pattern(Rng rng, int b, int u, boolean withShift) {
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = rng.nextInt(u);
        }
        int[] counts = new int[u];
        float[] shift = withShift ? new float[u] : null;
        for (int j = 0; j < u; j++) {
            // Mostly 1, as in a batch; sometimes many copies.
            counts[j] = rng.nextInt(3) == 0 ? 2 + rng.nextInt(5) : 1;
            if (shift != null) {
                shift[j] = rng.uniform(-3f, 0f);
            }
        }
        return new Pattern(labels, counts, shift);
    }

    /**
     * Loss values, then gradients of {@code sum_i w_i loss_i} for q and the distinct c, in double,
     * from the full {@code [B, M]} matrix: each copy is its own column, row i labelled by the first
     * copy of its label, the label's other copies excluded when removed; a copy's gradient goes to
     * its distinct row.
     */
    private static double[][] fullReference(float[] q, float[] c, int b, int d, float scale, Pattern p,
                                             boolean remove, float[] w) {
        int[] of = p.expand();
        int m = of.length;
        int u = p.counts().length;
        double[] loss = new double[b];
        double[] gq = new double[b * d];
        double[] gc = new double[u * d];
        double[] row = new double[m];
        boolean[] in = new boolean[m];
        for (int i = 0; i < b; i++) {
            int label = p.labels()[i];
            int positive = -1;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) scale * q[i * d + k] * c[of[j] * d + k];
                }
                row[j] = dot - (p.shift() == null ? 0 : p.shift()[of[j]]);
                boolean copyOfLabel = of[j] == label;
                if (copyOfLabel && positive < 0) {
                    positive = j;
                }
                in[j] = !(remove && copyOfLabel && j != positive);
                if (in[j]) {
                    max = Math.max(max, row[j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += in[j] ? Math.exp(row[j] - max) : 0;
            }
            loss[i] = Math.log(sum) + max - row[positive];
            double weight = (double) w[i] * scale;
            for (int j = 0; j < m; j++) {
                double dlogit = (in[j] ? Math.exp(row[j] - max) / sum : 0) - (j == positive ? 1 : 0);
                for (int k = 0; k < d; k++) {
                    gq[i * d + k] += weight * dlogit * c[of[j] * d + k];
                    gc[of[j] * d + k] += weight * dlogit * q[i * d + k];
                }
            }
        }
        return new double[][] {loss, gq, gc};
    }

    private static float[][] fused(Tensor q, Tensor c, float scale, Pattern p, boolean remove, float[] w) {
        q.dropGrad();
        c.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.sampledSoftmaxCrossEntropy(q, c, scale, p.labels(), p.counts(), p.shift(), remove);
            float[] values = out.data().clone();
            tape.backward(Ops.sum(Ops.mul(out, Tensor.wrap(w, w.length))));
            return new float[][] {values, q.grad().clone(), c.grad().clone()};
        }
    }

    private static float[] weights(int b) {
        float[] w = new float[b];
        for (int i = 0; i < b; i++) {
            w[i] = 1f + (i % 3);
        }
        return w;
    }

    @Property(tries = 40)
    void agreesWithTheFullMatrixInFloat64(@ForAll @IntRange(min = 1, max = 300) int b,
                                          @ForAll @IntRange(min = 1, max = 200) int u,
                                          @ForAll @IntRange(min = 1, max = 24) int d,
                                          @ForAll boolean withShift, @ForAll boolean remove,
                                          @ForAll @IntRange(min = 0, max = 2) int scaleIndex, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, u, d);
        Pattern p = pattern(rng, b, u, withShift);
        float scale = SCALES[scaleIndex];
        float[] w = weights(b);
        float[][] got = fused(q, c, scale, p, remove, w);
        double[][] want = fullReference(q.data(), c.data(), b, d, scale, p, remove, w);
        String[] names = {"loss", "dQ", "dC"};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < want[t].length; i++) {
                assertThat((double) got[t][i]).as("%s element %d of B %d, U %d, D %d", names[t], i, b, u, d)
                        .isCloseTo(want[t][i], within(1e-4 * (1 + Math.abs(want[t][i]))));
            }
        }
    }

    @Property(tries = 10)
    void agreesWithTheInBatchOpOverTheFullColumns(@ForAll @IntRange(min = 1, max = 60) int u,
                                                  @ForAll @IntRange(min = 1, max = 16) int d,
                                                  @ForAll boolean remove, @ForAll long seed) {
        // A real batch: row i's positive is full column i, so B = M and the ids are the distinct rows.
        Rng rng = new Rng(seed);
        Tensor c = RandomTensors.uniform(rng, u, d);
        Pattern p = pattern(rng, 1, u, true);
        int[] of = p.expand();
        int b = of.length;
        Tensor q = RandomTensors.uniform(rng, b, d);
        float[] full = new float[b * d];
        float[] fullShift = new float[b];
        for (int j = 0; j < b; j++) {
            System.arraycopy(c.data(), of[j] * d, full, j * d, d);
            fullShift[j] = p.shift()[of[j]];
        }
        Pattern batch = new Pattern(of, p.counts(), p.shift());
        float[] distinct = Ops.sampledSoftmaxCrossEntropy(q, c, 1.3f, batch.labels(), batch.counts(), batch.shift(),
                remove).data();
        float[] reference = Ops.inBatchSoftmaxCrossEntropy(q, Tensor.wrap(full, b, d), 1.3f, fullShift,
                remove ? of : null, -1e9f).data();
        for (int i = 0; i < b; i++) {
            assertThat(distinct[i]).as("loss %d", i).isCloseTo(reference[i], within(2e-5f * (1f + Math.abs(reference[i]))));
        }
    }

    @Property(tries = 30)
    void gradient(@ForAll @IntRange(min = 1, max = 5) int b, @ForAll @IntRange(min = 1, max = 4) int u,
                  @ForAll @IntRange(min = 1, max = 4) int d, @ForAll boolean withShift, @ForAll boolean remove,
                  @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RandomTensors.uniform(rng, b, d);
        Tensor c = RandomTensors.uniform(rng, u, d);
        Pattern p = pattern(rng, b, u, withShift);
        new GradientCheck().check(in -> Ops.sampledSoftmaxCrossEntropy(in.get(0), in.get(1), 2.5f, p.labels(),
                p.counts(), p.shift(), remove), List.of(q, c), seed);
    }

    @Test
    void sameBitsOnOneAndTwoThreadsAcrossGroups() {
        int original = Parallel.threads();
        Rng rng = new Rng(21);
        Tensor q = RandomTensors.uniform(rng, 700, 17);
        Tensor c = RandomTensors.uniform(rng, 260, 17);
        Pattern p = pattern(rng, 700, 260, true);
        float[] w = weights(700);
        try {
            for (boolean remove : new boolean[] {false, true}) {
                Parallel.setThreads(1);
                float[][] one = fused(q, c, 2f, p, remove, w);
                Parallel.setThreads(2);
                float[][] two = fused(q, c, 2f, p, remove, w);
                for (int t = 0; t < 3; t++) {
                    assertThat(two[t]).as("output %d, removal %s", t, remove).containsExactly(one[t]);
                }
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    @Test
    void handComputed() {
        // q0 = (1, 0), q1 = (0, 1); c0 = (1, 0) twice, c1 = (0, 0) once; labels 0 and 1.
        // Row 0 logits over the full columns (1, 1, 0): loss = log(2e + 1) - 1 = 0.8619948; with the
        // other copy of its label removed, log(e + 1) - 1 = 0.3132617.
        // Row 1 logits (0, 0, 0): loss = log 3 = 1.0986123 either way (its label has one copy).
        Tensor q = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}});
        Tensor c = Tensor.of(new float[][] {{1f, 0f}, {0f, 0f}});
        int[] labels = {0, 1};
        int[] counts = {2, 1};
        assertThat(Ops.sampledSoftmaxCrossEntropy(q, c, 1f, labels, counts, null, false).data())
                .containsExactly(new float[] {0.8619948f, 1.0986123f}, within(1e-6f));
        assertThat(Ops.sampledSoftmaxCrossEntropy(q, c, 1f, labels, counts, null, true).data())
                .containsExactly(new float[] {0.3132617f, 1.0986123f}, within(1e-6f));
    }

    @Test
    void rejectsArgumentsThatDoNotFit() {
        Tensor q = Tensor.zeros(2, 2);
        Tensor c = Tensor.zeros(3, 2);
        assertThatThrownBy(() -> Ops.sampledSoftmaxCrossEntropy(q, Tensor.zeros(3, 4), 1f, new int[] {0, 1}, null,
                null, false)).hasMessage("sampledSoftmaxCrossEntropy: queries [2, 2] and candidates [3, 4]: expected"
                        + " [B, D] and [U, D] with U >= 1");
        assertThatThrownBy(() -> Ops.sampledSoftmaxCrossEntropy(q, c, 1f, new int[] {0}, null, null, false))
                .hasMessage("sampledSoftmaxCrossEntropy: 1 labels for 2 queries, expected one per query");
        assertThatThrownBy(() -> Ops.sampledSoftmaxCrossEntropy(q, c, 1f, new int[] {0, 3}, null, null, false))
                .hasMessage("sampledSoftmaxCrossEntropy: labels[1] = 3, expected a candidate row in [0, 3)");
        assertThatThrownBy(() -> Ops.sampledSoftmaxCrossEntropy(q, c, 1f, new int[] {0, 1}, new int[] {1, 0, 2},
                null, false)).hasMessage("sampledSoftmaxCrossEntropy: counts[1] = 0, expected >= 1");
        assertThatThrownBy(() -> Ops.sampledSoftmaxCrossEntropy(q, c, 1f, new int[] {0, 1}, null,
                new float[] {0f, Float.NaN, 0f}, false))
                .hasMessage("sampledSoftmaxCrossEntropy: shift[1] = NaN, expected finite");
    }
}
