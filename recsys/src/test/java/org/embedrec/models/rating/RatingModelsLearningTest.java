package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.embedrec.engine.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every model learns planted structure: its test RMSE is well below predicting the mean. */
class RatingModelsLearningTest {
    private static PlantedRatings data;

    @BeforeAll
    static void generate() {
        data = PlantedRatings.generate(300, 200, 20_000, 5, 0.3, 11);
    }

    /** The defaults, with at most 20 epochs: planted data has more signal per rating than MovieLens. */
    private static RatingModelConfig config(String name) {
        RatingModelConfig c = RatingModelConfig.defaults(name);
        return c.withEpochs(Math.min(c.epochs(), 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mf", "dot-mlp", "ncf-mlp", "wide-deep"})
    void beatsTheGlobalMeanByAMargin(String name) {
        RatingModelConfig c = config(name);
        RatingModel model = RatingModels.create(name, data.spec, c, new Rng(3));
        RatingTraining.fit(model, c, data.train, data.test);
        double rmse = data.testRmse(model);
        double baseline = data.baselineRmse();
        assertTrue(rmse < 0.8 * baseline, name + ": test rmse " + rmse + ", baseline " + baseline);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void wideAndDeepLearnsWithAndWithoutPretraining(int pretrainEpochs) {
        RatingModelConfig c = config("wide-deep").withPretrainEpochs(pretrainEpochs);
        RatingModel model = RatingModels.create("wide-deep", data.spec, c, new Rng(3));
        RatingTraining.Result r = RatingTraining.fit(model, c, data.train, data.test);
        assertTrue(r.pretraining().size() == (pretrainEpochs > 0 ? 2 : 0), r.pretraining().keySet().toString());
        double rmse = data.testRmse(model);
        assertTrue(rmse < 0.8 * data.baselineRmse(), "rmse " + rmse + ", baseline " + data.baselineRmse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mf", "dot-mlp", "ncf-mlp", "wide-deep"})
    void sameSeedGivesSamePredictions(String name) {
        RatingModelConfig c = config(name).withEpochs(2).withPretrainEpochs(name.equals("wide-deep") ? 1 : 0);
        float[][] predictions = new float[2][];
        for (int run = 0; run < 2; run++) {
            RatingModel model = RatingModels.create(name, data.spec, c, new Rng(c.seed()));
            RatingTraining.fit(model, c, data.train, null);
            predictions[run] = model.predict(data.test);
        }
        assertArrayEquals(predictions[0], predictions[1], name);
    }
}
