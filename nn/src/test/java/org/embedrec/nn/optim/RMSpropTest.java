package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class RMSpropTest {

    @Test
    void twoStepsByHand() {
        Parameter p = dense("w", 1f);
        RMSprop rms = new RMSprop(0.01f);
        setGrad(p, 0.5f);
        rms.step(List.of(p));
        // s = 0.1*0.25 = 0.025
        double w1 = 1 - 0.01 * 0.5 / Math.sqrt(0.025 + 1e-7);
        assertClose(p.value().data()[0], w1);
        rms.step(List.of(p));
        // s = 0.9*0.025 + 0.025 = 0.0475
        assertClose(p.value().data()[0], w1 - 0.005 / Math.sqrt(0.0475 + 1e-7));
    }

    @Test
    void momentumGoesThroughAVelocity() {
        Parameter p = dense("w", 1f);
        RMSprop rms = RMSprop.builder().learningRate(0.01f).momentum(0.5f).build();
        setGrad(p, 0.5f);
        rms.step(List.of(p));
        double u1 = 0.005 / Math.sqrt(0.025 + 1e-7);
        assertClose(p.value().data()[0], 1 - u1);
        rms.step(List.of(p));
        double u2 = 0.5 * u1 + 0.005 / Math.sqrt(0.0475 + 1e-7);
        assertClose(p.value().data()[0], 1 - u1 - u2);
    }

    @Test
    void centeredSubtractsTheSquaredMeanGradient() {
        Parameter p = dense("w", 1f);
        RMSprop rms = RMSprop.builder().learningRate(0.01f).centered(true).build();
        setGrad(p, 0.5f);
        rms.step(List.of(p));
        // s = 0.025, a = 0.05, s - a^2 = 0.0225
        double w1 = 1 - 0.005 / Math.sqrt(0.0225 + 1e-7);
        assertClose(p.value().data()[0], w1);
        setGrad(p, -1f);
        rms.step(List.of(p));
        // s = 0.0225 + 0.1 = 0.1225, a = 0.045 - 0.1 = -0.055, s - a^2 = 0.119475
        assertClose(p.value().data()[0], w1 + 0.01 / Math.sqrt(0.119475 + 1e-7));
    }

    @Test
    void defaultsFollowKeras() {
        RMSprop r = RMSprop.builder().build();
        assertThat(r.learningRate()).isEqualTo(0.001f);
        assertThat(r.rho()).isEqualTo(0.9f);
        assertThat(r.momentum()).isZero();
        assertThat(r.epsilon()).isEqualTo(1e-7f);
        assertThat(r.centered()).isFalse();
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> RMSprop.builder().rho(1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RMSprop rho");
        assertThatThrownBy(() -> RMSprop.builder().momentum(2f).build()).hasMessageContaining("momentum");
        assertThatThrownBy(() -> RMSprop.builder().epsilon(-1f).build()).hasMessageContaining("epsilon");
    }
}
