package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.io.AtomicFiles;
import org.embedrec.metrics.RootMeanSquaredError;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;
import org.embedrec.nn.Parameter;
import org.embedrec.tasks.LabelRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rating model's training label range travels with it: the recommender built from it and the
 * one loaded from its saved directory give ratings clipped to that range exactly as the metrics
 * clip them, so the RMSE of the served scores on the test rows is the reported RMSE; a ranking
 * by rating keeps the model's order where clipping makes scores equal.
 */
class ClippedRatingScoresTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Interactions all;
    static Split split;
    static FeatureExperiment.Prepared prepared;
    static FeatureExperiment.Fitted fitted;

    /** The mf preset on a small synthetic MovieLens, 1..5 stars, trained hard enough to overshoot the range. */
    @BeforeAll
    static void train() {
        all = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(60, 40, 15)).data()
                .interactions();
        split = Split.random(all, 0.8, 5);
        FeatureSpec spec = RatingSpecs.of("mf", RatingModelConfig.defaults("mf").withEmbeddingDim(8).withEpochs(30)
                .withLearningRate(0.05f).withBatchSize(64).withL2(0f));
        prepared = FeatureExperiment.prepare(spec, all, split, null, null);
        fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 3L));
    }

    private static Recommender build() {
        return Recommender.build(fitted.model(), prepared.encoder(), new TrainingData(all, split.train(), null, null),
                Map.of());
    }

    @Test
    void theRmseOfTheServedScoresIsTheReportedRmseBeforeAndAfterSaving() throws Exception {
        LabelRange range = new LabelRange(prepared.minLabel(), prepared.maxLabel());
        assertThat(range).isEqualTo(new LabelRange(1f, 5f));
        Recommender built = build();
        built.save(dir.resolve("mf"));
        Recommender loaded = Recommender.load(dir.resolve("mf"));
        JsonNode saved = JSON.readTree(AtomicFiles.currentVersion(dir.resolve("mf")).resolve("model.json").toFile());
        assertThat(saved.path("label_range").path("min").asDouble()).isEqualTo(1.0);
        assertThat(saved.path("label_range").path("max").asDouble()).isEqualTo(5.0);

        Interactions test = split.test();
        float[] served = new float[test.size()];
        for (int r = 0; r < test.size(); r++) {
            String user = test.users().rawId(test.user(r));
            String item = test.items().rawId(test.item(r));
            assertThat(built.knowsUser(user)).as("test user %s has training rows", user).isTrue();
            Scores s = built.score(user, List.of(item));
            assertThat(s.kind()).isEqualTo(Scores.Kind.RATING);
            assertThat(s.clippedTo()).isEqualTo(range);
            served[r] = s.items().get(0).score();
            assertThat(loaded.score(user, List.of(item)).items().get(0).score()).isEqualTo(served[r]);
        }
        double reported = FeatureExperiment.evaluate(fitted).get("rmse");
        assertThat(RootMeanSquaredError.compute(served, prepared.test().labels())).isCloseTo(reported, within(1e-6));

        // The range matters here: unclipped, the same predictions score worse.
        float[] raw = fitted.model().predictRatings(prepared.test().queries(), prepared.test().items(),
                prepared.test().catalogue());
        int outside = 0;
        for (float p : raw) {
            outside += p < 1f || p > 5f ? 1 : 0;
        }
        assertThat(outside).as("raw test predictions outside 1..5").isGreaterThan(5);
        assertThat(RootMeanSquaredError.compute(raw, prepared.test().labels())).isGreaterThan(reported + 1e-3);
        for (float s : served) {
            assertThat(s).isBetween(1f, 5f);
        }
        assertThat(built.info().scoreRange()).isEqualTo(range);
        assertThat(loaded.info().scoreRange()).isEqualTo(range);
    }

    /**
     * Raising the global bias by 3 pushes most ratings above 5: they are served as 5, and a
     * ranking keeps the order of the unclipped predictions (that of the model before the raise)
     * rather than the catalogue's row order among the tied 5s.
     */
    @Test
    void clippingToTheTopMakesTiesThatKeepTheModelsOrder() {
        Recommender before = build();
        Parameter bias = globalBias();
        float kept = bias.value().data()[0];
        Recommender raised;
        try {
            bias.value().data()[0] = kept + 3f;
            raised = build();
        } finally {
            bias.value().data()[0] = kept;
        }
        for (String user : List.of(before.userIds().get(0), before.userIds().get(7), before.userIds().get(21))) {
            Recommendations low = before.recommend(Query.user(user).k(15).build());
            Recommendations high = raised.recommend(Query.user(user).k(15).build());
            assertThat(high.items()).extracting(RecommendedItem::itemId)
                    .containsExactlyElementsOf(low.items().stream().map(RecommendedItem::itemId).toList());
            List<Float> scores = high.items().stream().map(RecommendedItem::score).toList();
            assertThat(scores).allSatisfy(s -> assertThat(s).isBetween(1f, 5f));
            assertThat(scores.stream().filter(s -> s == 5f).count()).as("ties at the top of the range").isGreaterThan(3);
            // The hand-computed clip: each score is min(max(raw + 3, 1), 5) of the model before the raise.
            for (int i = 0; i < scores.size(); i++) {
                float expected = Math.min(Math.max(low.items().get(i).score() + 3f, 1f), 5f);
                assertThat(scores.get(i)).isCloseTo(expected, within(1e-5f));
            }
        }
    }

    /** The rating head's output bias, which starts at the mean rating (mf's dot head: a scalar). */
    private static Parameter globalBias() {
        Parameter found = null;
        for (Map.Entry<String, Parameter> p : fitted.model().namedParameters().entrySet()) {
            if (p.getKey().contains("head") && p.getKey().endsWith("bias") && p.getValue().size() == 1) {
                assertThat(found).as("one scalar head bias among " + fitted.model().namedParameters().keySet())
                        .isNull();
                found = p.getValue();
            }
        }
        assertThat(found).as("a scalar head bias among " + fitted.model().namedParameters().keySet()).isNotNull();
        return found;
    }

    @Test
    void aDirectoryWithADamagedLabelRangeIsRefusedNamingTheField() throws Exception {
        Path saved = dir.resolve("damaged");
        build().save(saved);
        Path version = AtomicFiles.currentVersion(saved);
        Path json = version.resolve("model.json");
        String text = Files.readString(json);
        // Written flat, as an older save was: no manifest to refuse the edit before the reader sees it.
        Path flat = dir.resolve("flat");
        Files.createDirectories(flat);
        Files.copy(version.resolve("weights.safetensors"), flat.resolve("weights.safetensors"));
        for (String[] bad : new String[][] {{"\"max\" : 5.0", "\"max\" : 0.5"}, {"\"max\" : 5.0", "\"max\" : \"5\""}}) {
            assertThat(text).contains(bad[0]);
            Files.writeString(flat.resolve("model.json"), text.replace(bad[0], bad[1]));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.embedrec.io.FeatureModelFiles.load(flat))
                    .isInstanceOf(org.embedrec.io.ModelFileException.class)
                    .hasMessageContaining("model.json: damaged model description: 'label_range'");
        }
    }
}
