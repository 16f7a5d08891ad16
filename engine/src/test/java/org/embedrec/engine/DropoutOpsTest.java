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
 * Inverted dropout: a seed fixes the mask, about {@code rate} of the elements are zeroed, the
 * survivors are scaled by {@code 1 / (1 - rate)}, and the gradient goes through the same mask
 * (checked by finite differences with the default tolerances, redrawing the mask from the same
 * seed on every evaluation).
 */
class DropoutOpsTest {

    @Property(tries = 20)
    void gradientGoesThroughTheMask(@ForAll @FloatRange(min = 0f, max = 0.9f) float rate, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, RandomTensors.shape(rng, 1, 3, 6));
        new GradientCheck().check(in -> Ops.dropout(in.get(0), rate, new Rng(seed ^ 0x5EED)), List.of(x), seed);
    }

    @Test
    void theSameSeedGivesTheSameMask() {
        Tensor x = Tensor.full(1f, 1000);
        float[] first = Ops.dropout(x, 0.3f, new Rng(42)).data();
        float[] second = Ops.dropout(x, 0.3f, new Rng(42)).data();
        float[] other = Ops.dropout(x, 0.3f, new Rng(43)).data();
        assertThat(second).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aboutRateOfTheElementsAreZeroedAndTheRestScaled() {
        float rate = 0.25f;
        int n = 100_000;
        Tensor x = Tensor.full(2f, n);
        float[] y = Ops.dropout(x, rate, new Rng(7)).data();
        int zeros = 0;
        double total = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertThat(v).isEqualTo(2f / (1f - rate));
            }
            total += v;
        }
        // Binomial standard deviation sqrt(n p (1 - p)) is about 137; allow 5 of them.
        assertThat(zeros).isBetween(25_000 - 700, 25_000 + 700);
        assertThat(total / n).isCloseTo(2.0, within(0.02));
    }

    @Test
    void backwardUsesTheForwardMask() {
        Tensor x = Tensor.full(3f, 64).requiresGrad(true);
        float[] y;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.dropout(x, 0.5f, new Rng(1));
            y = out.data().clone();
            tape.backward(Ops.sum(out));
        }
        for (int i = 0; i < y.length; i++) {
            assertThat(x.grad()[i]).isEqualTo(y[i] == 0f ? 0f : 2f);
        }
    }

    @Test
    void rateZeroReturnsTheInput() {
        Tensor x = Tensor.full(1f, 3);
        assertThat(Ops.dropout(x, 0f, new Rng(1))).isSameAs(x);
    }

    @Test
    void rateOutsideTheUnitIntervalIsRejected() {
        assertThatThrownBy(() -> Ops.dropout(Tensor.zeros(2, 3), 1f, new Rng(1)))
                .hasMessage("dropout: [2, 3]: rate 1.0 is outside [0, 1)");
        assertThatThrownBy(() -> Ops.dropout(Tensor.zeros(2), -0.1f, new Rng(1)))
                .hasMessage("dropout: [2]: rate -0.1 is outside [0, 1)");
        assertThatThrownBy(() -> Ops.dropout(Tensor.zeros(2), Float.NaN, new Rng(1)))
                .hasMessage("dropout: [2]: rate NaN is outside [0, 1)");
    }
}
