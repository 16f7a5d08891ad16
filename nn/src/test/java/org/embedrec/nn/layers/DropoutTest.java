package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void isTheIdentityWhenNotTraining() {
        Dropout dropout = new Dropout(0.5, new Rng(1));
        dropout.setTraining(false);
        Tensor x = Tensor.full(1f, 10, 10);
        assertThat(dropout.apply(x)).isSameAs(x);
    }

    @Test
    void isTheIdentityAtRateZero() {
        Tensor x = Tensor.full(1f, 10, 10);
        assertThat(new Dropout(0, new Rng(1)).apply(x)).isSameAs(x);
    }

    @Test
    void whileTrainingZeroesAboutRateOfTheElementsAndScalesTheRest() {
        Dropout dropout = new Dropout(0.25, new Rng(2));
        Tensor y = dropout.apply(Tensor.full(1f, 100, 100));
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertThat(v).isCloseTo(1f / 0.75f, within(1e-6f));
            }
        }
        assertThat(zeros / 10_000.0).isCloseTo(0.25, within(0.03));
    }

    @Test
    void masksAreDeterministicPerSeedAndFreshOnEachCall() {
        Tensor x = Tensor.full(1f, 8, 16);
        Dropout a = new Dropout(0.5, new Rng(3));
        Dropout b = new Dropout(0.5, new Rng(3));
        float[] a1 = a.apply(x).data();
        float[] a2 = a.apply(x).data();
        assertThat(b.apply(x).data()).containsExactly(a1);
        assertThat(b.apply(x).data()).containsExactly(a2);
        assertThat(a2).isNotEqualTo(a1);
        assertThat(new Dropout(0.5, new Rng(4)).apply(x).data()).isNotEqualTo(a1);
    }

    @Test
    void rejectsARateOutsideZeroToOne() {
        assertThatThrownBy(() -> new Dropout(1.0, new Rng(1)))
                .hasMessage("dropout 'dropout': rate must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Dropout("drop", -0.1, new Rng(1)))
                .hasMessage("dropout 'drop': rate must be in [0, 1), got -0.1");
        assertThatThrownBy(() -> new Dropout(Double.NaN, new Rng(1)))
                .hasMessage("dropout 'dropout': rate must be in [0, 1), got NaN");
    }
}
