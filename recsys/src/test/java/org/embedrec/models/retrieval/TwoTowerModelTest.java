package org.embedrec.models.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.QueryInputs;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Dense;
import org.junit.jupiter.api.Test;

/** The towers' architecture, shapes and gradients, and the model's inference-mode embeddings. */
class TwoTowerModelTest {
    private static final RatingsData DATA = SyntheticMovieLens.generate(
            SyntheticMovieLens.Config.defaults().withSize(40, 30, 12).withSeed(5)).data();
    private static final RetrievalData PREPARED = RetrievalData.prepare(DATA, Split.random(DATA.interactions(), 0.8, 1));

    private static TwoTowerModel model(int dim, List<Integer> layers) {
        TwoTowerConfig config = TwoTowerConfig.defaults().withEmbeddingDim(dim).withLayers(layers);
        return new TwoTowerModel(PREPARED.queryFeatures(), PREPARED.candidateFeatures(), config, new Rng(7));
    }

    private static RetrievalBatch firstPairs(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return PREPARED.train().batch(order, 0, n);
    }

    @Test
    void towersConcatenateTheTutorialsFeaturesAndEndInALinearLayerOfTheEmbeddingWidth() {
        TwoTowerModel m = model(8, List.of(16, 4));
        RetrievalBatch batch = firstPairs(5);

        assertThat(m.queryEmbeddings(batch.queries()).shape()).containsExactly(5, 4);
        assertThat(m.candidateEmbeddings(batch.candidates()).shape()).containsExactly(5, 4);
        assertThat(m.embeddingWidth()).isEqualTo(4);

        // Query: user and timestamp-bucket embeddings plus the normalised timestamp, 2 * 8 + 1 wide;
        // candidate: title and mean title-word embeddings, 2 * 8 wide. Relu inside, linear at the end.
        List<Dense> query = denseLayers(m.queryTower());
        List<Dense> candidate = denseLayers(m.candidateTower());
        assertThat(query).extracting(Dense::inputDim).containsExactly(17, 16);
        assertThat(candidate).extracting(Dense::inputDim).containsExactly(16, 16);
        for (List<Dense> stack : List.of(query, candidate)) {
            assertThat(stack).extracting(Dense::units).containsExactly(16, 4);
            assertThat(stack).extracting(Dense::activation).containsExactly(Activation.RELU, Activation.LINEAR);
        }
        assertThat(m.queryTower().userEmbedding().vocabularySize()).isEqualTo(PREPARED.queryFeatures().userVocabularySize());
        assertThat(m.queryTower().timestampEmbedding().vocabularySize()).isEqualTo(1001);
        assertThat(m.candidateTower().titleTextEmbedding().vocabularySize())
                .isEqualTo(PREPARED.candidateFeatures().tokenVocabularySize());

        assertThat(m.namedParameters().keySet()).containsExactly(
                "query_tower/user_embedding/embeddings", "query_tower/timestamp_embedding/embeddings",
                "query_tower/dense_layers/dense/kernel", "query_tower/dense_layers/dense/bias",
                "query_tower/dense_layers/dense_1/kernel", "query_tower/dense_layers/dense_1/bias",
                "candidate_tower/title_embedding/embeddings", "candidate_tower/title_text_embedding/embeddings",
                "candidate_tower/dense_layers/dense/kernel", "candidate_tower/dense_layers/dense/bias",
                "candidate_tower/dense_layers/dense_1/kernel", "candidate_tower/dense_layers/dense_1/bias");
        for (Parameter p : m.parameters()) {
            assertThat(p.isSparse()).as(p.name()).isEqualTo(p.name().equals("embeddings"));
        }
    }

    private static List<Dense> denseLayers(Module tower) {
        List<Dense> out = new ArrayList<>();
        for (Module child : tower.children()) {
            for (Module l : child.children()) {
                if (l instanceof Dense d) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    @Test
    void inferenceEmbeddingsAreTheTowersOutputsRowByRowAcrossBatches() {
        TwoTowerModel m = model(6, List.of(8, 5));
        m.setTraining(false);
        CandidateCatalogue catalogue = PREPARED.catalogue();

        float[] all = m.embedCatalogue(catalogue);
        assertThat(all).hasSize(catalogue.size() * 5);
        for (int row : new int[] {0, 7, catalogue.size() - 1}) {
            float[] one = m.candidateEmbeddings(catalogue.inputs().rows(new int[] {row}, 0, 1)).data();
            assertRowClose(all, row, one);
        }

        // More rows than one inference batch (4096): the rows of every batch land in place.
        Rng rng = new Rng(3);
        int[] rows = new int[5000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = rng.nextInt(catalogue.size());
        }
        float[] many = m.embedCandidates(catalogue.inputs().rows(rows, 0, rows.length));
        for (int i : new int[] {0, 4095, 4096, 4999}) {
            assertRowClose(many, i, java.util.Arrays.copyOfRange(all, rows[i] * 5, rows[i] * 5 + 5));
        }

        String user = DATA.interactions().users().rawId(0);
        float[] q = m.queryEmbedding(user, 880_000_000L);
        QueryInputs encoded = PREPARED.queryFeatures().encode(user, 880_000_000L);
        assertThat(q).containsExactly(m.queryEmbeddings(encoded).data());
        assertThat(m.isTraining()).isFalse();
    }

    private static void assertRowClose(float[] rows, int row, float[] expected) {
        for (int j = 0; j < expected.length; j++) {
            assertThat(rows[row * expected.length + j]).as("row %d column %d", row, j)
                    .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void theMeanOfTitleWordsIgnoresPaddingSoThePaddedLengthDoesNotMatter() {
        TwoTowerModel m = model(4, List.of(3));
        // Keras pads each batch to its longest title; we pad to the catalogue's longest. Same mean.
        CandidateInputs short3 = new CandidateInputs(new int[] {1, 2}, new int[] {2, 3, 0, 4, 0, 0}, 3);
        CandidateInputs long5 = new CandidateInputs(new int[] {1, 2}, new int[] {2, 3, 0, 0, 0, 4, 0, 0, 0, 0}, 5);
        assertThat(m.candidateEmbeddings(long5).data()).containsExactly(m.candidateEmbeddings(short3).data());
    }

    @Test
    void bothTowersBackPropagateToEveryParameterAsFiniteDifferencesSay() {
        // One linear layer: no relu kink for a finite difference to straddle.
        TwoTowerModel m = model(3, List.of(2));
        RetrievalBatch batch = firstPairs(4);
        QueryInputs q = batch.queries();
        // The same user twice, so a table row receives two gradients.
        QueryInputs queries = new QueryInputs(new int[] {q.users()[0], q.users()[0], q.users()[1], 0},
                q.timeBuckets(), q.normalizedTimes());
        // A repeated word and padding in one title, an all-padding title, an OOV title id.
        CandidateInputs candidates = new CandidateInputs(new int[] {1, 2, 0},
                new int[] {2, 2, 3, 0, 0, 0, 4, 1, 0}, 3);
        GradientCheck check = new GradientCheck();
        check.check(in -> m.queryEmbeddings(queries), tensors(m.queryTower()), 11);
        check.check(in -> m.candidateEmbeddings(candidates), tensors(m.candidateTower()), 12);
    }

    private static List<Tensor> tensors(Module layer) {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            out.add(p.value());
        }
        return out;
    }

    @Test
    void theConfigIsValidated() {
        TwoTowerConfig d = TwoTowerConfig.defaults();
        assertThat(d.layers()).containsExactly(32);
        assertThat(d.optimizer()).isEqualTo("adagrad");
        assertThat(d.learningRate()).isEqualTo(0.1f);
        assertThat(d.batchSize()).isEqualTo(2048);
        assertThat(d.epochs()).isEqualTo(300);
        assertThat(d.validationFreq()).isEqualTo(5);
        assertThatThrownBy(() -> d.withLayers(List.of())).hasMessageContaining("at least one dense layer size");
        assertThatThrownBy(() -> d.withLayers(List.of(64, 0))).hasMessageContaining("layers[1] must be at least 1, got 0");
        assertThatThrownBy(() -> d.withOptimizer("adamax", 0.1f)).hasMessageContaining("unknown optimizer 'adamax'");
        assertThatThrownBy(() -> d.withTemperature(0f)).hasMessageContaining("temperature must be finite and > 0");
        assertThatThrownBy(() -> d.withSampledNegatives(-1)).hasMessageContaining("sampledNegatives must be at least 0");
    }
}
