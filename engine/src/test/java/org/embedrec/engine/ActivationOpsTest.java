package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * relu, sigmoid, softplus, tanh, softmax and logSoftmax: finite-difference gradient checks with the
 * default {@link GradientCheck} tolerances (step 1e-2, atol 2e-3, rtol 2e-2) over random shapes
 * of rank 1 to 3, and hand-computed values.
 */
class ActivationOpsTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 25)
    void reluGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        // The kink at 0 is kept further away than the finite-difference step.
        Tensor x = RandomTensors.awayFrom(RandomTensors.uniform(rng, RandomTensors.shape(rng, 1, 3, 5)), 0f, 0.05f);
        check.check(in -> Ops.relu(in.get(0)), List.of(x), seed);
    }

    @Property(tries = 25)
    void sigmoidGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.sigmoid(in.get(0)),
                List.of(RandomTensors.uniform(rng, -4f, 4f, RandomTensors.shape(rng, 1, 3, 5))), seed);
    }

    @Property(tries = 25)
    void softplusGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.softplus(in.get(0)),
                List.of(RandomTensors.uniform(rng, -6f, 6f, RandomTensors.shape(rng, 1, 3, 5))), seed);
    }

    @Test
    void softplusByHandAndFarOut() {
        // log(2), log(1 + e), log(1 + 1/e); at +-100 the literal form overflows or loses all digits.
        float[] y = Ops.softplus(Tensor.of(new float[] {0f, 1f, -1f, 100f, -100f}, 5)).data();
        assertThat(y).containsExactly(new float[] {(float) Math.log(2), (float) Math.log1p(Math.E),
                (float) Math.log1p(1 / Math.E), 100f, (float) Math.exp(-100)}, within(1e-7f));
        assertThat(y[4]).isPositive();
        // softplus(-x) = -log(sigmoid(x)), the form BPR trains with.
        assertThat(Ops.softplus(Tensor.of(new float[] {-3f}, 1)).item())
                .isCloseTo((float) -Math.log(1 / (1 + Math.exp(-3))), within(1e-7f));
    }

    @Property(tries = 25)
    void tanhGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.tanh(in.get(0)),
                List.of(RandomTensors.uniform(rng, -2f, 2f, RandomTensors.shape(rng, 1, 3, 5))), seed);
    }

    @Property(tries = 25)
    void softmaxGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.softmax(in.get(0)),
                List.of(RandomTensors.uniform(rng, -3f, 3f, RandomTensors.shape(rng, 1, 3, 5))), seed);
    }

    @Property(tries = 25)
    void logSoftmaxGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.logSoftmax(in.get(0)),
                List.of(RandomTensors.uniform(rng, -3f, 3f, RandomTensors.shape(rng, 1, 3, 5))), seed);
    }

    @Property(tries = 25)
    void softmaxRowsArePositiveAndSumToOne(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, -50f, 50f, RandomTensors.shape(rng, 1, 3, 6));
        float[] y = Ops.softmax(x).data();
        int d = x.dim(-1);
        for (int base = 0; base < y.length; base += d) {
            double total = 0;
            for (int j = base; j < base + d; j++) {
                assertThat(y[j]).isBetween(0f, 1f);
                total += y[j];
            }
            assertThat(total).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void softmaxOfOneTwoThree() {
        // exp(k) / (e + e^2 + e^3) for k = 1, 2, 3.
        assertThat(Ops.softmax(Tensor.of(new float[] {1f, 2f, 3f}, 3)).data())
                .containsExactly(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, within(1e-7f));
    }

    @Test
    void softmaxWorksRowByRowAndIgnoresAShift() {
        Tensor x = Tensor.of(new float[][] {{1f, 2f, 3f}, {1001f, 1002f, 1003f}});
        float[] y = Ops.softmax(x).data();
        for (int j = 0; j < 3; j++) {
            assertThat(y[3 + j]).isCloseTo(y[j], within(1e-6f));
        }
    }

    @Test
    void logSoftmaxOfLargeLogitsIsFiniteAndExact() {
        // log(1 + e) = 1.3132616875...; the row maximum cancels exactly.
        float[] y = Ops.logSoftmax(Tensor.of(new float[] {1000f, 1001f}, 2)).data();
        assertThat(y).containsExactly(new float[] {-1.3132617f, -0.31326169f}, within(1e-6f));
    }

    @Test
    void logSoftmaxOfOneTwoThree() {
        float[] y = Ops.logSoftmax(Tensor.of(new float[] {1f, 2f, 3f}, 3)).data();
        assertThat(y).containsExactly(new float[] {-2.4076059f, -1.4076059f, -0.40760596f}, within(1e-6f));
    }

    @Test
    void sigmoidValuesAndSaturation() {
        float[] y = Ops.sigmoid(Tensor.of(new float[] {0f, 2f, -2f, 100f, -100f, 1000f, -1000f}, 7)).data();
        assertThat(y[0]).isEqualTo(0.5f);
        assertThat(y[1]).isCloseTo(0.880797078f, within(1e-7f));
        assertThat(y[2]).isCloseTo(0.119202922f, within(1e-7f));
        assertThat(y[3]).isEqualTo(1f);
        assertThat(y[4]).isBetween(0f, 1e-40f);
        assertThat(y[5]).isEqualTo(1f);
        assertThat(y[6]).isEqualTo(0f);
        for (float v : y) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void tanhAndReluValues() {
        assertThat(Ops.tanh(Tensor.of(new float[] {0f, 0.5f, -20f}, 3)).data())
                .containsExactly(new float[] {0f, 0.46211716f, -1f}, within(1e-7f));
        assertThat(Ops.relu(Tensor.of(new float[] {-1.5f, 0f, 2.5f}, 3)).data()).containsExactly(0f, 0f, 2.5f);
    }

    @Test
    void softmaxBackwardOfAConstantUpstreamIsZero() {
        // The outputs of a row always sum to 1, so their common shift has no gradient.
        Tensor x = Tensor.of(new float[] {0.3f, -1f, 2f}, 3).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.softmax(x)));
        }
        assertThat(x.grad()).containsExactly(new float[] {0f, 0f, 0f}, within(1e-7f));
    }

    @Test
    void softmaxNeedsAnAxis() {
        assertThatThrownBy(() -> Ops.softmax(Tensor.scalar(1f)))
                .hasMessage("softmax: []: expected a tensor with a non-empty last axis");
        assertThatThrownBy(() -> Ops.logSoftmax(Tensor.zeros(4, 0)))
                .hasMessage("logSoftmax: [4, 0]: expected a tensor with a non-empty last axis");
    }
}
