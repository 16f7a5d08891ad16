package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

/**
 * exp, log, square, sqrt, scale, addScalar and clamp: gradient checks with the default
 * {@link GradientCheck} tolerances (step 1e-2, atol 2e-3, rtol 2e-2) over random shapes of rank
 * 1 to 3; log and sqrt on inputs in [0.5, 2] (well away from their pole at 0), clamp on inputs
 * kept 0.05 away from its bounds. Plus hand-computed values.
 */
class MathOpsTest {
    private final GradientCheck check = new GradientCheck();

    private static Tensor input(Rng rng, float lo, float hi) {
        return RandomTensors.uniform(rng, lo, hi, RandomTensors.shape(rng, 1, 3, 5));
    }

    @Property(tries = 20)
    void expGradient(@ForAll long seed) {
        check.check(in -> Ops.exp(in.get(0)), List.of(input(new Rng(seed), -2f, 2f)), seed);
    }

    @Property(tries = 20)
    void logGradient(@ForAll long seed) {
        check.check(in -> Ops.log(in.get(0)), List.of(input(new Rng(seed), 0.5f, 2f)), seed);
    }

    @Property(tries = 20)
    void squareGradient(@ForAll long seed) {
        check.check(in -> Ops.square(in.get(0)), List.of(input(new Rng(seed), -2f, 2f)), seed);
    }

    @Property(tries = 20)
    void sqrtGradient(@ForAll long seed) {
        check.check(in -> Ops.sqrt(in.get(0)), List.of(input(new Rng(seed), 0.5f, 2f)), seed);
    }

    @Property(tries = 20)
    void scaleGradient(@ForAll @FloatRange(min = -3f, max = 3f) float c, @ForAll long seed) {
        check.check(in -> Ops.scale(in.get(0), c), List.of(input(new Rng(seed), -1f, 1f)), seed);
    }

    @Property(tries = 20)
    void addScalarGradient(@ForAll @FloatRange(min = -3f, max = 3f) float c, @ForAll long seed) {
        check.check(in -> Ops.addScalar(in.get(0), c), List.of(input(new Rng(seed), -1f, 1f)), seed);
    }

    @Property(tries = 20)
    void clampGradient(@ForAll long seed) {
        Tensor x = input(new Rng(seed), -1f, 1f);
        RandomTensors.awayFrom(x, -0.4f, 0.05f);
        RandomTensors.awayFrom(x, 0.3f, 0.05f);
        check.check(in -> Ops.clamp(in.get(0), -0.4f, 0.3f), List.of(x), seed);
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.of(new float[] {0f, 1f, 4f}, 3);
        assertThat(Ops.exp(x).data()).containsExactly(new float[] {1f, 2.7182817f, 54.59815f}, within(1e-5f));
        assertThat(Ops.log(Tensor.of(new float[] {1f, 2.7182817f, 0.5f}, 3)).data())
                .containsExactly(new float[] {0f, 1f, -0.6931472f}, within(1e-6f));
        assertThat(Ops.square(Tensor.of(new float[] {-3f, 0.5f}, 2)).data()).containsExactly(9f, 0.25f);
        assertThat(Ops.sqrt(x).data()).containsExactly(0f, 1f, 2f);
        assertThat(Ops.scale(x, -0.5f).data()).containsExactly(-0f, -0.5f, -2f);
        assertThat(Ops.addScalar(x, 1.5f).data()).containsExactly(1.5f, 2.5f, 5.5f);
        assertThat(Ops.clamp(Tensor.of(new float[] {-2f, 0.2f, 3f}, 3), -1f, 1f).data())
                .containsExactly(-1f, 0.2f, 1f);
    }

    @Test
    void logOfZeroIsMinusInfinityAndItsGradientInfinite() {
        Tensor x = Tensor.of(new float[] {0f}, 1).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            Tensor y = Ops.log(x);
            assertThat(y.item()).isEqualTo(Float.NEGATIVE_INFINITY);
            tape.backward(Ops.sum(y));
        }
        assertThat(x.grad()[0]).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void clampPassesNoGradientAtOrBeyondItsBounds() {
        Tensor x = Tensor.of(new float[] {-2f, -1f, 0f, 1f, 2f}, 5).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.clamp(x, -1f, 1f)));
        }
        assertThat(x.grad()).containsExactly(0f, 0f, 1f, 0f, 0f);
    }

    @Test
    void shapesArePreserved() {
        Tensor x = Tensor.full(2f, 2, 3, 1);
        assertThat(Ops.exp(x).shape()).containsExactly(2, 3, 1);
        assertThat(Ops.scale(x, 3f).shape()).containsExactly(2, 3, 1);
        assertThat(Ops.square(Tensor.scalar(3f)).item()).isEqualTo(9f);
    }

    @Test
    void clampRejectsUnorderedBounds() {
        assertThatThrownBy(() -> Ops.clamp(Tensor.zeros(2, 3), 1f, -1f))
                .hasMessage("clamp: [2, 3]: bounds [1.0, -1.0] are not ordered, expected lo <= hi");
        assertThatThrownBy(() -> Ops.clamp(Tensor.zeros(2), Float.NaN, 1f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
