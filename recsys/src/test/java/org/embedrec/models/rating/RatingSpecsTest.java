package org.embedrec.models.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureSpec;
import org.junit.jupiter.api.Test;

/** The rating presets as specs: the shipped files hold the presets' defaults, and each setting lands where it is read. */
class RatingSpecsTest {

    @Test
    void eachShippedSpecIsItsPresetWithTheDefaults() {
        for (String name : RatingModels.NAMES) {
            assertThat(RatingSpecs.of(name, RatingModelConfig.defaults(name))).as(name)
                    .isEqualTo(FeatureSpec.preset(name));
        }
    }

    @Test
    void theSpecsDescribeThePresets() {
        FeatureSpec mf = FeatureSpec.preset("mf");
        assertThat(mf.ratingHead().dot()).isTrue();
        assertThat(mf.ratingHead().layers()).isEmpty();
        assertThat(mf.wide().features()).containsExactly("user_id", "item_id");
        assertThat(mf.training().l2Weighting()).isEqualTo(FeatureSpec.Training.SQRT_FREQUENCY);
        assertThat(mf.features()).extracting(FeatureDefinition::initStddev).containsOnly(0.1);
        FeatureSpec dotMlp = FeatureSpec.preset("dot-mlp");
        assertThat(dotMlp.ratingHead()).isEqualTo(new FeatureSpec.RatingHead("dot", 0, 0, List.of(64), 0.6, 0.0));
        assertThat(FeatureSpec.preset("ncf-mlp").wide()).isNull();
        FeatureSpec wideDeep = FeatureSpec.preset("wide-deep");
        assertThat(wideDeep.wide().crosses()).extracting(FeatureSpec.WideCross::name)
                .containsExactly("user_id_x_genres", "occupation_x_genres");
        assertThat(wideDeep.wide().optimizer()).isEqualTo("ftrl");
    }

    @Test
    void eachSettingGoesWhereTheModelReadsIt() {
        RatingModelConfig config = RatingModelConfig.defaults("wide-deep").withEmbeddingDim(8)
                .withHiddenUnits(List.of(16)).withDropout(0.25f).withLearningRate(0.01f).withOptimizer("adagrad")
                .withWideOptimizer("sgd").withWideLearningRate(0.5f).withPretrainEpochs(2).withBatchSize(64)
                .withEpochs(3);
        FeatureSpec spec = RatingSpecs.of("wide-deep", config);
        assertThat(spec.features()).extracting(FeatureDefinition::embeddingDim).containsOnly(8);
        assertThat(spec.ratingHead()).isEqualTo(new FeatureSpec.RatingHead("concat", 0, 0, List.of(16), 0.25, 0.25));
        assertThat(spec.wide().optimizer()).isEqualTo("sgd");
        assertThat(spec.wide().learningRate()).isEqualTo(0.5);
        assertThat(spec.wide().pretrainEpochs()).isEqualTo(2);
        assertThat(spec.training()).isEqualTo(new FeatureSpec.Training("adagrad", 0.01, 64, 3, 1, 0.0));

        FeatureSpec dotMlp = RatingSpecs.of("dot-mlp", RatingModelConfig.defaults("dot-mlp").withDropout(0.3f)
                .withL2(0.05f));
        assertThat(dotMlp.ratingHead().inputDropout()).isEqualTo(0.3);
        assertThat(dotMlp.ratingHead().dropout()).isZero();
        assertThat(dotMlp.training().l2()).isEqualTo(0.05);
        assertThat(RatingSpecs.of("mf", RatingModelConfig.defaults("mf").withL2(2f)).training())
                .isEqualTo(new FeatureSpec.Training("adam", 0.002, 1024, 50, 1, 2.0, FeatureSpec.Training.SQRT_FREQUENCY));
    }
}
