package org.embedrec.models.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CandidateInputs;
import org.embedrec.nn.Parameter;
import org.embedrec.tasks.DistinctCandidates;
import org.embedrec.tasks.Retrieval;
import org.junit.jupiter.api.Test;

/**
 * The two-tower loss over a batch's {@link DistinctCandidates} equals, in value and in the
 * gradient of every tower parameter, the loss over the full {@link Retrieval#logits} matrix
 * where each pair's candidate is its own column, on a batch with many repeated items, with each
 * of log-q correction, accidental-hit removal and sampled negatives on and off.
 */
class TwoTowerDistinctLossTest {
    /** 300 items with a strong popularity skew, so that a batch of 256 repeats many of them. */
    private static final RatingsData DATA = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()
            .withSize(300, 300, 40).withNoise(0.5, 0.1).withSeed(23)).data();
    private static final RetrievalData PREPARED = RetrievalData.prepare(DATA, Split.random(DATA.interactions(), 0.8, 42));
    private static final int BATCH = 256;

    @Test
    void distinctLossEqualsTheFullMatrixLossInValueAndEveryGradient() {
        for (int options = 0; options < 8; options++) {
            boolean logQ = (options & 1) != 0;
            boolean removeHits = (options & 2) != 0;
            int negatives = (options & 4) != 0 ? 40 : 0;
            assertDistinctEqualsFull(logQ, removeHits, negatives);
        }
    }

    private static void assertDistinctEqualsFull(boolean logQ, boolean removeHits, int negatives) {
        String what = "log-q " + logQ + ", hits removed " + removeHits + ", negatives " + negatives;
        TwoTowerConfig config = TwoTowerConfig.defaults().withLayers(List.of(16, 8)).withTemperature(0.5f)
                .withLogQCorrection(logQ).withRemoveAccidentalHits(removeHits).withSeed(3);
        TwoTowerModel model = new TwoTowerModel(PREPARED.queryFeatures(), PREPARED.candidateFeatures(), config,
                new Rng(3));
        Rng rng = new Rng(11);
        int[] rows = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            rows[i] = rng.nextInt(PREPARED.train().size());
        }
        RetrievalBatch batch = PREPARED.train().batch(rows, 0, BATCH);
        int[] ids = batch.candidateIds();
        assertThat(DistinctCandidates.of(ids, null).size()).as("distinct items in the batch").isLessThan(BATCH * 3 / 4);
        float[] batchLogQ = logQ ? logQ(ids) : null;
        int[] negativeIds = null;
        CandidateInputs negativeInputs = null;
        float[] negativeLogQ = null;
        if (negatives > 0) {
            // Half of them items of the batch (so with larger counts), half from the catalogue.
            negativeIds = new int[negatives];
            for (int k = 0; k < negatives; k++) {
                negativeIds[k] = k % 2 == 0 ? ids[k] : rng.nextInt(PREPARED.catalogue().size());
            }
            negativeIds = java.util.Arrays.stream(negativeIds).distinct().toArray();
            negativeInputs = PREPARED.catalogue().inputs().rows(negativeIds, 0, negativeIds.length);
            negativeLogQ = logQ ? logQ(negativeIds) : null;
        }
        int[] negIds = negativeIds;
        CandidateInputs negInputs = negativeInputs;
        float[] negLogQ = negativeLogQ;

        float distinctLoss;
        List<float[]> distinctGrads;
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = negIds == null ? model.computeLoss(batch, batchLogQ)
                    : model.computeLoss(batch, batchLogQ, negInputs, negIds, negLogQ);
            distinctLoss = loss.item();
            tape.backward(loss);
            distinctGrads = gradients(model);
        }
        float fullLoss;
        List<float[]> fullGrads;
        try (GradientTape tape = GradientTape.open()) {
            Tensor q = model.queryEmbeddings(batch.queries());
            Tensor c = model.candidateEmbeddings(batch.candidates());
            Tensor neg = negInputs == null ? null : model.candidateEmbeddings(negInputs);
            Tensor logits = model.task().logits(q, c, ids, batchLogQ, neg, negIds, negLogQ);
            int[] diagonal = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                diagonal[i] = i;
            }
            Tensor loss = Ops.sum(Ops.softmaxCrossEntropy(logits, diagonal));
            fullLoss = loss.item();
            tape.backward(loss);
            fullGrads = gradients(model);
        }
        assertThat(distinctLoss).as("loss, %s", what).isCloseTo(fullLoss, within(1e-5f * Math.abs(fullLoss)));
        assertThat(distinctGrads).hasSameSizeAs(fullGrads);
        float largest = 0f;
        for (float[] want : fullGrads) {
            largest = Math.max(largest, maxAbs(want));
        }
        for (int p = 0; p < fullGrads.size(); p++) {
            float[] want = fullGrads.get(p);
            float[] got = distinctGrads.get(p);
            String name = model.parameters().get(p).name();
            float zero = 1e-5f * largest;
            if (maxAbs(want) < zero) {
                // Zero but for rounding: the candidate tower's last bias, whose gradient is
                // sum_i sum_j dlogit_ij = 0. Both paths must say so; their noise differs.
                assertThat(maxAbs(got)).as("parameter %s, %s", name, what).isLessThan(zero);
                continue;
            }
            float tolerance = 2e-5f * maxAbs(want);
            for (int k = 0; k < want.length; k++) {
                assertThat(got[k]).as("parameter %s element %d, %s", name, k, what)
                        .isCloseTo(want[k], within(tolerance));
            }
        }
        assertThat(largest).as("the gradients are not all zero, %s", what).isGreaterThan(1f);
    }

    private static float maxAbs(float[] values) {
        float max = 0f;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** A log-probability that depends on the item only, as the task's does. */
    private static float[] logQ(int[] ids) {
        float[] out = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (float) -Math.log(2.0 + ids[i] % 17);
        }
        return out;
    }

    /** Every parameter's gradient, dense, then dropped so the next pass starts from zero. */
    private static List<float[]> gradients(TwoTowerModel model) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            Tensor v = p.value();
            float[] g = v.hasSparseGradient() ? v.rowGradient().toDense(v.dim(0))
                    : v.grad() == null ? new float[v.size()] : v.grad().clone();
            out.add(g);
            v.dropGrad();
        }
        return out;
    }
}
