package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class FtrlTest {

    @Test
    void firstStepFromZeroWithoutRegularisation() {
        Parameter p = dense("w", 0f);
        Ftrl ftrl = new Ftrl(0.1f);
        setGrad(p, 0.5f);
        ftrl.step(List.of(p));
        // n = 0.35; z = 0.5 (w was 0); w = -z / (sqrt(n)/lr) = -0.05/sqrt(0.35)
        assertClose(p.value().data()[0], -0.05 / Math.sqrt(0.35));
        assertClose(ftrl.slot(p, 1)[0], 0.5);
    }

    @Test
    void twoStepsWithL1L2AndBeta() {
        Parameter p = dense("w", -0.2f, 0.2f);
        Ftrl ftrl = Ftrl.builder().learningRate(0.1f).l1(0.1f).l2(0.25f).beta(0.5f).build();
        setGrad(p, 0.5f, 0.5f);
        ftrl.step(List.of(p));
        double sigma = (Math.sqrt(0.35) - Math.sqrt(0.1)) / 0.1;
        double q1 = (Math.sqrt(0.35) + 0.5) / 0.1 + 2 * 0.25;
        double z0 = 0.5 - sigma * -0.2;
        double w0 = (0.1 - z0) / q1; // z0 > l1
        assertClose(p.value().data()[0], w0);
        // z1 = 0.5 - sigma*0.2 lies inside [-l1, l1]: the L1 term sets the weight to exactly 0.
        assertThat(Math.abs(0.5 - sigma * 0.2)).isLessThan(0.1);
        assertThat(p.value().data()[1]).isEqualTo(0f);

        setGrad(p, -0.25f, 0f);
        ftrl.step(List.of(p));
        double sigma2 = (Math.sqrt(0.4125) - Math.sqrt(0.35)) / 0.1;
        double z0b = z0 - 0.25 - sigma2 * w0;
        double q2 = (Math.sqrt(0.4125) + 0.5) / 0.1 + 0.5;
        double expected = z0b > 0.1 ? (0.1 - z0b) / q2 : z0b < -0.1 ? (-0.1 - z0b) / q2 : 0;
        assertClose(p.value().data()[0], expected);
        assertThat(p.value().data()[1]).isEqualTo(0f);
    }

    @Test
    void otherLearningRatePowers() {
        Parameter p = dense("w", 0.5f);
        Ftrl ftrl = Ftrl.builder().learningRate(0.1f).learningRatePower(-1f).initialAccumulatorValue(1f).build();
        setGrad(p, 1f);
        ftrl.step(List.of(p));
        // n: 1 -> 2; sigma = (2 - 1)/0.1 = 10; z = 1 - 10*0.5 = -4; w = 4 / (2/0.1) = 0.2
        assertClose(p.value().data()[0], 0.2);
    }

    @Test
    void defaultsFollowKeras() {
        Ftrl f = Ftrl.builder().build();
        assertThat(f.learningRate()).isEqualTo(0.001f);
        assertThat(f.learningRatePower()).isEqualTo(-0.5f);
        assertThat(f.initialAccumulatorValue()).isEqualTo(0.1f);
        assertThat(f.l1()).isZero();
        assertThat(f.l2()).isZero();
        assertThat(f.beta()).isZero();
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> Ftrl.builder().learningRatePower(0.5f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ftrl learningRatePower");
        assertThatThrownBy(() -> Ftrl.builder().initialAccumulatorValue(0f).build())
                .hasMessageContaining("initialAccumulatorValue");
        assertThatThrownBy(() -> Ftrl.builder().l1(-1f).build()).hasMessageContaining("l1");
        assertThatThrownBy(() -> Ftrl.builder().l2(-1f).build()).hasMessageContaining("l2");
        assertThatThrownBy(() -> Ftrl.builder().beta(-1f).build()).hasMessageContaining("beta");
    }
}
