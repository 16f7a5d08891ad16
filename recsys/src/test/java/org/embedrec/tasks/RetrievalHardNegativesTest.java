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
import org.embedrec.nn.losses.Reduction;
import org.junit.jupiter.api.Test;

/**
 * Hard negatives given per row ({@code [B, n, D]}): the loss against a float64 reference written
 * from the definition (row i's softmax over the in-batch columns and its own hard negatives only),
 * finite-difference checks, a hard negative equal to the row's positive raising that row's loss
 * (and masked when accidental hits are removed), error messages.
 */
class RetrievalHardNegativesTest {

    private static Tensor uniform(Rng rng, int... shape) {
        return RankingTest.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    /** Row i's loss in double, or the reduction of all rows' when {@code row < 0}. */
    private static double reference(Tensor q, Tensor c, Tensor h, float[] logQ, double temperature,
                                    Reduction reduction, int row) {
        int b = q.dim(0);
        int d = q.dim(1);
        int n = h.dim(1);
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[] logits = new double[b + n];
            for (int j = 0; j < b + n; j++) {
                float[] src = j < b ? c.data() : h.data();
                int at = j < b ? j * d : (i * n + j - b) * d;
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) q.data()[i * d + k] * src[at + k];
                }
                logits[j] = dot / temperature - (logQ != null && j < b ? logQ[j] : 0);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double x : logits) {
                max = Math.max(max, x);
            }
            double sum = 0;
            for (double x : logits) {
                sum += Math.exp(x - max);
            }
            double loss = Math.log(sum) + max - logits[i];
            if (i == row) {
                return loss;
            }
            total += loss;
        }
        return reduction == Reduction.SUM ? total : total / b;
    }

    @Property(tries = 40)
    void lossMatchesTheFloat64Reference(@ForAll @IntRange(min = 1, max = 16) int b,
                                        @ForAll @IntRange(min = 1, max = 6) int n,
                                        @ForAll @IntRange(min = 1, max = 8) int d, @ForAll boolean logQ,
                                        @ForAll boolean sum, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Reduction reduction = sum ? Reduction.SUM : Reduction.MEAN;
        Retrieval r = Retrieval.builder().temperature(0.5f).logQCorrection(logQ).reduction(reduction).build();
        Tensor q = uniform(rng, b, d);
        Tensor c = uniform(rng, b, d);
        Tensor h = uniform(rng, b, n, d);
        float[] lq = new float[b];
        for (int i = 0; i < b; i++) {
            lq[i] = rng.uniform(-4f, 0f);
        }
        double expected = reference(q, c, h, logQ ? lq : null, 0.5, reduction, -1);
        float actual = r.lossWithHardNegatives(q, c, null, logQ ? lq : null, h, null, null).item();
        assertThat((double) actual).isCloseTo(expected, within(1e-5 * (1 + Math.abs(expected))));
    }

    @Property(tries = 15)
    void finiteDifferencesAgree(@ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 3) int n,
                                @ForAll boolean options, @ForAll boolean weighted, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Retrieval r = Retrieval.builder().temperature(options ? 0.7f : 1f).logQCorrection(options)
                .removeAccidentalHits(options).reduction(options ? Reduction.SUM : Reduction.MEAN).build();
        Tensor q = uniform(rng, b, 3);
        Tensor c = uniform(rng, b, 3);
        Tensor h = uniform(rng, b, n, 3);
        int[] ids = new int[b];
        float[] lq = new float[b];
        for (int i = 0; i < b; i++) {
            ids[i] = rng.nextInt(Math.max(1, b / 2));
            lq[i] = rng.uniform(-4f, 0f);
        }
        int[] hardIds = new int[b * n];
        for (int k = 0; k < hardIds.length; k++) {
            hardIds[k] = rng.nextInt(b);
        }
        float[] w = weighted ? RankingTest.weights(rng, b) : null;
        new GradientCheck().check(in -> r.lossWithHardNegatives(in.get(0), in.get(1), ids, lq, in.get(2), hardIds, w),
                List.of(q, c, h), seed);
    }

    @Test
    void aHardNegativeEqualToTheRowsPositiveRaisesItsLoss() {
        Rng rng = new Rng(7);
        int b = 5;
        Tensor q = uniform(rng, b, 4);
        Tensor c = uniform(rng, b, 4);
        // Row 2's two hard negatives: a copy of its positive, and one whose logit is -1000; every
        // other row's are both at -1000, so exp of them is exactly 0 beside the other logits.
        float[] hard = new float[b * 2 * 4];
        for (int i = 0; i < b; i++) {
            double norm = 0;
            for (int k = 0; k < 4; k++) {
                norm += (double) q.data()[i * 4 + k] * q.data()[i * 4 + k];
            }
            for (int k = 0; k < 8; k++) {
                hard[i * 8 + k] = (float) (-1000 / norm * q.data()[i * 4 + k % 4]);
            }
        }
        System.arraycopy(c.data(), 2 * 4, hard, 2 * 8, 4);
        Tensor h = Tensor.wrap(hard, b, 2, 4);
        float[] row2 = new float[b];
        row2[2] = 1f;
        Retrieval r = Retrieval.builder().reduction(Reduction.MEAN).build();
        float plain = r.loss(q, c, null, null, row2).item();
        float withCopy = r.lossWithHardNegatives(q, c, null, null, h, null, row2).item();
        // The copy's logit equals the positive's: the softmax gains exp(l_ii), one more share of it.
        double p = Math.exp(-plain);
        assertThat(withCopy).isGreaterThan(plain);
        assertThat((double) withCopy).isCloseTo(-Math.log(p / (1 + p)), within(1e-5));
        // Every other row only gained a negative far below its logits: its loss is unchanged.
        float[] row0 = new float[b];
        row0[0] = 1f;
        assertThat(r.lossWithHardNegatives(q, c, null, null, h, null, row0).item())
                .isCloseTo(r.loss(q, c, null, null, row0).item(), within(1e-6f));
        // With accidental hits removed, the copy carries row 2's id and drops out again.
        int[] ids = {10, 11, 12, 13, 14};
        int[] hardIds = {0, 0, 0, 0, 12, 99, 0, 0, 0, 0};
        Retrieval removing = Retrieval.builder().reduction(Reduction.MEAN).removeAccidentalHits(true).build();
        assertThat(removing.lossWithHardNegatives(q, c, ids, null, h, hardIds, row2).item())
                .isCloseTo(removing.loss(q, c, ids, null, row2).item(), within(1e-6f));
    }

    @Test
    void errorsNameTheArgumentAndTheExpectation() {
        Tensor q = Tensor.zeros(3, 2);
        Retrieval r = Retrieval.builder().build();
        assertThatThrownBy(() -> r.lossWithHardNegatives(q, q, null, null, Tensor.zeros(6, 2), null, null))
                .hasMessage("Retrieval: hardNegatives have shape [6, 2], expected [3, n, 2] with n >= 1"
                        + " (row i the hard negatives of query i)");
        assertThatThrownBy(() -> r.lossWithHardNegatives(q, q, null, null, Tensor.zeros(3, 0, 2), null, null))
                .hasMessageStartingWith("Retrieval: hardNegatives have shape [3, 0, 2], expected [3, n, 2]");
        assertThatThrownBy(() -> r.lossWithHardNegatives(q, q, null, null, null, null, null))
                .hasMessage("Retrieval: hardNegatives");
        Retrieval removing = Retrieval.builder().removeAccidentalHits(true).build();
        assertThatThrownBy(() -> removing.lossWithHardNegatives(q, q, new int[3], null, Tensor.zeros(3, 2, 2),
                new int[5], null))
                .hasMessage("Retrieval: hardNegativeIds has 5 values, expected 6 (2 per row, row i's at [i * 2,"
                        + " (i + 1) * 2)) because accidental hits are removed");
        assertThatThrownBy(() -> r.lossWithHardNegatives(q, q, null, null, Tensor.zeros(3, 1, 2), null,
                new float[] {-1f, 1f, 1f}))
                .hasMessage("Retrieval: sampleWeights[0] = -1.0, expected finite and >= 0");
    }
}
