package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepWithKerasDefaults() {
        Parameter p = dense("w", 1f);
        Adam adam = new Adam(0.1f);
        setGrad(p, 0.5f);
        adam.step(List.of(p));
        // m = 0.1*0.5 = 0.05; v = 0.001*0.25 = 0.00025; rate = 0.1*sqrt(1-0.999)/(1-0.9)
        double expected = 1 - 0.1 * Math.sqrt(0.001) / 0.1 * 0.05 / (Math.sqrt(0.00025) + 1e-7);
        assertClose(p.value().data()[0], expected);
        assertClose(adam.slot(p, 0)[0], 0.05);
        assertClose(adam.slot(p, 1)[0], 0.00025);
    }

    @Test
    void twoStepsByHand() {
        // Betas exact in binary, so the double arithmetic below uses the values Adam receives.
        Parameter p = dense("w", 1f, -3f);
        Adam adam = Adam.builder().learningRate(0.25f).beta1(0.5f).beta2(0.75f).epsilon(1e-3f).build();
        setGrad(p, 0.5f, 2f);
        adam.step(List.of(p));
        // m = 0.5*g = [0.25, 1]; v = 0.25*g^2 = [0.0625, 1]; rate = 0.25*sqrt(0.25)/0.5 = 0.25
        double eps = 1e-3f;
        double w0 = 1 - 0.25 * 0.25 / (0.25 + eps);
        double w1 = -3 - 0.25 * 1 / (1 + eps);
        assertClose(p.value().data()[0], w0);
        assertClose(p.value().data()[1], w1);

        setGrad(p, -1f, 2f);
        adam.step(List.of(p));
        // m = 0.5*m + 0.5*g = [-0.375, 1.5]; v = 0.75*v + 0.25*g^2 = [0.296875, 1.75]
        // rate = 0.25*sqrt(1 - 0.5625)/(1 - 0.25)
        double rate = 0.25 * Math.sqrt(0.4375) / 0.75;
        assertClose(p.value().data()[0], w0 + rate * 0.375 / (Math.sqrt(0.296875) + eps));
        assertClose(p.value().data()[1], w1 - rate * 1.5 / (Math.sqrt(1.75) + eps));
        assertThat(adam.iterations()).isEqualTo(2);
    }

    @Test
    void defaultsFollowKeras() {
        Adam a = Adam.builder().build();
        assertThat(a.learningRate()).isEqualTo(0.001f);
        assertThat(a.beta1()).isEqualTo(0.9f);
        assertThat(a.beta2()).isEqualTo(0.999f);
        assertThat(a.epsilon()).isEqualTo(1e-7f);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new Adam(0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Adam learningRate");
        assertThatThrownBy(() -> Adam.builder().beta1(1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta1");
        assertThatThrownBy(() -> Adam.builder().beta2(-0.5f).build()).hasMessageContaining("beta2");
        assertThatThrownBy(() -> Adam.builder().beta2(Float.NaN).build()).hasMessageContaining("beta2");
        assertThatThrownBy(() -> Adam.builder().epsilon(0f).build()).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> Adam.builder().learningRate(Float.POSITIVE_INFINITY).build())
                .hasMessageContaining("learningRate");
    }
}
