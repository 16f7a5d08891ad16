package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class AdagradTest {

    @Test
    void twoStepsByHand() {
        Parameter p = dense("w", 1f, -1f);
        Adagrad adagrad = new Adagrad(0.1f);
        setGrad(p, 0.5f, -2f);
        adagrad.step(List.of(p));
        // a = 0.1 + g^2 = [0.35, 4.1]
        double w0 = 1 - 0.1 * 0.5 / (Math.sqrt(0.35) + 1e-7);
        double w1 = -1 + 0.1 * 2 / (Math.sqrt(4.1) + 1e-7);
        assertClose(p.value().data()[0], w0);
        assertClose(p.value().data()[1], w1);

        setGrad(p, 0.5f, 1f);
        adagrad.step(List.of(p));
        // a = [0.35 + 0.25, 4.1 + 1]
        assertClose(p.value().data()[0], w0 - 0.1 * 0.5 / (Math.sqrt(0.6) + 1e-7));
        assertClose(p.value().data()[1], w1 - 0.1 * 1 / (Math.sqrt(5.1) + 1e-7));
        assertClose(adagrad.slot(p, 0)[1], 5.1);
    }

    @Test
    void defaultsFollowKeras() {
        Adagrad a = Adagrad.builder().build();
        assertThat(a.learningRate()).isEqualTo(0.001f);
        assertThat(a.initialAccumulatorValue()).isEqualTo(0.1f);
        assertThat(a.epsilon()).isEqualTo(1e-7f);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new Adagrad(-1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Adagrad learningRate");
        assertThatThrownBy(() -> Adagrad.builder().initialAccumulatorValue(-0.1f).build())
                .hasMessageContaining("initialAccumulatorValue");
        assertThatThrownBy(() -> Adagrad.builder().epsilon(0f).build()).hasMessageContaining("epsilon");
    }
}
