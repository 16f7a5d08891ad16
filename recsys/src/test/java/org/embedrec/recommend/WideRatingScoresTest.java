package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mf preset's spec has a wide part (the user and item biases): a recommender's scores must
 * add it to the head's, as the trained model's own predictions do, before and after a save.
 */
class WideRatingScoresTest {
    @Test
    void scoresOfAModelWithAWidePartEqualItsPredictionsBeforeAndAfterSaving(@TempDir Path dir) throws Exception {
        Interactions all = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(60, 40, 15))
                .data().interactions();
        Split split = Split.random(all, 0.8, 5);
        FeatureSpec spec = RatingSpecs.of("mf", RatingModelConfig.defaults("mf").withEmbeddingDim(4).withEpochs(3));
        assertThat(spec.wide()).isNotNull();
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, null, null);
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 1L));
        Recommender built = Recommender.build(fitted.model(), prepared.encoder(),
                new TrainingData(all, split.train(), null, null), Map.of());
        built.save(dir.resolve("mf"));
        Recommender loaded = Recommender.load(dir.resolve("mf"));

        float[] expected = fitted.model().predictRatings(prepared.test().queries(), prepared.test().items(),
                prepared.test().catalogue());
        Interactions test = split.test();
        int checked = 0;
        for (int r = 0; r < test.size(); r++) {
            String user = test.users().rawId(test.user(r));
            String item = test.items().rawId(test.item(r));
            if (!built.knowsUser(user)) {
                continue;
            }
            assertThat(built.score(user, List.of(item)).items().get(0).score()).isCloseTo(expected[r],
                    org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(loaded.score(user, List.of(item)).items().get(0).score())
                    .isEqualTo(built.score(user, List.of(item)).items().get(0).score());
            checked++;
        }
        assertThat(checked).isGreaterThan(test.size() / 2);
        // The biases matter here: without them the scores would not track the predictions above.
        List<Float> spread = new ArrayList<>();
        for (float e : expected) {
            spread.add(e);
        }
        assertThat(spread.stream().distinct().count()).isGreaterThan(10);
    }
}
