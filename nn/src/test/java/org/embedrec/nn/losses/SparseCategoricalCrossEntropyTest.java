package org.embedrec.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sparse categorical cross-entropy from logits and from probabilities: hand-computed values for
 * both reductions and both target layouts, gradient checks (default {@link GradientCheck}
 * tolerances: step 1e-2, atol 2e-3, rtol 2e-2; probabilities a softmax of moderate logits, so
 * inside the clamp), finite results at extreme logits and zero probabilities, and errors for
 * bad target shapes and values.
 */
class SparseCategoricalCrossEntropyTest {
    private static final Tensor LOGITS = Tensor.of(new float[][] {{1f, 2f, 3f}, {1f, 2f, 3f}});

    @Test
    void fromLogitsWithEitherTargetLayout() {
        // logsumexp(1, 2, 3) = 3.4076059: losses 0.4076060 (class 2) and 2.4076059 (class 0).
        float total = 0.40760596f + 2.4076059f;
        Tensor ids = Tensor.of(new float[] {2f, 0f}, 2);
        Tensor column = Tensor.of(new float[] {2f, 0f}, 2, 1);
        assertThat(new SparseCategoricalCrossEntropy().compute(LOGITS, ids).item()).isCloseTo(total / 2, within(1e-6f));
        assertThat(new SparseCategoricalCrossEntropy().compute(LOGITS, column).item())
                .isCloseTo(total / 2, within(1e-6f));
        assertThat(new SparseCategoricalCrossEntropy(true, Reduction.SUM).compute(LOGITS, ids).item())
                .isCloseTo(total, within(1e-6f));
    }

    @Test
    void fromProbabilities() {
        Tensor p = Tensor.of(new float[][] {{0.2f, 0.7f, 0.1f}, {0.5f, 0.25f, 0.25f}});
        Tensor ids = Tensor.of(new float[] {1f, 2f}, 2);
        // -log 0.7 and -log 0.25.
        float total = 0.35667494f + 1.3862944f;
        assertThat(new SparseCategoricalCrossEntropy(false, Reduction.MEAN).compute(p, ids).item())
                .isCloseTo(total / 2, within(1e-5f));
        assertThat(new SparseCategoricalCrossEntropy(false, Reduction.SUM).compute(p, ids).item())
                .isCloseTo(total, within(1e-5f));
    }

    @Test
    void zeroProbabilityAtTheLabelIsClampedToAFiniteLoss() {
        Tensor p = Tensor.of(new float[][] {{0f, 1f}}).requiresGrad(true);
        float loss = LossFixtures.backward(new SparseCategoricalCrossEntropy(false, Reduction.MEAN), p,
                Tensor.of(new float[] {0f}, 1));
        assertThat(loss).isCloseTo(16.118f, within(0.01f));
        for (float g : p.grad()) {
            assertThat(Float.isFinite(g)).isTrue();
        }
    }

    @Test
    void extremeLogitsStayFinite() {
        Tensor x = Tensor.of(new float[][] {{1e4f, -1e4f, 0f}, {1e4f, 1e4f, -1e4f}}).requiresGrad(true);
        float loss = LossFixtures.backward(new SparseCategoricalCrossEntropy(true, Reduction.SUM), x,
                Tensor.of(new float[] {1f, 0f}, 2));
        // 2e4 for the first row, log 2 for the second.
        assertThat(loss).isCloseTo(2e4f + 0.6931472f, within(1e-2f));
        assertThat(x.grad()).containsExactly(new float[] {1f, -1f, 0f, -0.5f, 0.5f, 0f}, within(1e-6f));
    }

    @Property(tries = 20)
    void gradientCheckFromLogits(@ForAll @IntRange(min = 1, max = 6) int batch,
                                 @ForAll @IntRange(min = 1, max = 5) int classes, @ForAll boolean sum,
                                 @ForAll long seed) {
        Rng rng = new Rng(seed);
        Loss loss = new SparseCategoricalCrossEntropy(true, sum ? Reduction.SUM : Reduction.MEAN);
        Tensor x = LossFixtures.uniform(rng, -3f, 3f, batch, classes);
        Tensor ids = LossFixtures.classIds(rng, batch, classes);
        new GradientCheck().check(in -> loss.compute(in.get(0), ids), List.of(x), seed);
    }

    @Property(tries = 20)
    void gradientCheckFromProbabilities(@ForAll @IntRange(min = 1, max = 6) int batch,
                                        @ForAll @IntRange(min = 2, max = 5) int classes, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Loss loss = new SparseCategoricalCrossEntropy(false, Reduction.MEAN);
        Tensor p = Ops.softmax(LossFixtures.uniform(rng, -1f, 1f, batch, classes)).requiresGrad(true);
        Tensor ids = LossFixtures.classIds(rng, batch, classes);
        new GradientCheck(1e-3, 2e-3, 2e-2).check(in -> loss.compute(in.get(0), ids), List.of(p), seed);
    }

    @Test
    void badTargetsAreNamed() {
        Loss loss = new SparseCategoricalCrossEntropy();
        assertThatThrownBy(() -> loss.compute(Tensor.zeros(2, 3), Tensor.zeros(3)))
                .hasMessage("SparseCategoricalCrossEntropy: predictions [2, 3] and targets [3]:"
                        + " expected class ids of shape [2] or [2, 1]");
        assertThatThrownBy(() -> loss.compute(Tensor.zeros(2, 3), Tensor.zeros(2, 3)))
                .hasMessageContaining("expected class ids of shape [2] or [2, 1]");
        assertThatThrownBy(() -> loss.compute(Tensor.zeros(2, 3), Tensor.of(new float[] {0f, 3f}, 2)))
                .hasMessage("SparseCategoricalCrossEntropy: target 3.0 at position 1 is not a class id in [0, 3)");
        assertThatThrownBy(() -> loss.compute(Tensor.zeros(2, 3), Tensor.of(new float[] {1.5f, 0f}, 2)))
                .hasMessage("SparseCategoricalCrossEntropy: target 1.5 at position 0 is not a class id in [0, 3)");
        assertThatThrownBy(() -> loss.compute(Tensor.zeros(3), Tensor.zeros(3)))
                .hasMessage("SparseCategoricalCrossEntropy: predictions [3]: expected [batch, classes]");
    }
}
