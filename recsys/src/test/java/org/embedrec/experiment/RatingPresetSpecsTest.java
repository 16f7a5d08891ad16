package org.embedrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.FeatureTask;
import org.embedrec.nn.optim.Ftrl;
import org.embedrec.nn.optim.MultiOptimizer;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rating presets as specs, on synthetic MovieLens-shaped data whose ratings are planted
 * ({@code mu + b_u + b_i + u . v + noise}) and whose users' occupation, age and gender and
 * items' genres follow their clusters: each learns the ratings well below the mean predictor;
 * Wide &amp; Deep's wide part trains with FTRL, and pre-training fits one part at a time.
 */
class RatingPresetSpecsTest {
    private static RatingsData data;
    private static Split split;

    @BeforeAll
    static void generate() {
        data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(200, 300, 50)).data();
        split = Split.random(data.interactions(), 0.8, 5);
    }

    private static FeatureExperiment.Prepared prepare(FeatureSpec spec) {
        SpecData tables = SpecData.of(spec, Path.of(""), data);
        return FeatureExperiment.prepare(spec, data.interactions(), split, tables.items(), tables.users());
    }

    /**
     * The preset with at most {@code epochs} epochs in batches of 128: planted data has more
     * signal per rating than MovieLens, and a tenth of its size needs smaller batches for as many steps.
     */
    private static FeatureSpec preset(String name, int epochs) {
        FeatureSpec spec = FeatureSpec.preset(name);
        FeatureSpec.Training t = spec.training();
        return spec.withTraining(new FeatureSpec.Training(t.optimizer(), t.learningRate(), 128,
                Math.min(t.epochs(), epochs), 5, t.l2(), t.l2Weighting()));
    }

    private static double meanPredictorRmse() {
        float[] train = split.train().ratings();
        float[] test = split.test().ratings();
        double mean = 0;
        for (float r : train) {
            mean += r;
        }
        mean /= train.length;
        double squares = 0;
        for (float r : test) {
            squares += (r - mean) * (r - mean);
        }
        return Math.sqrt(squares / test.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mf", "dot-mlp", "ncf-mlp", "wide-deep"})
    void eachPresetBeatsTheMeanByAMargin(String name) {
        FeatureSpec spec = preset(name, 10);
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepare(spec), FeatureExperiment.Settings.of(spec, 3));
        double rmse = FeatureExperiment.evaluate(fitted).get("rmse");
        assertThat(rmse).as(name).isLessThan(0.85 * meanPredictorRmse());
    }

    @Test
    void theWidePartHasItsOwnOptimizerAndPretrainingFitsOnePartAtATime() {
        FeatureSpec spec = preset("wide-deep", 1);
        FeatureExperiment.Prepared prepared = prepare(spec);
        FeatureModel model = FeatureModels.build(prepared.encoder(), prepared.meanLabel(), new Rng(1));
        Optimizer optimizer = FeatureExperiment.optimizer(model, spec, FeatureExperiment.Settings.of(spec, 1));
        assertThat(optimizer).isInstanceOf(MultiOptimizer.class);
        MultiOptimizer groups = (MultiOptimizer) optimizer;
        assertThat(groups.group(0)).containsExactlyElementsOf(model.wide().parameters());
        assertThat(groups.optimizer(0)).isInstanceOf(Ftrl.class);
        assertThat(groups.group(1)).hasSize(model.parameters().size() - model.wide().parameters().size());

        Trainer trainer = new Trainer(optimizer);
        FeatureTask task = new FeatureTask(model, prepared.train(), 256, 1);
        FitConfig oneEpoch = FitConfig.of(1, 256);
        model.setRatingPhase(FeatureModel.RatingPhase.WIDE_ONLY);
        Map<String, float[]> before = snapshot(model);
        trainer.fit(task, prepared.train(), oneEpoch);
        assertThat(changed(model, before)).allMatch(path -> path.startsWith("wide/")).isNotEmpty();

        model.setRatingPhase(FeatureModel.RatingPhase.OVER_FIXED_WIDE);
        before = snapshot(model);
        trainer.fit(task, prepared.train(), oneEpoch);
        assertThat(changed(model, before)).noneMatch(path -> path.startsWith("wide/"))
                .anyMatch(path -> path.startsWith("rating_head/"))
                .anyMatch(path -> path.startsWith("query_tower/"));
    }

    @Test
    void oneSeedGivesOneWideAndDeepModel() {
        FeatureSpec spec = preset("wide-deep", 2);
        FeatureExperiment.Prepared prepared = prepare(spec);
        float[][] predictions = new float[2][];
        for (int run = 0; run < 2; run++) {
            FeatureModel model = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 9)).model();
            predictions[run] = model.predictRatings(prepared.test().queries(), prepared.test().items(),
                    prepared.test().catalogue());
        }
        assertThat(predictions[1]).containsExactly(predictions[0]);
    }

    private static Map<String, float[]> snapshot(FeatureModel model) {
        Map<String, float[]> values = new HashMap<>();
        model.namedParameters().forEach((path, p) -> values.put(path, p.value().data().clone()));
        return values;
    }

    private static List<String> changed(FeatureModel model, Map<String, float[]> before) {
        return model.namedParameters().entrySet().stream()
                .filter(e -> !java.util.Arrays.equals(e.getValue().value().data(), before.get(e.getKey())))
                .map(Map.Entry::getKey).toList();
    }
}
