package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Backward rules hand the output's gradient on to an input ({@link Tensor#addToGrad}) instead of
 * adding it into a fresh buffer. That must never let two tensors share one gradient array, nor
 * lose a contribution when a tensor is used more than once; these graphs use tensors twice,
 * through ops that hand gradients on, and are checked by finite differences and by hand.
 */
class GradientHandOverTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 20)
    void aTensorUsedTwiceGetsBothContributions(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = RandomTensors.awayFrom(RandomTensors.uniform(rng, 3, 4), 0f, 0.05f);
        Tensor b = RandomTensors.uniform(rng, 0.5f, 2f, 3, 4);
        check.check(in -> Ops.add(Ops.relu(in.get(0)), Ops.square(in.get(0))), List.of(a), seed);
        check.check(in -> Ops.mul(in.get(0), in.get(0)), List.of(a), seed);
        check.check(in -> Ops.sub(in.get(0), in.get(0)), List.of(a), seed);
        check.check(in -> Ops.div(Ops.exp(in.get(0)), in.get(0)), List.of(b), seed);
        check.check(in -> Ops.concat(-1, in.get(0), Ops.scale(in.get(0), 2f), in.get(1)), List.of(a, b), seed);
        check.check(in -> Ops.add(Ops.reshape(in.get(0), 12), Ops.reshape(Ops.tanh(in.get(0)), 12)), List.of(a), seed);
        check.check(in -> Ops.mul(Ops.sigmoid(in.get(0)), Ops.addScalar(in.get(0), 1f)), List.of(a), seed);
        check.check(in -> Ops.sub(Ops.sqrt(in.get(0)), Ops.log(in.get(0))), List.of(b), seed);
    }

    @Test
    void twoOperandsOfAnAddNeverShareAGradientArray() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {4, 5, 6}, 3).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.mul(Ops.add(a, b), Tensor.of(new float[] {1, 10, 100}, 3))));
        }
        assertThat(a.grad()).isNotSameAs(b.grad());
        a.grad()[0] = 99f;
        assertThat(b.grad()).containsExactly(1f, 10f, 100f);
    }

    @Test
    void aGradientHandedToALeafKeepsAccumulatingOverSteps() {
        Tensor w = Tensor.of(new float[] {1, -2}, 2).requiresGrad(true);
        for (int step = 1; step <= 3; step++) {
            try (GradientTape tape = GradientTape.open()) {
                tape.backward(Ops.sum(Ops.scale(Ops.reshape(w, 2, 1), 3f)));
            }
            assertThat(w.grad()).containsExactly(3f * step, 3f * step);
        }
        w.zeroGrad();
        assertThat(w.grad()).containsExactly(0f, 0f);
    }

    @Test
    void aHandedOnGradientMustFitTheTensor() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).addToGrad(new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradient of 5 values for a tensor of shape [2, 3] (6 values)");
    }
}
