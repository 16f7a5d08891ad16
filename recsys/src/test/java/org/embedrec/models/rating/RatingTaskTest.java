package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * RatingTask's loss and metrics on a hand-computed case: a 1-d factorisation with p = [1, 2],
 * q = [0.5, 1], zero biases and global bias 3 predicts 3.5, 4, 4, 5 for the four pairs.
 */
class RatingTaskTest {
    private static final RatingFeatureSpec SPEC = RatingFeatureSpec.of(2, 2);
    private static final int[] USERS = {0, 0, 1, 1};
    private static final int[] ITEMS = {0, 1, 0, 1};

    private static MatrixFactorization model(float l2, float globalBias) {
        MatrixFactorization mf = new MatrixFactorization(SPEC, 1, l2, 0f, new Rng(1));
        mf.userFactors().embeddings().value().data()[0] = 1f;
        mf.userFactors().embeddings().value().data()[1] = 2f;
        mf.itemFactors().embeddings().value().data()[0] = 0.5f;
        mf.itemFactors().embeddings().value().data()[1] = 1f;
        mf.setGlobalBias(globalBias);
        return mf;
    }

    private static RatingExamples examples(float... ratings) {
        return RatingExamples.of(SPEC, USERS, ITEMS, ratings);
    }

    @Test
    void squaredErrorMetricsMatchHandComputation() {
        // errors -0.5, -1, 1, 1
        Map<String, Double> m = RatingTask.regression(model(0f, 3f)).evaluate(examples(4, 5, 3, 4));
        assertEquals(0.8125, m.get("loss"), 1e-6);
        assertEquals(Math.sqrt(0.8125), m.get("rmse"), 1e-6);
        assertEquals(0.875, m.get("mae"), 1e-6);
    }

    @Test
    void metricsClipPredictionsToTheRatingRangeButTheLossDoesNot() {
        // clipped predictions 3.5, 4, 4, 4.5: errors -0.5, -1, 1, 0.5
        Map<String, Double> m = RatingTask.regression(model(0f, 3f), 1f, 4.5f).evaluate(examples(4, 5, 3, 4));
        assertEquals(0.8125, m.get("loss"), 1e-6);
        assertEquals(Math.sqrt(0.625), m.get("rmse"), 1e-6);
        assertEquals(0.75, m.get("mae"), 1e-6);
    }

    @Test
    void trainingLossAddsTheLazyL2PenaltyOfTheLookedUpRows() {
        // 0.8125 + 0.1 / 4 * ((1 + 1 + 4 + 4) + (0.25 + 1 + 0.25 + 1))
        RatingExamples data = examples(4, 5, 3, 4);
        float loss = RatingTask.regression(model(0.1f, 3f)).loss(data.all()).item();
        assertEquals(1.125, loss, 1e-6);
    }

    @Test
    void binaryCrossEntropyWithAuc() {
        // logits 0.5, 1, 1, 2 against labels 1, 0, 1, 0
        Map<String, Double> m = RatingTask.binary(model(0f, 0f)).evaluate(examples(1, 0, 1, 0));
        double expectedLoss = (softplus(-0.5) + softplus(1) + softplus(-1) + softplus(2)) / 4;
        assertEquals(expectedLoss, m.get("loss"), 1e-6);
        // pairs (positive, negative): (0.5, 1) 0, (0.5, 2) 0, (1, 1) one half, (1, 2) 0
        assertEquals(0.125, m.get("auc"), 1e-12);
        double[] p = {sigmoid(0.5), sigmoid(1), sigmoid(1), sigmoid(2)};
        double[] y = {1, 0, 1, 0};
        double se = 0;
        double ae = 0;
        for (int i = 0; i < 4; i++) {
            se += (p[i] - y[i]) * (p[i] - y[i]);
            ae += Math.abs(p[i] - y[i]);
        }
        assertEquals(Math.sqrt(se / 4), m.get("rmse"), 1e-6);
        assertEquals(ae / 4, m.get("mae"), 1e-6);
    }

    @Test
    void adaptSetsTheBestConstant() {
        MatrixFactorization mf = model(0f, 0f);
        RatingTask.regression(mf).adapt(examples(4, 5, 3, 4));
        assertEquals(4f, mf.globalBias(), 1e-6);
        RatingTask.binary(mf).adapt(examples(1, 0, 0, 0));
        assertEquals((float) Math.log(0.25 / 0.75), mf.globalBias(), 1e-6);
    }

    @Test
    void rejectsAnEmptyRatingRangeAndEmptyData() {
        assertThrows(IllegalArgumentException.class, () -> RatingTask.regression(model(0f, 0f), 5f, 1f));
        RatingExamples empty = RatingExamples.of(SPEC, new int[0], new int[0], new float[0]);
        assertThrows(IllegalArgumentException.class, () -> RatingTask.regression(model(0f, 0f)).evaluate(empty));
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
