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
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * BPR as a specification: a hand-computed case with and without weights, a badly ranked pair far
 * out, weights of all ones giving the plain mean, finite-difference checks, error messages.
 */
class BprTest {
    // Row 0: q . pos = 2, q . neg = 0, so x = 2; row 1: q . pos = 1, q . neg = 3, so x = -2.
    private static final Tensor Q = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}});
    private static final Tensor POS = Tensor.of(new float[][] {{2f, 0f}, {1f, 1f}});
    private static final Tensor NEG = Tensor.of(new float[][] {{0f, 1f}, {0f, 3f}});

    @Test
    void lossIsTheMeanOfMinusLogSigmoidOfTheScoreMargin() {
        double row0 = -Math.log(sigmoid(2));
        double row1 = -Math.log(sigmoid(-2));
        assertThat((double) Bpr.loss(Q, POS, NEG).item()).isCloseTo((row0 + row1) / 2, within(1e-6));
        assertThat((double) Bpr.loss(Q, POS, NEG, new float[] {3f, 1f}).item())
                .isCloseTo((3 * row0 + row1) / 4, within(1e-6));
        assertThat((double) Bpr.loss(Q, POS, NEG, new float[] {0f, 5f}).item()).isCloseTo(row1, within(1e-6));
    }

    @Test
    void aBadlyRankedPairCostsItsMarginWithAFiniteGradient() {
        // x = q . pos - q . neg = -100: sigmoid(x) rounds to 0 in float, softplus(100) = 100.
        Tensor q = Tensor.of(new float[][] {{10f}}).requiresGrad(true);
        Tensor pos = Tensor.of(new float[][] {{0f}});
        Tensor neg = Tensor.of(new float[][] {{10f}});
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Bpr.loss(q, pos, neg);
            loss = out.item();
            tape.backward(out);
        }
        assertThat(loss).isEqualTo(100f);
        // d/dq softplus(q . neg - q . pos) = sigmoid(100) (neg - pos) = 10.
        assertThat(q.grad()).containsExactly(10f);
    }

    @Property(tries = 30)
    void weightsOfAllOnesGiveThePlainMean(@ForAll @IntRange(min = 1, max = 40) int b,
                                          @ForAll @IntRange(min = 1, max = 16) int d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RankingTest.uniform(rng, -1f, 1f, b, d);
        Tensor pos = RankingTest.uniform(rng, -1f, 1f, b, d);
        Tensor neg = RankingTest.uniform(rng, -1f, 1f, b, d);
        float[] ones = new float[b];
        Arrays.fill(ones, 1f);
        float plain = Bpr.loss(q, pos, neg).item();
        assertThat(Bpr.loss(q, pos, neg, ones).item()).isCloseTo(plain, within(1e-6f * (1 + plain)));
    }

    @Property(tries = 20)
    void finiteDifferencesAgree(@ForAll @IntRange(min = 1, max = 6) int b, @ForAll @IntRange(min = 1, max = 4) int d,
                                @ForAll boolean weighted, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor q = RankingTest.uniform(rng, -1.5f, 1.5f, b, d).requiresGrad(true);
        Tensor pos = RankingTest.uniform(rng, -1.5f, 1.5f, b, d).requiresGrad(true);
        Tensor neg = RankingTest.uniform(rng, -1.5f, 1.5f, b, d).requiresGrad(true);
        float[] w = weighted ? RankingTest.weights(rng, b) : null;
        new GradientCheck().check(in -> w == null ? Bpr.loss(in.get(0), in.get(1), in.get(2))
                : Bpr.loss(in.get(0), in.get(1), in.get(2), w), List.of(q, pos, neg), seed);
    }

    @Test
    void errorsNameTheArgumentAndTheExpectation() {
        assertThatThrownBy(() -> Bpr.loss(Tensor.zeros(2), POS, NEG))
                .hasMessage("Bpr: queries have shape [2], expected [B, D] with B, D >= 1");
        assertThatThrownBy(() -> Bpr.loss(Q, Tensor.zeros(3, 2), NEG))
                .hasMessage("Bpr: positives have shape [3, 2], expected [2, 2] like the queries (row i for query i)");
        assertThatThrownBy(() -> Bpr.loss(Q, POS, Tensor.zeros(2, 3)))
                .hasMessage("Bpr: negatives have shape [2, 3], expected [2, 2] like the queries (row i for query i)");
        assertThatThrownBy(() -> Bpr.loss(Q, POS, NEG, new float[] {1f}))
                .hasMessage("Bpr: sampleWeights has 1 values, expected 2 (one per example)");
        assertThatThrownBy(() -> Bpr.loss(Q, POS, NEG, new float[] {0f, -0.5f}))
                .hasMessage("Bpr: sampleWeights[1] = -0.5, expected finite and >= 0");
        assertThatThrownBy(() -> Bpr.loss(Q, POS, NEG, new float[] {0f, 0f}))
                .hasMessage("Bpr: sampleWeights are all zero, expected at least one > 0");
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
