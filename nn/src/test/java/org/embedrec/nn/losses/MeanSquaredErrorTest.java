package org.embedrec.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Mean squared error: hand-computed values for both reductions and both target layouts,
 * gradient checks (default {@link GradientCheck} tolerances: step 1e-2, atol 2e-3, rtol 2e-2)
 * for predictions and targets, and shape errors.
 */
class MeanSquaredErrorTest {

    @Test
    void columnOfPredictionsAgainstAVectorOfTargets() {
        Tensor p = Tensor.of(new float[] {1f, 2f, 3f}, 3, 1);
        Tensor y = Tensor.of(new float[] {1.5f, 2f, 1f}, 3);
        // Squared errors 0.25, 0, 4.
        assertThat(new MeanSquaredError().compute(p, y).item()).isCloseTo(4.25f / 3, within(1e-6f));
        assertThat(new MeanSquaredError(Reduction.SUM).compute(p, y).item()).isEqualTo(4.25f);
        assertThat(new MeanSquaredError().compute(y, p).item()).isCloseTo(4.25f / 3, within(1e-6f));
    }

    @Test
    void sumAddsTheExamplesMeansOverTheLastAxis() {
        Tensor p = Tensor.of(new float[][] {{1f, 2f}, {3f, 4f}});
        Tensor y = Tensor.zeros(2, 2);
        // Squared errors {1, 4} and {9, 16}: example means 2.5 and 12.5.
        assertThat(new MeanSquaredError(Reduction.MEAN).compute(p, y).item()).isEqualTo(7.5f);
        assertThat(new MeanSquaredError(Reduction.SUM).compute(p, y).item()).isEqualTo(15f);
    }

    @Test
    void gradientIsTwiceTheErrorOverTheCount() {
        Tensor p = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 4, 1).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {0f, 2f, 4f, 6f}, 4);
        LossFixtures.backward(new MeanSquaredError(), p, y);
        assertThat(p.grad()).containsExactly(0.5f, 0f, -0.5f, -1f);
    }

    @Property(tries = 20)
    void gradientCheck(@ForAll @IntRange(min = 1, max = 6) int batch, @ForAll @IntRange(min = 1, max = 4) int width,
                       @ForAll boolean sum, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Loss loss = new MeanSquaredError(sum ? Reduction.SUM : Reduction.MEAN);
        Tensor p = LossFixtures.uniform(rng, -2f, 2f, batch, width);
        Tensor y = LossFixtures.uniform(rng, -2f, 2f, batch, width);
        new GradientCheck().check(in -> loss.compute(in.get(0), in.get(1)), List.of(p, y), seed);
    }

    @Test
    void mismatchedTargetsNameBothShapes() {
        assertThatThrownBy(() -> new MeanSquaredError().compute(Tensor.zeros(32, 2), Tensor.zeros(32)))
                .hasMessage("MeanSquaredError: predictions [32, 2] and targets [32]:"
                        + " expected targets of shape [32, 2]");
        assertThatThrownBy(() -> new MeanSquaredError().compute(Tensor.zeros(32, 1), Tensor.zeros(16)))
                .hasMessage("MeanSquaredError: predictions [32, 1] and targets [16]:"
                        + " expected targets of shape [32, 1] or [32]");
    }
}
