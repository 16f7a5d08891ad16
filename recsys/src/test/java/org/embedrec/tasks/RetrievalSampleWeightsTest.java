package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.losses.Reduction;
import org.junit.jupiter.api.Test;

/**
 * Per-row sample weights of the retrieval loss: with MEAN the weighted mean of the rows' losses,
 * with SUM B times it (so weights of all ones give the unweighted loss either way), the rows'
 * losses read back through one-hot weights; the same over distinct candidates; finite-difference
 * checks; error messages.
 */
class RetrievalSampleWeightsTest {

    private static Tensor uniform(Rng rng, int rows, int cols) {
        return RankingTest.uniform(rng, -1f, 1f, rows, cols).requiresGrad(true);
    }

    private static Retrieval retrieval(boolean options, Reduction reduction) {
        return Retrieval.builder().temperature(options ? 0.7f : 1f).logQCorrection(options)
                .removeAccidentalHits(options).reduction(reduction).build();
    }

    private static int[] ids(Rng rng, int count, int batch) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rng.nextInt(Math.max(1, batch / 2));
        }
        return ids;
    }

    private static float[] logQ(Rng rng, int count) {
        float[] lq = new float[count];
        for (int i = 0; i < count; i++) {
            lq[i] = rng.uniform(-5f, 0f);
        }
        return lq;
    }

    @Property(tries = 30)
    void weightedLossIsTheWeightedMeanOfTheRowsLosses(@ForAll @IntRange(min = 1, max = 12) int b,
                                                       @ForAll @IntRange(min = 0, max = 4) int n,
                                                       @ForAll boolean options, @ForAll boolean sum,
                                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        Retrieval r = retrieval(options, sum ? Reduction.SUM : Reduction.MEAN);
        Retrieval mean = retrieval(options, Reduction.MEAN);
        Tensor q = uniform(rng, b, 6);
        Tensor c = uniform(rng, b, 6);
        Tensor neg = n == 0 ? null : uniform(rng, n, 6);
        int[] ids = ids(rng, b, b);
        int[] negIds = n == 0 ? null : ids(rng, n, b);
        float[] lq = logQ(rng, b);
        float[] negLq = n == 0 ? null : logQ(rng, n);
        float[] w = RankingTest.weights(rng, b);
        double weighted = 0;
        double total = 0;
        for (int i = 0; i < b; i++) {
            // A one-hot weight picks row i's loss out of the weighted mean.
            float[] onehot = new float[b];
            onehot[i] = 1f;
            double row = mean.loss(q, c, ids, lq, neg, negIds, negLq, onehot).item();
            weighted += w[i] * row;
            total += w[i];
        }
        double expected = weighted / total * (sum ? b : 1);
        float actual = r.loss(q, c, ids, lq, neg, negIds, negLq, w).item();
        assertThat((double) actual).isCloseTo(expected, within(1e-5 * (1 + Math.abs(expected))));
    }

    @Property(tries = 30)
    void weightsOfAllOnesGiveTheUnweightedLoss(@ForAll @IntRange(min = 1, max = 30) int b,
                                               @ForAll boolean options, @ForAll boolean sum, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Retrieval r = retrieval(options, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor q = uniform(rng, b, 5);
        Tensor c = uniform(rng, b, 5);
        int[] ids = ids(rng, b, b);
        float[] lq = logQ(rng, b);
        float[] ones = new float[b];
        Arrays.fill(ones, 1f);
        float plain = r.loss(q, c, ids, lq).item();
        float weighted = r.loss(q, c, ids, lq, ones).item();
        if (sum) {
            // Each weight rescales to exactly 1: the same sum, bit for bit.
            assertThat(weighted).isEqualTo(plain);
        } else {
            assertThat(weighted).isCloseTo(plain, within(1e-6f * (1 + Math.abs(plain))));
        }
    }

    @Property(tries = 15)
    void distinctCandidatesTakeTheSameWeights(@ForAll @IntRange(min = 1, max = 16) int b, @ForAll boolean options,
                                              @ForAll long seed) {
        // Candidates are rows of a table by id, so repeated ids have repeated embeddings.
        Rng rng = new Rng(seed);
        Retrieval r = retrieval(options, Reduction.MEAN);
        int[] ids = ids(rng, b, b);
        Tensor table = uniform(rng, b, 4);
        Tensor q = uniform(rng, b, 4);
        float[] tableLogQ = logQ(rng, b);
        float[] lq = new float[b];
        for (int i = 0; i < b; i++) {
            lq[i] = tableLogQ[ids[i]];
        }
        DistinctCandidates columns = DistinctCandidates.of(ids, null);
        float[] w = RankingTest.weights(rng, b);
        float full = r.loss(q, Ops.gatherRows(table, ids), ids, lq, w).item();
        float distinct = r.loss(q, columns, Ops.gatherRows(table, columns.ids()), columns.columnValues(lq, null), w)
                .item();
        assertThat(distinct).isCloseTo(full, within(1e-5f * (1 + Math.abs(full))));
    }

    @Property(tries = 15)
    void finiteDifferencesAgreeThroughTheWeightedLoss(@ForAll @IntRange(min = 1, max = 5) int b,
                                                      @ForAll @IntRange(min = 0, max = 3) int n,
                                                      @ForAll boolean options, @ForAll boolean sum,
                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Retrieval r = retrieval(options, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor q = uniform(rng, b, 3);
        Tensor c = uniform(rng, b, 3);
        Tensor neg = n == 0 ? null : uniform(rng, n, 3);
        int[] ids = ids(rng, b, b);
        int[] negIds = n == 0 ? null : ids(rng, n, b);
        float[] lq = logQ(rng, b);
        float[] negLq = n == 0 ? null : logQ(rng, n);
        float[] w = RankingTest.weights(rng, b);
        List<Tensor> inputs = n == 0 ? List.of(q, c) : List.of(q, c, neg);
        new GradientCheck().check(in -> r.loss(in.get(0), in.get(1), ids, lq, n == 0 ? null : in.get(2), negIds,
                negLq, w), inputs, seed);
    }

    @Test
    void badWeightsAreNamed() {
        Tensor q = Tensor.zeros(3, 2);
        Retrieval r = Retrieval.builder().build();
        assertThatThrownBy(() -> r.loss(q, q, null, null, new float[2]))
                .hasMessage("Retrieval: sampleWeights has 2 values, expected 3 (one per example)");
        assertThatThrownBy(() -> r.loss(q, q, null, null, new float[] {1f, Float.NaN, 1f}))
                .hasMessage("Retrieval: sampleWeights[1] = NaN, expected finite and >= 0");
        assertThatThrownBy(() -> r.loss(q, q, null, null, new float[] {0f, 0f, -0f}))
                .hasMessage("Retrieval: sampleWeights are all zero, expected at least one > 0");
        assertThatThrownBy(() -> r.loss(q, q, null, null, (float[]) null)).hasMessage("Retrieval: sampleWeights");
    }
}
