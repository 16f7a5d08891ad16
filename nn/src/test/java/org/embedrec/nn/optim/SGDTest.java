package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class SGDTest {

    @Test
    void plainStepMovesAgainstTheGradient() {
        Parameter p = dense("w", 1f, -2f);
        SGD sgd = new SGD(0.1f);
        setGrad(p, 0.5f, 0.25f);
        sgd.step(List.of(p));
        assertClose(p.value().data()[0], 1 - 0.1 * 0.5);
        assertClose(p.value().data()[1], -2 - 0.1 * 0.25);
        setGrad(p, -1f, 0f);
        sgd.step(List.of(p));
        assertClose(p.value().data()[0], 0.95 + 0.1);
        assertClose(p.value().data()[1], -2.025);
    }

    @Test
    void momentumAccumulatesVelocity() {
        Parameter p = dense("w", 1f);
        SGD sgd = SGD.builder().learningRate(0.1f).momentum(0.9f).build();
        setGrad(p, 0.5f);
        sgd.step(List.of(p));
        // v1 = -0.1*0.5 = -0.05
        assertClose(p.value().data()[0], 0.95);
        sgd.step(List.of(p));
        // v2 = 0.9*(-0.05) - 0.05 = -0.095
        assertClose(p.value().data()[0], 0.855);
    }

    @Test
    void nesterovLooksAhead() {
        Parameter p = dense("w", 1f);
        SGD sgd = SGD.builder().learningRate(0.1f).momentum(0.9f).nesterov(true).build();
        setGrad(p, 0.5f);
        sgd.step(List.of(p));
        // w1 = 1 + 0.9*(-0.05) - 0.05
        assertClose(p.value().data()[0], 0.905);
        sgd.step(List.of(p));
        // v2 = -0.095; w2 = 0.905 + 0.9*(-0.095) - 0.05
        assertClose(p.value().data()[0], 0.7695);
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        Parameter p = dense("w", 2f);
        SGD sgd = SGD.builder().learningRate(0.1f).weightDecay(0.01f).build();
        setGrad(p, 0.5f);
        sgd.step(List.of(p));
        // w = 2 - 0.1*(0.5 + 0.01*2)
        assertClose(p.value().data()[0], 1.948);
    }

    @Test
    void leavesTheGradientAsItIs() {
        Parameter p = dense("w", 1f);
        setGrad(p, 0.5f);
        new SGD(0.1f).step(List.of(p));
        assertThat(p.value().grad()).containsExactly(0.5f);
    }

    @Test
    void learningRateCanChangeBetweenSteps() {
        Parameter p = dense("w", 1f);
        SGD sgd = new SGD(0.1f);
        setGrad(p, 1f);
        sgd.step(List.of(p));
        sgd.setLearningRate(0.5f);
        sgd.step(List.of(p));
        assertClose(p.value().data()[0], 1 - 0.1 - 0.5);
        assertThat(sgd.learningRate()).isEqualTo(0.5f);
        assertThatThrownBy(() -> sgd.setLearningRate(0f)).hasMessageContaining("learningRate");
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new SGD(0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new SGD(Float.NaN)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> SGD.builder().momentum(1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
        assertThatThrownBy(() -> SGD.builder().momentum(-0.1f).build()).hasMessageContaining("momentum");
        assertThatThrownBy(() -> SGD.builder().weightDecay(-1f).build()).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> SGD.builder().nesterov(true).build()).hasMessageContaining("nesterov");
        assertThatThrownBy(() -> SGD.builder().clipNorm(-1f).build()).hasMessageContaining("clipNorm");
    }

    @Test
    void defaultsFollowKeras() {
        SGD sgd = SGD.builder().build();
        assertThat(sgd.learningRate()).isEqualTo(0.01f);
        assertThat(sgd.momentum()).isZero();
        assertThat(sgd.nesterov()).isFalse();
        assertThat(sgd.clipNorm()).isZero();
    }
}
