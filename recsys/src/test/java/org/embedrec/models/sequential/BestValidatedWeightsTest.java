package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;
import org.junit.jupiter.api.Test;

/** Early stopping on the validation NDCG@10, and the best validated epoch's weights put back. */
class BestValidatedWeightsTest {

    private static EpochResult validated(int epoch, double ndcg) {
        return new EpochResult(epoch, 1.0, 0.1, 0.1, 10, Map.of(BestValidatedWeights.METRIC, ndcg, "loss", 5.0));
    }

    private static EpochResult unvalidated(int epoch) {
        return new EpochResult(epoch, 1.0, 0.1, 0, 10, Map.of());
    }

    /** Sets every parameter value to {@code value}, as if the epoch's training had left it there. */
    private static void fill(List<Parameter> parameters, float value) {
        for (Parameter p : parameters) {
            java.util.Arrays.fill(p.value().data(), value);
        }
    }

    @Test
    void stopsAfterPatienceValidationsWithoutImprovementAndKeepsTheBestEpochsWeights() {
        Dense model = Dense.builder(3, 2).name("d").build(new Rng(1));
        List<Parameter> parameters = model.parameters();
        BestValidatedWeights best = new BestValidatedWeights(model, 2);

        fill(parameters, 1f);
        assertThat(best.onEpochEnd(validated(1, 0.10))).isTrue();
        fill(parameters, 2f);
        assertThat(best.onEpochEnd(validated(2, 0.30))).isTrue();
        fill(parameters, 3f);
        assertThat(best.onEpochEnd(unvalidated(3))).as("an unvalidated epoch counts for nothing").isTrue();
        assertThat(best.onEpochEnd(validated(4, 0.25))).as("one validation without improvement").isTrue();
        fill(parameters, 5f);
        assertThat(best.onEpochEnd(validated(5, 0.30))).as("equal is no improvement: second stale, stop").isFalse();

        best.onTrainEnd(History.of(List.of(), true));
        assertThat(best.bestEpoch()).isEqualTo(2);
        assertThat(best.bestValue()).isEqualTo(0.30);
        for (Parameter p : parameters) {
            for (float v : p.value().data()) {
                assertThat(v).as(p.name()).isEqualTo(2f);
            }
        }
    }

    @Test
    void anImprovementResetsThePatience() {
        Dense model = Dense.builder(2, 2).name("d").build(new Rng(2));
        BestValidatedWeights best = new BestValidatedWeights(model, 2);
        assertThat(best.onEpochEnd(validated(1, 0.2))).isTrue();
        assertThat(best.onEpochEnd(validated(2, 0.1))).isTrue();
        assertThat(best.onEpochEnd(validated(3, 0.3))).isTrue();
        assertThat(best.onEpochEnd(validated(4, 0.1))).isTrue();
        assertThat(best.onEpochEnd(validated(5, 0.1))).isFalse();
        assertThat(best.bestEpoch()).isEqualTo(3);
    }

    @Test
    void withoutAnyValidationTheLastWeightsStay() {
        Dense model = Dense.builder(2, 2).name("d").build(new Rng(3));
        BestValidatedWeights best = new BestValidatedWeights(model, 1);
        fill(model.parameters(), 7f);
        assertThat(best.onEpochEnd(unvalidated(1))).isTrue();
        best.onTrainEnd(History.of(List.of(), false));
        assertThat(best.bestEpoch()).isZero();
        assertThat(model.parameters().get(0).value().data()[0]).isEqualTo(7f);
    }

    @Test
    void refusesAPatienceBelowOne() {
        assertThatThrownBy(() -> new BestValidatedWeights(Dense.builder(2, 2).build(new Rng(4)), 0))
                .hasMessageContaining("patience").hasMessageContaining("got 0");
    }

    /**
     * A checkpoint after a validation holds the best value, its epoch, the count and the best
     * weights: a fresh callback restored from it stops where the first would and puts back the
     * same weights, though the model's weights moved on after the checkpoint.
     */
    @Test
    void restoredFromItsStateItStopsAndKeepsAsTheOneItWasSavedFrom() {
        Dense model = Dense.builder(3, 2).name("d").build(new Rng(1));
        List<Parameter> parameters = model.parameters();
        BestValidatedWeights first = new BestValidatedWeights(model, 2);
        fill(parameters, 2f);
        first.onEpochEnd(validated(1, 0.30));
        fill(parameters, 3f);
        first.onEpochEnd(validated(2, 0.20));
        org.embedrec.nn.TrainingState state = new org.embedrec.nn.TrainingState();
        first.saveState("cb/", state);

        BestValidatedWeights restored = new BestValidatedWeights(model, 2);
        restored.restoreState("cb/", state);
        fill(parameters, 4f);
        assertThat(restored.onEpochEnd(validated(3, 0.25))).as("the second validation without improvement").isFalse();
        restored.onTrainEnd(History.of(List.of(), true));
        assertThat(restored.bestEpoch()).isEqualTo(1);
        assertThat(restored.bestValue()).isEqualTo(0.30);
        for (Parameter p : parameters) {
            for (float v : p.value().data()) {
                assertThat(v).as(p.name()).isEqualTo(2f);
            }
        }
    }

    @Test
    void aStateOfAnotherModelIsRefusedAndLeavesTheCallbackAsItWas() {
        BestValidatedWeights small = new BestValidatedWeights(Dense.builder(3, 2).name("d").build(new Rng(1)), 2);
        small.onEpochEnd(validated(1, 0.30));
        org.embedrec.nn.TrainingState state = new org.embedrec.nn.TrainingState();
        small.saveState("cb/", state);
        BestValidatedWeights wide = new BestValidatedWeights(Dense.builder(3, 5).name("d").build(new Rng(1)), 2);
        assertThatThrownBy(() -> wide.restoreState("cb/", state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cb/weights/kernel' has shape [3, 2], this run needs [3, 5]");
        assertThat(wide.bestEpoch()).isZero();
    }
}
