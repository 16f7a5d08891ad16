package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The fused cross-entropies: gradient checks with the default {@link GradientCheck}
 * tolerances (step 1e-2, atol 2e-3, rtol 2e-2), agreement with the unfused composition on
 * moderate logits, finite values and gradients on extreme logits, and label errors.
 */
class LossOpsTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 25)
    void sigmoidCrossEntropyGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 3, 5);
        Tensor logits = RandomTensors.uniform(rng, -4f, 4f, shape);
        Tensor targets = RandomTensors.uniform(rng, 0f, 1f, shape);
        check.check(in -> Ops.sigmoidCrossEntropy(in.get(0), in.get(1)), List.of(logits, targets), seed);
    }

    @Property(tries = 25)
    void softmaxCrossEntropyGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 3, 5);
        int classes = shape[shape.length - 1];
        int[] labels = new int[Shape.size(shape) / classes];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(classes);
        }
        Tensor logits = RandomTensors.uniform(rng, -3f, 3f, shape);
        check.check(in -> Ops.softmaxCrossEntropy(in.get(0), labels), List.of(logits), seed);
    }

    @Property(tries = 20)
    void fusedFormsEqualTheirCompositions(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = RandomTensors.uniform(rng, -5f, 5f, 4, 3);
        Tensor targets = RandomTensors.uniform(rng, 0f, 1f, 4, 3);
        float[] fused = Ops.sigmoidCrossEntropy(logits, targets).data();
        float[] p = Ops.sigmoid(logits).data();
        for (int i = 0; i < p.length; i++) {
            float y = targets.data()[i];
            double expected = -(y * Math.log(p[i]) + (1 - y) * Math.log(1 - p[i]));
            assertThat((double) fused[i]).isCloseTo(expected, within(1e-4));
        }
        int[] labels = {0, 2, 1, 2};
        float[] ce = Ops.softmaxCrossEntropy(logits, labels).data();
        float[] logP = Ops.logSoftmax(logits).data();
        for (int r = 0; r < labels.length; r++) {
            assertThat(ce[r]).isCloseTo(-logP[r * 3 + labels[r]], within(1e-5f));
        }
    }

    @Test
    void handComputedValues() {
        // x = 0: log 2 whatever the target; x = 2, y = 1: log(1 + e^-2) = 0.126928.
        float[] bce = Ops.sigmoidCrossEntropy(Tensor.of(new float[] {0f, 2f, 2f}, 3),
                Tensor.of(new float[] {1f, 1f, 0f}, 3)).data();
        assertThat(bce).containsExactly(new float[] {0.6931472f, 0.12692805f, 2.126928f}, within(1e-6f));
        // logsumexp(1, 2, 3) = 3.4076059.
        Tensor ce = Ops.softmaxCrossEntropy(Tensor.of(new float[][] {{1f, 2f, 3f}, {1f, 2f, 3f}}), new int[] {2, 0});
        assertThat(ce.shape()).containsExactly(2);
        assertThat(ce.data()).containsExactly(new float[] {0.40760596f, 2.4076059f}, within(1e-6f));
    }

    @Test
    void extremeLogitsStayFinite() {
        Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 1e4f, -1e4f, 88f, -104f}, 6).requiresGrad(true);
        Tensor targets = Tensor.of(new float[] {1f, 0f, 0f, 1f, 0f, 1f}, 6);
        float[] loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.sigmoidCrossEntropy(logits, targets);
            loss = out.data().clone();
            tape.backward(Ops.sum(out));
        }
        assertThat(loss).containsExactly(new float[] {0f, 0f, 1e4f, 1e4f, 88f, 104f}, within(1e-3f));
        assertThat(logits.grad()).containsExactly(new float[] {0f, 0f, 1f, -1f, 1f, -1f}, within(1e-6f));

        Tensor wide = Tensor.of(new float[] {1e4f, -1e4f, 0f}, 1, 3).requiresGrad(true);
        float ce;
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = Ops.softmaxCrossEntropy(wide, new int[] {1});
            ce = out.item();
            tape.backward(Ops.sum(out));
        }
        assertThat(ce).isEqualTo(2e4f);
        assertThat(wide.grad()).containsExactly(new float[] {1f, -1f, 0f}, within(1e-6f));
    }

    @Test
    void errorsNameShapesAndLabels() {
        assertThatThrownBy(() -> Ops.sigmoidCrossEntropy(Tensor.zeros(4, 1), Tensor.zeros(4)))
                .hasMessage("sigmoidCrossEntropy: logits [4, 1] and targets [4]: expected equal shapes");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropy(Tensor.zeros(4, 3), new int[] {0, 1, 2}))
                .hasMessage("softmaxCrossEntropy: logits [4, 3] have 4 rows, got 3 labels");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}))
                .hasMessage("softmaxCrossEntropy: label 3 at position 1 is outside [0, 3)");
        assertThatThrownBy(() -> Ops.softmaxCrossEntropy(Tensor.scalar(0f), new int[] {0}))
                .hasMessage("softmaxCrossEntropy: []: expected a tensor with a non-empty last axis");
    }
}
