package org.embedrec.models.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.train.History;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two-tower model learns planted structure, deterministically, with the loss the config asks for. */
class TwoTowerTrainingTest {
    /**
     * 400 users in 8 taste clusters choosing about 50 of 400 items each, with a sharp preference
     * for their cluster's items (sampling temperature 0.1) and a mild popularity skew.
     */
    private static final RatingsData DATA = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()
            .withSize(400, 400, 50).withNoise(0.5, 0.1).withSeed(17)).data();
    private static final RetrievalData PREPARED = RetrievalData.prepare(DATA, Split.random(DATA.interactions(), 0.8, 42));
    private static final TwoTowerConfig SHORT = TwoTowerConfig.defaults().withBatchSize(512).withEpochs(3)
            .withValidationFreq(2);

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    private static TwoTowerModel model(TwoTowerConfig config) {
        return new TwoTowerModel(PREPARED.queryFeatures(), PREPARED.candidateFeatures(), config, new Rng(config.seed()));
    }

    @Test
    void topTenAccuracyIsFarAboveRecommendingThePopularItems() {
        TwoTowerModel model = model(SHORT);
        History history = TwoTowerTraining.fit(model, PREPARED.train(), PREPARED.test());

        Map<String, Double> test = history.last().validation();
        double top10 = test.get(FactorizedTopK.key(10));
        double popular10 = popularityTopK(10);
        // About 0.13 against 0.04 (seed 17).
        assertThat(top10).as("top-10 accuracy %s vs popularity %s", top10, popular10).isGreaterThan(2.5 * popular10);
        double top100 = test.get(FactorizedTopK.key(100));
        double popular100 = popularityTopK(100);
        // About 0.86 against 0.35.
        assertThat(top100).as("top-100 accuracy %s vs popularity %s", top100, popular100)
                .isGreaterThan(popular100 + 0.3);
        assertThat(test).containsKeys("loss", "top_1_accuracy", "top_5_accuracy", "top_50_accuracy", "top_100_accuracy");
        double previous = 0;
        for (int k : FactorizedTopK.DEFAULT_KS) {
            assertThat(test.get(FactorizedTopK.key(k))).isGreaterThanOrEqualTo(previous);
            previous = test.get(FactorizedTopK.key(k));
        }
        // Validated every 2 epochs and after the last one.
        assertThat(history.epochs()).extracting(e -> e.validated()).containsExactly(false, true, true);
        assertThat(history.last().loss()).isLessThan(history.epochs().get(0).loss());
    }

    /**
     * Top-K accuracy of ranking every test pair's candidates by training popularity, ties in the
     * true item's favour as in {@link FactorizedTopK}.
     */
    private static double popularityTopK(int k) {
        int[] counts = PREPARED.train().itemCounts();
        int hits = 0;
        for (int i = 0; i < PREPARED.test().size(); i++) {
            int truth = counts[PREPARED.test().item(i)];
            int higher = 0;
            for (int c : counts) {
                higher += c > truth ? 1 : 0;
            }
            hits += higher < k ? 1 : 0;
        }
        return hits / (double) PREPARED.test().size();
    }

    @Test
    void oneSeedGivesBitIdenticalWeightsOnOneAndTwoThreads() {
        TwoTowerConfig config = SHORT.withEpochs(1).withBatchSize(1024).withLogQCorrection(true)
                .withRemoveAccidentalHits(true).withSampledNegatives(64).withLayers(List.of(64, 32));
        List<float[]> one = trainedWeights(config, 1);
        List<float[]> two = trainedWeights(config, 2);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("parameter %d", i).containsExactly(one.get(i));
        }
        assertThat(trainedWeights(config.withSeed(7), 2).get(0)).isNotEqualTo(one.get(0));
    }

    private static List<float[]> trainedWeights(TwoTowerConfig config, int threads) {
        Parallel.setThreads(threads);
        TwoTowerModel model = model(config);
        TwoTowerTraining.fit(model, PREPARED.train(), null);
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            weights.add(p.value().data().clone());
        }
        return weights;
    }

    @Test
    void logQCorrectionSubtractsTheSmoothedTrainingFrequency() {
        TwoTowerModel model = model(SHORT.withLogQCorrection(true));
        TwoTowerTask task = new TwoTowerTask(model, PREPARED.train());
        RetrievalBatch batch = PREPARED.train().batch(new int[] {5, 1, 8, 2}, 0, 4);

        int[] counts = PREPARED.train().itemCounts();
        double n = PREPARED.train().size();
        double c = PREPARED.catalogue().size();
        float[] logQ = new float[4];
        for (int i = 0; i < 4; i++) {
            logQ[i] = (float) Math.log((counts[batch.candidateIds()[i]] + 1) / (n + c));
        }
        Tensor expected = model.task().loss(model.queryEmbeddings(batch.queries()),
                model.candidateEmbeddings(batch.candidates()), batch.candidateIds(), logQ);
        assertThat(task.loss(batch).item()).isEqualTo(expected.item());
        Tensor uncorrected = model.task().loss(model.queryEmbeddings(batch.queries()),
                model.candidateEmbeddings(batch.candidates()), batch.candidateIds(), new float[4]);
        assertThat(task.loss(batch).item()).isNotEqualTo(uncorrected.item());
    }

    @Test
    void sampledNegativesAreDistinctCatalogueItemsSoThereCannotBeMoreThanTheCatalogue() {
        int size = PREPARED.catalogue().size();
        assertThatThrownBy(() -> new TwoTowerTask(model(SHORT.withSampledNegatives(size + 1)), PREPARED.train()))
                .hasMessageContaining("sampledNegatives " + (size + 1) + " exceeds the catalogue's " + size + " items");
        // All of them is allowed: every catalogue item is a negative of every batch.
        TwoTowerTask all = new TwoTowerTask(model(SHORT.withSampledNegatives(size)), PREPARED.train());
        assertThat(all.loss(PREPARED.train().batch(new int[] {0, 1, 2}, 0, 3)).item()).isPositive();
    }
}
