package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The tensor-only ranking task: hand-computed losses with and without weights for both
 * objectives, weights of all ones (or any common value) giving the plain mean, a finite-difference
 * check of the weighted loss, hand-computed metrics, and error messages.
 *
 * <p>The case: predictions 3.5, 4, 4, 5 against ratings 4, 5, 3, 4 (errors -0.5, -1, 1, 1); read
 * as logits against labels 1, 0, 1, 0 for the binary objective.
 */
class RankingTest {
    private static final Tensor PREDICTIONS = Tensor.of(new float[] {3.5f, 4f, 4f, 5f}, 4);
    private static final Tensor RATINGS = Tensor.of(new float[] {4f, 5f, 3f, 4f}, 4);
    private static final Tensor LOGITS = Tensor.of(new float[] {0.5f, 1f, 1f, 2f}, 4);
    private static final Tensor LABELS = Tensor.of(new float[] {1f, 0f, 1f, 0f}, 4);

    @Test
    void regressionLossIsTheMeanOrWeightedMeanSquaredError() {
        Ranking r = Ranking.regression();
        assertThat(r.loss(PREDICTIONS, RATINGS).item()).isEqualTo(0.8125f);
        // (2 * 0.25 + 1 * 1 + 0 * 1 + 1 * 1) / 4
        assertThat(r.loss(PREDICTIONS, RATINGS, new float[] {2f, 1f, 0f, 1f}).item()).isEqualTo(0.625f);
        // A range changes the metrics only.
        assertThat(Ranking.regression(1f, 4.5f).loss(PREDICTIONS, RATINGS).item()).isEqualTo(0.8125f);
        // Targets [B] fit predictions [B, 1].
        assertThat(r.loss(Tensor.of(new float[] {3.5f, 4f, 4f, 5f}, 4, 1), RATINGS).item()).isEqualTo(0.8125f);
    }

    @Test
    void binaryLossIsTheCrossEntropyOfLogits() {
        Ranking r = Ranking.binary();
        double expected = (softplus(-0.5) + softplus(1) + softplus(-1) + softplus(2)) / 4;
        assertThat((double) r.loss(LOGITS, LABELS).item()).isCloseTo(expected, within(1e-6));
        double weighted = (softplus(-0.5) + 3 * softplus(1)) / 4;
        assertThat((double) r.loss(LOGITS, LABELS, new float[] {1f, 3f, 0f, 0f}).item())
                .isCloseTo(weighted, within(1e-6));
        // Logits, not probabilities: a confident wrong logit costs its size.
        assertThat(r.loss(Tensor.of(new float[] {-200f}, 1), Tensor.of(new float[] {1f}, 1)).item())
                .isEqualTo(200f);
    }

    @Property(tries = 40)
    void equalWeightsGiveThePlainMean(@ForAll @IntRange(min = 1, max = 50) int b, @ForAll boolean binary,
                                      @ForAll @IntRange(min = 1, max = 1000) int weight, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Ranking r = binary ? Ranking.binary() : Ranking.regression();
        Tensor p = uniform(rng, -3f, 3f, b);
        Tensor y = binary ? labels(rng, b) : uniform(rng, 1f, 5f, b);
        float[] ones = new float[b];
        float[] same = new float[b];
        java.util.Arrays.fill(ones, 1f);
        java.util.Arrays.fill(same, weight / 7f);
        float plain = r.loss(p, y).item();
        assertThat(r.loss(p, y, ones).item()).isCloseTo(plain, within(1e-6f * (1 + Math.abs(plain))));
        assertThat(r.loss(p, y, same).item()).isCloseTo(plain, within(1e-6f * (1 + Math.abs(plain))));
    }

    @Property(tries = 20)
    void weightedLossGradientAgreesWithFiniteDifferences(@ForAll @IntRange(min = 1, max = 8) int b,
                                                         @ForAll boolean binary, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Ranking r = binary ? Ranking.binary() : Ranking.regression();
        Tensor p = uniform(rng, -2f, 2f, b).requiresGrad(true);
        Tensor y = binary ? labels(rng, b) : uniform(rng, -2f, 2f, b);
        float[] w = weights(rng, b);
        new GradientCheck().check(in -> r.loss(in.get(0), y, w), List.of(p), seed);
    }

    @Test
    void regressionMetricsClipToTheRangeWhenOneIsGiven() {
        Ranking.RegressionMetrics plain = (Ranking.RegressionMetrics) Ranking.regression()
                .metrics(PREDICTIONS.data(), RATINGS.data());
        assertThat(plain.rmse()).isCloseTo(Math.sqrt(0.8125), within(1e-12));
        assertThat(plain.mae()).isCloseTo(0.875, within(1e-12));
        // Clipped predictions 3.5, 4, 4, 4.5: errors -0.5, -1, 1, 0.5.
        Ranking.Evaluation clipped = Ranking.regression(1f, 4.5f).metrics(PREDICTIONS.data(), RATINGS.data());
        assertThat(clipped).isEqualTo(new Ranking.RegressionMetrics(Math.sqrt(0.625), 0.75));
        assertThat(clipped.asMap()).containsOnlyKeys("rmse", "mae");
    }

    @Test
    void binaryMetricsAreAucAccuracyAndLogLossOfTheLogits() {
        Ranking.BinaryMetrics m = (Ranking.BinaryMetrics) Ranking.binary().metrics(LOGITS.data(), LABELS.data());
        // Pairs (positive, negative): (0.5, 1) 0, (0.5, 2) 0, (1, 1) one half, (1, 2) 0.
        assertThat(m.auc()).isEqualTo(0.125);
        // Every logit is > 0, so every example is called positive: 2 of 4 right.
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.logLoss()).isCloseTo((softplus(-0.5) + softplus(1) + softplus(-1) + softplus(2)) / 4,
                within(1e-12));
        assertThat(m.asMap()).containsOnlyKeys("auc", "accuracy", "log_loss");
    }

    @Test
    void errorsNameTheArgumentAndTheExpectation() {
        Ranking r = Ranking.regression();
        assertThatThrownBy(() -> Ranking.regression(5f, 1f))
                .hasMessage("Ranking: range [5.0, 1.0], expected finite min < max");
        assertThatThrownBy(() -> r.loss(Tensor.zeros(4, 2), RATINGS))
                .hasMessage("Ranking: predictions have shape [4, 2], expected [B] or [B, 1] with B >= 1"
                        + " (one prediction per example)");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, Tensor.zeros(3)))
                .hasMessage("Ranking: targets have shape [3], expected [4] or [4, 1] (one per prediction)");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, new float[3]))
                .hasMessage("Ranking: sampleWeights has 3 values, expected 4 (one per example)");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, new float[] {1f, -1f, 1f, 1f}))
                .hasMessage("Ranking: sampleWeights[1] = -1.0, expected finite and >= 0");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, new float[] {1f, 1f, Float.NaN, 1f}))
                .hasMessage("Ranking: sampleWeights[2] = NaN, expected finite and >= 0");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, new float[] {1f, 1f, 1f, Float.POSITIVE_INFINITY}))
                .hasMessage("Ranking: sampleWeights[3] = Infinity, expected finite and >= 0");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, new float[4]))
                .hasMessage("Ranking: sampleWeights are all zero, expected at least one > 0");
        assertThatThrownBy(() -> r.loss(PREDICTIONS, RATINGS, null)).hasMessage("Ranking: sampleWeights");
        assertThatThrownBy(() -> r.metrics(new float[2], new float[3]))
                .hasMessage("Ranking: 2 predictions and 3 targets, expected as many of each and at least one");
    }

    static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.uniform(lo, hi);
        }
        return t;
    }

    private static Tensor labels(Rng rng, int b) {
        float[] y = new float[b];
        for (int i = 0; i < b; i++) {
            y[i] = rng.nextInt(2);
        }
        return Tensor.wrap(y, b);
    }

    /** Weights in [0, 2), about one in five exactly 0, never all 0. */
    static float[] weights(Rng rng, int b) {
        float[] w = new float[b];
        for (int i = 0; i < b; i++) {
            w[i] = rng.nextInt(5) == 0 ? 0f : rng.uniform(0f, 2f);
        }
        w[rng.nextInt(b)] = 1f;
        return w;
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }
}
