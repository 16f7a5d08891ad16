package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    private static final Map<String, Class<? extends ElementwiseOptimizer>> EXPECTED = Map.of(
            "sgd", SGD.class,
            "adam", Adam.class,
            "adamw", AdamW.class,
            "adagrad", Adagrad.class,
            "rmsprop", RMSprop.class,
            "ftrl", Ftrl.class);

    @Test
    void everyNameCreatesItsOptimizerWithTheGivenLearningRate() {
        assertThat(Optimizers.names()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (String name : Optimizers.names()) {
            Optimizer o = Optimizers.create(name, 0.0375);
            assertThat(o).as(name).isExactlyInstanceOf(EXPECTED.get(name));
            assertThat(((ElementwiseOptimizer) o).learningRate()).as(name).isEqualTo(0.0375f);
        }
    }

    @Test
    void eachCallCreatesAFreshOptimizer() {
        assertThat(Optimizers.create("adam", 0.1)).isNotSameAs(Optimizers.create("adam", 0.1));
    }

    @Test
    void unknownNameListsEveryKnownName() {
        assertThatThrownBy(() -> Optimizers.create("adamax", 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimizer 'adamax': expected one of sgd, adam, adamw, adagrad, rmsprop, ftrl");
        assertThatThrownBy(() -> Optimizers.create(null, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown optimizer 'null'");
    }

    @Test
    void namesAreMatchedExactly() {
        assertThatThrownBy(() -> Optimizers.create("Adam", 0.1)).hasMessageStartingWith("unknown optimizer 'Adam'");
        assertThatThrownBy(() -> Optimizers.create(" adam", 0.1)).hasMessageStartingWith("unknown optimizer ' adam'");
    }

    @Test
    void aLearningRateTheOptimizerRejectsIsNamed() {
        assertThatThrownBy(() -> Optimizers.create("adagrad", -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Adagrad learningRate must be finite and > 0");
        assertThatThrownBy(() -> Optimizers.create("sgd", Double.NaN)).hasMessageContaining("learningRate");
    }

    @Test
    void namesCannotBeChanged() {
        assertThatThrownBy(() -> Optimizers.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
