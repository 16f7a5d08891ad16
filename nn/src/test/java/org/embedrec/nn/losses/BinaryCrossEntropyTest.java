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
 * Binary cross-entropy from logits and from probabilities: hand-computed values for both
 * reductions, gradient checks (default {@link GradientCheck} tolerances: step 1e-2, atol 2e-3,
 * rtol 2e-2; probabilities kept in [0.05, 0.95], inside the clamp), finite values and gradients
 * at extreme logits and at probabilities of exactly 0 and 1, and shape errors.
 */
class BinaryCrossEntropyTest {

    @Test
    void fromLogits() {
        Tensor x = Tensor.of(new float[] {0f, 2f, -1f}, 3, 1);
        Tensor y = Tensor.of(new float[] {1f, 1f, 0f}, 3);
        // log 2, log(1 + e^-2), log(1 + e^-1).
        float total = 0.6931472f + 0.12692805f + 0.31326169f;
        assertThat(new BinaryCrossEntropy().compute(x, y).item()).isCloseTo(total / 3, within(1e-6f));
        assertThat(new BinaryCrossEntropy(true, Reduction.SUM).compute(x, y).item()).isCloseTo(total, within(1e-6f));
    }

    @Test
    void fromProbabilities() {
        Tensor p = Tensor.of(new float[] {0.5f, 0.9f, 0.2f}, 3);
        Tensor y = Tensor.of(new float[] {1f, 1f, 0f}, 3);
        // -log 0.5, -log 0.9, -log 0.8.
        float total = 0.6931472f + 0.10536052f + 0.22314355f;
        assertThat(new BinaryCrossEntropy(false, Reduction.MEAN).compute(p, y).item())
                .isCloseTo(total / 3, within(1e-5f));
        assertThat(new BinaryCrossEntropy(false, Reduction.SUM).compute(p, y).item())
                .isCloseTo(total, within(1e-5f));
    }

    @Test
    void extremeLogitsStayFinite() {
        Tensor x = Tensor.of(new float[] {1e4f, -1e4f, 1e4f, -1e4f}, 4, 1).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {1f, 0f, 0f, 1f}, 4, 1);
        float loss = LossFixtures.backward(new BinaryCrossEntropy(), x, y);
        assertThat(loss).isCloseTo(5000f, within(1e-2f));
        assertThat(x.grad()).containsExactly(new float[] {0f, 0f, 0.25f, -0.25f}, within(1e-7f));
    }

    @Test
    void certainProbabilitiesAreClampedToAFiniteLoss() {
        Tensor p = Tensor.of(new float[] {0f, 1f, 1f, 0f}, 4).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {1f, 0f, 1f, 0f}, 4);
        float loss = LossFixtures.backward(new BinaryCrossEntropy(false, Reduction.MEAN), p, y);
        // Two confidently wrong predictions cost about -log(1e-7) = 16.1 each; two right ones almost nothing.
        assertThat(loss).isBetween(7.5f, 8.5f);
        for (float g : p.grad()) {
            assertThat(Float.isFinite(g)).isTrue();
        }
    }

    @Property(tries = 20)
    void gradientCheckFromLogits(@ForAll @IntRange(min = 1, max = 6) int batch, @ForAll @IntRange(min = 1, max = 3) int width,
                                 @ForAll boolean sum, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Loss loss = new BinaryCrossEntropy(true, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor x = LossFixtures.uniform(rng, -4f, 4f, batch, width);
        Tensor y = LossFixtures.uniform(rng, 0f, 1f, batch, width);
        new GradientCheck().check(in -> loss.compute(in.get(0), in.get(1)), List.of(x, y), seed);
    }

    @Property(tries = 20)
    void gradientCheckFromProbabilities(@ForAll @IntRange(min = 1, max = 6) int batch, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Loss loss = new BinaryCrossEntropy(false, Reduction.MEAN);
        Tensor p = LossFixtures.uniform(rng, 0.05f, 0.95f, batch, 1);
        Tensor y = Tensor.zeros(batch);
        for (int i = 0; i < batch; i++) {
            y.data()[i] = rng.nextInt(2);
        }
        new GradientCheck(1e-3, 2e-3, 2e-2).check(in -> loss.compute(in.get(0), y), List.of(p), seed);
    }

    @Test
    void mismatchedTargetsNameBothShapes() {
        assertThatThrownBy(() -> new BinaryCrossEntropy().compute(Tensor.zeros(8, 1), Tensor.zeros(8, 2)))
                .hasMessage("BinaryCrossEntropy: predictions [8, 1] and targets [8, 2]:"
                        + " expected targets of shape [8, 1] or [8]");
    }
}
