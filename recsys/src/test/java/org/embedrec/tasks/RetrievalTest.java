package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.losses.Reduction;
import org.junit.jupiter.api.Test;

/**
 * The retrieval task as a specification: its loss and gradients for the queries, candidates and
 * negatives against a float64 reference written from the definition, with every option on and
 * off; each option's exact effect on {@link Retrieval#logits}; a finite-difference check through
 * {@link Retrieval#loss}; validation messages.
 */
class RetrievalTest {
    private static final float P = Retrieval.ACCIDENTAL_HIT_PENALTY;

    /** A batch: queries [b, d], candidates [b, d], negatives [n, d] (null when n = 0), ids, log-q. */
    private record Batch(Tensor q, Tensor c, Tensor neg, int[] ids, float[] logQ, int[] negIds, float[] negLogQ) {
        static Batch random(Rng rng, int b, int n, int d) {
            Tensor neg = n == 0 ? null : uniform(rng, n, d);
            return new Batch(uniform(rng, b, d), uniform(rng, b, d), neg, randomIds(rng, b, b), randomLogQ(rng, b),
                    n == 0 ? null : randomIds(rng, n, b), n == 0 ? null : randomLogQ(rng, n));
        }

        Tensor loss(Retrieval r) {
            return r.loss(q, c, ids, logQ, neg, negIds, negLogQ);
        }

        Tensor logits(Retrieval r) {
            return r.logits(q, c, ids, logQ, neg, negIds, negLogQ);
        }
    }

    private static Tensor uniform(Rng rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.uniform(-1f, 1f);
        }
        return Tensor.wrap(v, rows, cols).requiresGrad(true);
    }

    /** Ids drawn from about half as many values as the batch holds, so that accidental hits are common. */
    private static int[] randomIds(Rng rng, int count, int batch) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = 100 + rng.nextInt(Math.max(1, batch / 2));
        }
        return ids;
    }

    private static float[] randomLogQ(Rng rng, int count) {
        float[] lq = new float[count];
        for (int i = 0; i < count; i++) {
            lq[i] = rng.uniform(-6f, 0f);
        }
        return lq;
    }

    /**
     * Loss and gradients in double, straight from the definition: accidental hits are left out of
     * the softmax rather than penalised. Returns {loss}, dQ, dC, dNeg.
     */
    private static double[][] reference(Batch x, double temperature, boolean logQ, boolean hits, Reduction reduction) {
        int b = x.q.dim(0);
        int d = x.q.dim(1);
        int n = x.neg == null ? 0 : x.neg.dim(0);
        int m = b + n;
        double[][] col = new double[m][d];
        int[] colIds = new int[m];
        double[] colLogQ = new double[m];
        for (int j = 0; j < m; j++) {
            float[] src = j < b ? x.c.data() : x.neg.data();
            int row = j < b ? j : j - b;
            for (int k = 0; k < d; k++) {
                col[j][k] = src[row * d + k];
            }
            colIds[j] = j < b ? x.ids[j] : x.negIds[row];
            colLogQ[j] = j < b ? x.logQ[j] : x.negLogQ[row];
        }
        double weight = reduction == Reduction.SUM ? 1.0 : 1.0 / b;
        double loss = 0;
        double[] dq = new double[b * d];
        double[] dcol = new double[m * d];
        for (int i = 0; i < b; i++) {
            double[] logit = new double[m];
            boolean[] kept = new boolean[m];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += x.q.data()[i * d + k] * col[j][k];
                }
                logit[j] = dot / temperature - (logQ ? colLogQ[j] : 0);
                kept[j] = !(hits && j != i && colIds[j] == colIds[i]);
                if (kept[j]) {
                    max = Math.max(max, logit[j]);
                }
            }
            double total = 0;
            for (int j = 0; j < m; j++) {
                total += kept[j] ? Math.exp(logit[j] - max) : 0;
            }
            loss += weight * (Math.log(total) + max - logit[i]);
            for (int j = 0; j < m; j++) {
                double p = kept[j] ? Math.exp(logit[j] - max) / total : 0;
                double g = weight * (p - (j == i ? 1 : 0)) / temperature;
                for (int k = 0; k < d; k++) {
                    dq[i * d + k] += g * col[j][k];
                    dcol[j * d + k] += g * x.q.data()[i * d + k];
                }
            }
        }
        double[] dc = java.util.Arrays.copyOfRange(dcol, 0, b * d);
        double[] dneg = java.util.Arrays.copyOfRange(dcol, b * d, m * d);
        return new double[][] {{loss}, dq, dc, dneg};
    }

    private static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s element %d", what, i)
                    .isCloseTo(expected[i], within(1e-5 + 1e-4 * Math.abs(expected[i])));
        }
    }

    @Property(tries = 60)
    void lossAndGradientsMatchTheFloat64Reference(@ForAll @IntRange(min = 1, max = 40) int b,
                                                  @ForAll @IntRange(min = 0, max = 12) int n,
                                                  @ForAll @IntRange(min = 1, max = 20) int d,
                                                  @ForAll boolean logQ, @ForAll boolean hits,
                                                  @ForAll @IntRange(min = 0, max = 2) int temperatureChoice,
                                                  @ForAll boolean mean, @ForAll long seed) {
        float temperature = new float[] {1f, 0.2f, 3f}[temperatureChoice];
        Reduction reduction = mean ? Reduction.MEAN : Reduction.SUM;
        Retrieval r = Retrieval.builder().temperature(temperature).logQCorrection(logQ).removeAccidentalHits(hits)
                .reduction(reduction).build();
        Batch x = Batch.random(new Rng(seed), b, n, d);
        double[][] expected = reference(x, temperature, logQ, hits, reduction);
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = x.loss(r);
            assertThat(out.size()).isEqualTo(1);
            loss = out.item();
            tape.backward(out);
        }
        assertThat((double) loss).isCloseTo(expected[0][0], within(1e-5 * (1 + Math.abs(expected[0][0]))));
        assertClose(x.q.grad(), expected[1], "dQ");
        assertClose(x.c.grad(), expected[2], "dC");
        if (n > 0) {
            assertClose(x.neg.grad(), expected[3], "dNeg");
        }
    }

    @Property(tries = 20)
    void fusedLossIsTheCrossEntropyOfTheLogits(@ForAll @IntRange(min = 1, max = 30) int b,
                                               @ForAll @IntRange(min = 0, max = 8) int n, @ForAll long seed) {
        Retrieval r = Retrieval.builder().temperature(0.5f).logQCorrection(true).removeAccidentalHits(true).build();
        Batch x = Batch.random(new Rng(seed), b, n, 8);
        int[] diagonal = new int[b];
        for (int i = 0; i < b; i++) {
            diagonal[i] = i;
        }
        float viaLogits = Ops.sum(Ops.softmaxCrossEntropy(x.logits(r), diagonal)).item();
        assertThat(x.loss(r).item()).isCloseTo(viaLogits, within(1e-5f * (1 + Math.abs(viaLogits))));
    }

    @Property(tries = 20)
    void logQCorrectionSubtractsEachColumnsLogProbability(@ForAll @IntRange(min = 1, max = 12) int b,
                                                           @ForAll @IntRange(min = 0, max = 5) int n,
                                                           @ForAll long seed) {
        Batch x = Batch.random(new Rng(seed), b, n, 5);
        float[] plain = x.logits(Retrieval.builder().build()).data();
        float[] corrected = x.logits(Retrieval.builder().logQCorrection(true).build()).data();
        int m = b + n;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < m; j++) {
                float lq = j < b ? x.logQ[j] : x.negLogQ[j - b];
                assertThat(corrected[i * m + j]).as("logit (%d, %d)", i, j).isEqualTo(plain[i * m + j] - lq);
            }
        }
    }

    @Property(tries = 20)
    void accidentalHitsGetThePenaltyAndNothingElseChanges(@ForAll @IntRange(min = 1, max = 12) int b,
                                                          @ForAll @IntRange(min = 0, max = 5) int n,
                                                          @ForAll long seed) {
        Batch x = Batch.random(new Rng(seed), b, n, 5);
        float[] plain = x.logits(Retrieval.builder().build()).data();
        float[] removed = x.logits(Retrieval.builder().removeAccidentalHits(true).build()).data();
        int m = b + n;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < m; j++) {
                int id = j < b ? x.ids[j] : x.negIds[j - b];
                boolean hit = j != i && id == x.ids[i];
                assertThat(removed[i * m + j]).as("logit (%d, %d)", i, j).isEqualTo(plain[i * m + j] + (hit ? P : 0f));
            }
        }
    }

    @Test
    void accidentalHitsHandPicked() {
        // Candidate ids 3, 5, 3, 7 and negative ids 5, 9: row 0 (id 3) masks column 2, row 1 (id 5)
        // masks negative column 4, row 2 masks column 0, row 3 (id 7) nothing; the diagonal never.
        Rng rng = new Rng(5);
        Tensor q = uniform(rng, 4, 3);
        Tensor c = uniform(rng, 4, 3);
        Tensor neg = uniform(rng, 2, 3);
        int[] ids = {3, 5, 3, 7};
        int[] negIds = {5, 9};
        float[] plain = Retrieval.builder().build().logits(q, c, ids, null, neg, negIds, null).data();
        float[] removed = Retrieval.builder().removeAccidentalHits(true).build()
                .logits(q, c, ids, null, neg, negIds, null).data();
        for (int k = 0; k < 24; k++) {
            boolean masked = k == 2 || k == 6 + 4 || k == 12;
            assertThat(removed[k] != plain[k]).as("entry %d", k).isEqualTo(masked);
        }
        assertThat(removed[2]).isLessThan(-9e8f);
    }

    @Test
    void temperatureDividesTheLogits() {
        Batch x = Batch.random(new Rng(3), 6, 2, 4);
        float[] plain = x.logits(Retrieval.builder().build()).data();
        // Halving the temperature doubles every logit, exactly: powers of two scale without rounding.
        float[] sharp = x.logits(Retrieval.builder().temperature(0.5f).build()).data();
        float[] soft = x.logits(Retrieval.builder().temperature(3f).build()).data();
        for (int k = 0; k < plain.length; k++) {
            assertThat(sharp[k]).isEqualTo(2f * plain[k]);
            assertThat(soft[k]).isCloseTo(plain[k] / 3f, within(1e-6f));
        }
        // With q = c = one-hot rows, the diagonal logits are 1 / T and the others 0.
        Tensor eye = Tensor.of(new float[][] {{1f, 0f}, {0f, 1f}});
        float loss = Retrieval.builder().temperature(0.25f).build().loss(eye, eye, null, null).item();
        assertThat((double) loss).isCloseTo(2 * Math.log(1 + Math.exp(-4)), within(1e-6));
    }

    @Property(tries = 15)
    void finiteDifferencesAgreeThroughTheLoss(@ForAll @IntRange(min = 1, max = 5) int b,
                                              @ForAll @IntRange(min = 0, max = 3) int n, @ForAll boolean options,
                                              @ForAll long seed) {
        Retrieval r = Retrieval.builder().temperature(options ? 0.7f : 1f).logQCorrection(options)
                .removeAccidentalHits(options).reduction(options ? Reduction.SUM : Reduction.MEAN).build();
        Batch x = Batch.random(new Rng(seed), b, n, 3);
        List<Tensor> inputs = n == 0 ? List.of(x.q, x.c) : List.of(x.q, x.c, x.neg);
        new GradientCheck().check(in -> r.loss(in.get(0), in.get(1), x.ids, x.logQ, n == 0 ? null : in.get(2),
                x.negIds, x.negLogQ), inputs, seed);
    }

    @Test
    void builderRejectsBadSettings() {
        for (float t : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Retrieval.builder().temperature(t))
                    .hasMessage("Retrieval: temperature " + t + ", expected finite and > 0");
        }
        assertThatThrownBy(() -> Retrieval.builder().temperature(1e-39f))
                .hasMessage("Retrieval: temperature 1.0E-39 is too small: 1 / temperature overflows float");
        assertThatThrownBy(() -> Retrieval.builder().reduction(null)).hasMessage("Retrieval: reduction");
        Retrieval r = Retrieval.builder().build();
        assertThat(r.temperature()).isEqualTo(1f);
        assertThat(r.reduction()).isEqualTo(Reduction.SUM);
        assertThat(r.logQCorrection()).isFalse();
        assertThat(r.removeAccidentalHits()).isFalse();
    }

    @Test
    void inputErrorsNameTheArgumentAndTheExpectation() {
        Tensor q = Tensor.zeros(4, 3);
        Retrieval plain = Retrieval.builder().build();
        Retrieval full = Retrieval.builder().logQCorrection(true).removeAccidentalHits(true).build();
        int[] ids = {1, 2, 3, 4};
        float[] lq = {-1f, -1f, -1f, -1f};
        assertThatThrownBy(() -> plain.loss(q, Tensor.zeros(3, 3), null, null))
                .hasMessage("Retrieval: candidates have shape [3, 3], expected [4, 3] like the queries"
                        + " (row i the positive of query i)");
        assertThatThrownBy(() -> plain.loss(Tensor.zeros(4), q, null, null))
                .hasMessage("Retrieval: queries have shape [4], expected [B, D] with B, D >= 1");
        assertThatThrownBy(() -> full.loss(q, q, null, lq))
                .hasMessage("Retrieval: candidateIds has no values, expected 4 (one per row) because accidental"
                        + " hits are removed");
        assertThatThrownBy(() -> full.loss(q, q, new int[3], lq))
                .hasMessageStartingWith("Retrieval: candidateIds has 3 values, expected 4");
        assertThatThrownBy(() -> full.loss(q, q, ids, null))
                .hasMessage("Retrieval: candidateLogQ has no values, expected 4 (one per row) because log-q"
                        + " correction is on");
        assertThatThrownBy(() -> full.loss(q, q, ids, new float[] {-1f, 0.5f, -1f, -1f}))
                .hasMessage("Retrieval: candidateLogQ[1] = 0.5, expected a log probability: finite and <= 0");
        assertThatThrownBy(() -> full.loss(q, q, ids, new float[] {-1f, -1f, Float.NaN, -1f}))
                .hasMessageStartingWith("Retrieval: candidateLogQ[2] = NaN");
        assertThatThrownBy(() -> full.loss(q, q, ids, lq, Tensor.zeros(2, 4), new int[2], new float[2]))
                .hasMessage("Retrieval: negatives have shape [2, 4], expected [N, 3]");
        assertThatThrownBy(() -> full.loss(q, q, ids, lq, Tensor.zeros(2, 3), new int[1], new float[2]))
                .hasMessageStartingWith("Retrieval: negativeIds has 1 values, expected 2");
        assertThatThrownBy(() -> full.loss(q, q, ids, lq, Tensor.zeros(2, 3), new int[2], null))
                .hasMessageStartingWith("Retrieval: negativeLogQ has no values, expected 2");
        assertThatThrownBy(() -> plain.loss(q, q, null, null, null, new int[2], null))
                .hasMessage("Retrieval: negative ids or log-q given without negatives");
    }

    @Test
    void learnsPlantedPairs() {
        // 24 queries, each with its own candidate; free embeddings trained by plain gradient descent
        // on the in-batch loss must rank every query's candidate first among all 24.
        int count = 24;
        int d = 6;
        Rng rng = new Rng(42);
        Tensor q = uniform(rng, count, d);
        Tensor c = uniform(rng, count, d);
        Retrieval r = Retrieval.builder().temperature(0.5f).build();
        float first = r.loss(q, c, null, null).item();
        for (int step = 0; step < 150; step++) {
            q.dropGrad();
            c.dropGrad();
            try (GradientTape tape = GradientTape.open()) {
                tape.backward(r.loss(q, c, null, null));
            }
            for (Tensor t : List.of(q, c)) {
                for (int k = 0; k < t.size(); k++) {
                    t.data()[k] -= 0.05f * t.grad()[k];
                }
            }
        }
        float last = r.loss(q, c, null, null).item();
        assertThat(last).isLessThan(first / 10);
        int[] truth = new int[count];
        for (int i = 0; i < count; i++) {
            truth[i] = i;
        }
        double top1 = new org.embedrec.metrics.FactorizedTopK(1).compute(q.data(), count, c.data(), count, d, truth)
                .get(org.embedrec.metrics.FactorizedTopK.key(1));
        assertThat(top1).isEqualTo(1.0);
    }
}
