package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/** The weighted-trace-norm penalty of {@link MatrixFactorization}: its value by hand and its gradient. */
class MatrixFactorizationTest {
    private static final RatingFeatureSpec SPEC = RatingFeatureSpec.of(4, 5);
    private static final int DIM = 3;
    /** User 0 is rated 4 times, users 1 and 2 once, user 3 never; item 1 twice, the others once. */
    private static final RatingExamples TRAIN = RatingExamples.of(SPEC, new int[] {0, 0, 0, 0, 1, 2},
            new int[] {0, 1, 1, 2, 3, 4}, new float[] {4, 3, 5, 2, 1, 4});
    /** Includes user 3, absent from {@link #TRAIN}, which counts as seen once. */
    private static final RatingBatch BATCH = RatingExamples.of(SPEC, new int[] {0, 1, 3, 0},
            new int[] {1, 4, 2, 0}, new float[] {4, 2, 3, 5}).all();

    private static MatrixFactorization adapted(MatrixFactorization.Weighting weighting, float l2) {
        MatrixFactorization mf = new MatrixFactorization(SPEC, DIM, l2, weighting, 0.5f, new Rng(4));
        mf.adaptRowCounts(TRAIN);
        return mf;
    }

    @Test
    void sqrtFrequencyPenaltyDividesEachRowBySqrtOfItsCount() {
        float l2 = 0.7f;
        MatrixFactorization mf = adapted(MatrixFactorization.Weighting.SQRT_FREQUENCY, l2);
        double[] userCount = {4, 1, 1, 1};
        double[] itemCount = {1, 2, 1, 1, 1};
        float[] p = mf.userFactors().embeddings().value().data();
        float[] q = mf.itemFactors().embeddings().value().data();
        double expected = 0;
        double uniform = 0;
        for (int k = 0; k < BATCH.size(); k++) {
            double pu = squaredNorm(p, BATCH.users()[k]);
            double qi = squaredNorm(q, BATCH.items()[k]);
            expected += pu / Math.sqrt(userCount[BATCH.users()[k]]) + qi / Math.sqrt(itemCount[BATCH.items()[k]]);
            uniform += pu + qi;
        }
        expected *= l2 / BATCH.size();
        uniform *= l2 / BATCH.size();
        assertEquals(expected, mf.forward(BATCH).penalty().item(), 1e-5 * expected);
        // Same weights under UNIFORM give the plain lazy L2, which this batch's frequent rows make larger.
        MatrixFactorization plain = adapted(MatrixFactorization.Weighting.UNIFORM, l2);
        assertEquals(uniform, plain.forward(BATCH).penalty().item(), 1e-5 * uniform);
        assertTrue(uniform > expected * 1.05, "uniform " + uniform + " vs weighted " + expected);
    }

    @Test
    void gradientsIncludingTheWeightedPenaltyAgreeWithFiniteDifferences() {
        MatrixFactorization mf = adapted(MatrixFactorization.Weighting.SQRT_FREQUENCY, 0.9f);
        mf.setGlobalBias(3.5f);
        List<Tensor> inputs = new ArrayList<>();
        for (Parameter param : mf.parameters()) {
            inputs.add(param.value());
        }
        new GradientCheck().check(xs -> mf.forward(BATCH).penalty(), inputs, 5L);
        RatingTask task = RatingTask.regression(mf);
        new GradientCheck().check(xs -> task.loss(BATCH), inputs, 6L);
    }

    @Test
    void weightedPenaltyWithoutRowCountsSaysWhatIsMissing() {
        MatrixFactorization mf = new MatrixFactorization(SPEC, DIM, 0.5f, MatrixFactorization.Weighting.SQRT_FREQUENCY,
                0.1f, new Rng(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mf.forward(BATCH));
        assertTrue(e.getMessage().contains("adaptRowCounts"), e.getMessage());
        // Inference (a model loaded from disk) needs no counts.
        mf.setTraining(false);
        assertEquals(BATCH.size(), mf.predict(BATCH).data().length);
    }

    @Test
    void zeroStrengthHasNoPenalty() {
        assertEquals(null, adapted(MatrixFactorization.Weighting.SQRT_FREQUENCY, 0f).forward(BATCH).penalty());
    }

    private static double squaredNorm(float[] table, int row) {
        double s = 0;
        for (int d = 0; d < DIM; d++) {
            s += (double) table[row * DIM + d] * table[row * DIM + d];
        }
        return s;
    }
}
