package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.RatingsData;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.rating.RatingExamples;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.retrieval.TrainedTwoTower;
import org.embedrec.tasks.LabelRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The presets' directories, in their own formats, read by {@link Recommender#load}. */
class PresetRecommendersTest {
    private static final TrainedTwoTower TRAINED = TrainedTwoTower.train(3);

    @Test
    void aTwoTowerDirectoryAnswersAsTheTwoTowerRecommenderItWasSavedFrom(@TempDir Path dir) throws Exception {
        TwoTowerModelFiles.save(dir, TRAINED.recommender(), TRAINED.data().name(), "random:0.8");
        Recommender r = Recommender.load(dir);
        TwoTowerRecommender saved = TRAINED.recommender();
        for (String user : saved.history().userIds()) {
            for (boolean excludeSeen : new boolean[] {false, true}) {
                Recommendations got = r.recommend(Query.user(user).k(7).excludeSeen(excludeSeen).build());
                assertThat(got.source()).isEqualTo(Recommendations.Source.USER);
                List<TwoTowerRecommender.Recommendation> expected = saved.recommend(user, 7, excludeSeen);
                assertThat(got.items()).extracting(RecommendedItem::itemId)
                        .containsExactlyElementsOf(expected.stream().map(TwoTowerRecommender.Recommendation::itemId)
                                .toList());
                assertThat(got.items()).extracting(RecommendedItem::score)
                        .containsExactlyElementsOf(expected.stream().map(TwoTowerRecommender.Recommendation::score)
                                .toList());
                assertThat(got.items()).extracting(RecommendedItem::title)
                        .containsExactlyElementsOf(expected.stream().map(TwoTowerRecommender.Recommendation::title)
                                .toList());
            }
        }
        String user = saved.history().userId(4);
        long at = saved.history().latestTimestamp(4) - 86_400 * 200L;
        assertThat(r.recommend(Query.user(user).at(at).k(5).build()).items()).extracting(RecommendedItem::itemId)
                .containsExactlyElementsOf(saved.recommend(user, at, 5, false).stream()
                        .map(TwoTowerRecommender.Recommendation::itemId).toList());
        String item = saved.catalogue().itemId(2);
        assertThat(r.similar(item, 5).items()).extracting(RecommendedItem::itemId)
                .containsExactlyElementsOf(saved.similarTo(2, 5).stream()
                        .map(TwoTowerRecommender.Recommendation::itemId).toList());

        // Its query tower reads only the user id and the time: nobody else has anything to answer from.
        assertThat(r.recommend(Query.user("stranger").build()).source()).isEqualTo(Recommendations.Source.POPULARITY);
        assertThatThrownBy(() -> r.recommend(Query.user(user).feature("age", "20").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features['age']: the model's query tower reads no such feature; it reads only the user "
                        + "id and the time");
        ModelInfo info = r.info();
        assertThat(info.kind()).isEqualTo("two-tower");
        assertThat(info.version()).isEqualTo(1);
        assertThat(info.itemAttributes()).containsExactly(Catalogue.TITLE);
        assertThat(info.provenance().path("split").asText()).isEqualTo("random:0.8");
        assertThat(r.recentItems(user)).hasSize(saved.history().seenCount(4));
    }

    @Test
    void aRatingDirectoryScoresAndRanksKnownUsersOnly(@TempDir Path dir) throws Exception {
        RatingsData data = SyntheticMovieLens.generate(
                SyntheticMovieLens.Config.defaults().withSize(30, 20, 8).withSeed(2)).data();
        RatingFeatures features = RatingFeatures.idsOnly(data);
        RatingModelConfig config = RatingModelConfig.defaults("mf");
        RatingModel model = RatingModels.create("mf", features.spec(), config, new Rng(4));
        RatingModelFiles.save(dir, "mf", config, features.spec(), data, model);
        Recommender r = Recommender.load(dir);

        String user = data.interactions().users().rawId(3);
        List<String> items = data.interactions().items().rawIds();
        int[] users = new int[items.size()];
        int[] rows = new int[items.size()];
        for (int i = 0; i < rows.length; i++) {
            users[i] = 3;
            rows[i] = i;
        }
        float[] expected = model.predict(RatingExamples.of(features.spec(), users, rows, new float[rows.length]));
        Scores s = r.score(user, items);
        assertThat(s.kind()).isEqualTo(Scores.Kind.RATING);
        List<Float> got = new ArrayList<>();
        s.items().forEach(i -> got.add(i.score()));
        for (int i = 0; i < expected.length; i++) {
            assertThat(got.get(i)).isEqualTo(expected[i]);
        }
        // Recommending ranks every item by its predicted rating.
        Recommendations top = r.recommend(Query.user(user).k(3).build());
        float best = Float.NEGATIVE_INFINITY;
        for (float e : expected) {
            best = Math.max(best, e);
        }
        assertThat(top.items().get(0).score()).isEqualTo(best);

        assertThatThrownBy(() -> r.score("stranger", items)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId 'stranger': the rating model 'mf' was not trained on this user");
        assertThatThrownBy(() -> r.recommendAll(List.of(Query.user(user).build(), Query.user("stranger").build())))
                .hasMessageStartingWith("queries[1].userId 'stranger': the rating model 'mf' was not trained");
        assertThatThrownBy(() -> r.similar(items.get(0), 3)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no candidate embeddings");
        assertThat(r.info().kind()).isEqualTo("rating");
        assertThat(r.info().similarItems()).isFalse();
        // Saved without a label range: the predictions as they are, and no range claimed.
        assertThat(s.clippedTo()).isNull();
        assertThat(r.info().scoreRange()).isNull();

        // Saved with a range that cuts through the predictions: each score is min(max(p, lo), hi),
        // and a ranking still follows the unclipped predictions among the items tied at hi.
        float[] sorted = expected.clone();
        java.util.Arrays.sort(sorted);
        LabelRange range = new LabelRange(sorted[4], sorted[sorted.length - 5]);
        Path clipped = dir.resolveSibling(dir.getFileName() + "-clipped");
        RatingModelFiles.save(clipped, "mf", config, features.spec(), data, model, range);
        Recommender c = Recommender.load(clipped);
        Scores cs = c.score(user, items);
        assertThat(cs.clippedTo()).isEqualTo(range);
        assertThat(c.info().scoreRange()).isEqualTo(range);
        for (int i = 0; i < expected.length; i++) {
            assertThat(cs.items().get(i).score()).isEqualTo(Math.min(Math.max(expected[i], range.min()), range.max()));
        }
        Recommendations rawTop = r.recommend(Query.user(user).k(5).build());
        Recommendations clippedTop = c.recommend(Query.user(user).k(5).build());
        assertThat(clippedTop.items()).extracting(RecommendedItem::itemId)
                .containsExactlyElementsOf(rawTop.items().stream().map(RecommendedItem::itemId).toList());
        assertThat(clippedTop.items()).extracting(RecommendedItem::score).containsOnly(range.max());
    }

    @Test
    void aWideAndDeepDirectoryIsRefusedForItsSideFeatures(@TempDir Path dir) throws Exception {
        RatingsData data = SyntheticMovieLens.generate(
                SyntheticMovieLens.Config.defaults().withSize(30, 20, 8).withSeed(2)).data();
        RatingFeatures features = RatingFeatures.withSideFeatures(data);
        RatingModelConfig config = RatingModelConfig.defaults("wide-deep");
        RatingModel model = RatingModels.create("wide-deep", features.spec(), config, new Rng(4));
        RatingModelFiles.save(dir, "wide-deep", config, features.spec(), data, model);
        assertThatThrownBy(() -> Recommender.load(dir)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("reads side features");
    }
}
