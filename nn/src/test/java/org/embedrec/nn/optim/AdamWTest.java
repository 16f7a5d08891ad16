package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void decayIsDecoupledFromTheMoments() {
        Parameter p = dense("w", 1f);
        AdamW adamw = AdamW.builder().learningRate(0.1f).weightDecay(0.5f).build();
        setGrad(p, 0.5f);
        adamw.step(List.of(p));
        // w = 1 - 0.1*0.5*1 - [Adam step of g = 0.5]
        double expected = 1 - 0.1 * 0.5 * 1 - 0.1 * Math.sqrt(0.001) / 0.1 * 0.05 / (Math.sqrt(0.00025) + 1e-7);
        assertClose(p.value().data()[0], expected);
        // The moments saw the gradient only.
        assertClose(adamw.slot(p, 0)[0], 0.05);
    }

    @Test
    void twoStepsByHand() {
        Parameter p = dense("w", 2f);
        AdamW adamw = AdamW.builder().learningRate(0.25f).beta1(0.5f).beta2(0.75f).epsilon(1e-3f)
                .weightDecay(0.5f).build();
        double eps = 1e-3f;
        setGrad(p, 1f);
        adamw.step(List.of(p));
        // decay factor 1 - 0.25*0.5 = 0.875; m = 0.5, v = 0.25, rate = 0.25
        double w1 = 2 * 0.875 - 0.25 * 0.5 / (0.5 + eps);
        assertClose(p.value().data()[0], w1);
        setGrad(p, 3f);
        adamw.step(List.of(p));
        // m = 0.25 + 1.5 = 1.75; v = 0.1875 + 2.25 = 2.4375; rate = 0.25*sqrt(0.4375)/0.75
        double rate = 0.25 * Math.sqrt(0.4375) / 0.75;
        assertClose(p.value().data()[0], w1 * 0.875 - rate * 1.75 / (Math.sqrt(2.4375) + eps));
    }

    @Test
    void defaultsFollowKeras() {
        AdamW a = AdamW.builder().build();
        assertThat(a.learningRate()).isEqualTo(0.001f);
        assertThat(a.weightDecay()).isEqualTo(0.004f);
        assertThat(a.beta1()).isEqualTo(0.9f);
        assertThat(a.beta2()).isEqualTo(0.999f);
        assertThat(a.epsilon()).isEqualTo(1e-7f);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> AdamW.builder().weightDecay(-0.1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AdamW weightDecay");
        assertThatThrownBy(() -> AdamW.builder().beta1(1.5f).build()).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new AdamW(-0.001f)).hasMessageContaining("learningRate");
    }
}
