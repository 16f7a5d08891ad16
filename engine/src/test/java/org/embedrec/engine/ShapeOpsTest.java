package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * reshape, concat and slice: gradient checks with the default {@link GradientCheck}
 * tolerances over random shapes of rank 1 to 4 and every axis; -1 inference, values moved to
 * the right places, and errors naming the shapes.
 */
class ShapeOpsTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 20)
    void reshapeGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 4, 4);
        Tensor x = RandomTensors.uniform(rng, shape);
        // Square then reshape so that the upstream gradient differs per element.
        check.check(in -> Ops.reshape(Ops.square(in.get(0)), -1), List.of(x), seed);
        check.check(in -> Ops.reshape(in.get(0), x.size(), 1), List.of(x), seed);
    }

    @Property(tries = 25)
    void concatGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 4, 3);
        int axis = rng.nextInt(2 * shape.length) - shape.length;
        int count = 1 + rng.nextInt(3);
        List<Tensor> parts = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int[] s = shape.clone();
            s[Math.floorMod(axis, shape.length)] = 1 + rng.nextInt(3);
            parts.add(RandomTensors.uniform(rng, s));
        }
        // The middle part is held constant when there are three, to cover mixed inputs.
        if (count == 3) {
            parts.get(1).requiresGrad(false);
        }
        check.check(in -> Ops.concat(axis, in.toArray(new Tensor[0])), parts, seed);
    }

    @Property(tries = 25)
    void sliceGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 4, 4);
        int axis = rng.nextInt(shape.length);
        int start = rng.nextInt(shape[axis]);
        int end = start + 1 + rng.nextInt(shape[axis] - start);
        check.check(in -> Ops.slice(in.get(0), axis, start, end), List.of(RandomTensors.uniform(rng, shape)), seed);
    }

    @Property(tries = 25)
    void slicesConcatenateBackToTheWhole(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 4, 4);
        int axis = rng.nextInt(shape.length);
        int cut = rng.nextInt(shape[axis] + 1);
        Tensor x = RandomTensors.uniform(rng, shape);
        Tensor back = Ops.concat(axis, Ops.slice(x, axis, 0, cut), Ops.slice(x, axis, cut, shape[axis]));
        assertThat(back.shape()).containsExactly(shape);
        assertThat(back.data()).containsExactly(x.data());
    }

    @Test
    void reshapeInfersTheMinusOneDimension() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThat(Ops.reshape(x, -1, 4).shape()).containsExactly(6, 4);
        assertThat(Ops.reshape(x, 2, -1).shape()).containsExactly(2, 12);
        assertThat(Ops.reshape(x, -1).shape()).containsExactly(24);
        assertThat(Ops.reshape(x, 4, 1, -1, 3).shape()).containsExactly(4, 1, 2, 3);
        assertThat(Ops.reshape(Tensor.scalar(5f), 1, -1).shape()).containsExactly(1, 1);
        assertThat(Ops.reshape(Tensor.zeros(1, 1)).shape()).isEmpty();
    }

    @Test
    void reshapeSharesTheData() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2);
        Tensor y = Ops.reshape(x, 4);
        assertThat(y.data()).isSameAs(x.data());
    }

    @Test
    void reshapeErrorsNameBothShapes() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> Ops.reshape(x, 4, 2))
                .hasMessage("reshape: [2, 3] to [4, 2]: 6 elements cannot take a shape of 8");
        assertThatThrownBy(() -> Ops.reshape(x, 4, -1))
                .hasMessage("reshape: [2, 3] to [4, -1]: 6 elements do not divide into rows of 4");
        assertThatThrownBy(() -> Ops.reshape(x, -1, -1))
                .hasMessage("reshape: [2, 3] to [-1, -1]: only one dimension may be -1");
        assertThatThrownBy(() -> Ops.reshape(x, -2, 3))
                .hasMessage("reshape: [2, 3] to [-2, 3]: dimension 0 is -2, expected a size or -1");
    }

    @Test
    void concatAlongEachAxis() {
        Tensor a = Tensor.of(new float[][] {{1f, 2f}, {3f, 4f}});
        Tensor b = Tensor.of(new float[][] {{5f}, {6f}});
        Tensor c = Tensor.of(new float[][] {{7f, 8f}});
        Tensor byColumns = Ops.concat(1, a, b);
        assertThat(byColumns.shape()).containsExactly(2, 3);
        assertThat(byColumns.data()).containsExactly(1f, 2f, 5f, 3f, 4f, 6f);
        Tensor byRows = Ops.concat(0, a, c);
        assertThat(byRows.shape()).containsExactly(3, 2);
        assertThat(byRows.data()).containsExactly(1f, 2f, 3f, 4f, 7f, 8f);
        assertThat(Ops.concat(-1, a, b).data()).containsExactly(byColumns.data());
    }

    @Test
    void concatRoutesEachInputsGradientBack() {
        Tensor a = Tensor.of(new float[] {1f, 2f}, 1, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3f}, 1, 1).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            Tensor weights = Tensor.of(new float[] {10f, 20f, 30f}, 1, 3);
            tape.backward(Ops.sum(Ops.mul(Ops.concat(1, a, b), weights)));
        }
        assertThat(a.grad()).containsExactly(10f, 20f);
        assertThat(b.grad()).containsExactly(30f);
    }

    @Test
    void concatErrorsNameTheMismatch() {
        assertThatThrownBy(() -> Ops.concat(1, Tensor.zeros(2, 3), Tensor.zeros(4, 1)))
                .hasMessage("concat along axis 1: tensor 1 has shape [4, 1], tensor 0 has [2, 3]:"
                        + " all dimensions but axis 1 must agree");
        assertThatThrownBy(() -> Ops.concat(0, Tensor.zeros(2, 3), Tensor.zeros(3)))
                .hasMessageContaining("tensor 1 has shape [3]");
        assertThatThrownBy(() -> Ops.concat(2, Tensor.zeros(2, 3)))
                .hasMessage("concat: [2, 3]: axis 2 is out of range for rank 2");
        assertThatThrownBy(() -> Ops.concat(0)).hasMessage("concat: expected at least one tensor, got none");
    }

    @Test
    void sliceTakesARangeAlongAnAxis() {
        Tensor x = Tensor.of(new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}});
        Tensor cols = Ops.slice(x, 1, 1, 3);
        assertThat(cols.shape()).containsExactly(2, 2);
        assertThat(cols.data()).containsExactly(2f, 3f, 5f, 6f);
        assertThat(Ops.slice(x, 0, 1, 2).data()).containsExactly(4f, 5f, 6f);
        assertThat(Ops.slice(x, -1, 2, 2).shape()).containsExactly(2, 0);
    }

    @Test
    void sliceRejectsRangesOutsideTheAxis() {
        assertThatThrownBy(() -> Ops.slice(Tensor.zeros(2, 3), 1, 1, 4))
                .hasMessage("slice: [2, 3] along axis 1: range [1, 4) is not within [0, 3]");
        assertThatThrownBy(() -> Ops.slice(Tensor.zeros(2, 3), 0, 2, 1))
                .hasMessage("slice: [2, 3] along axis 0: range [2, 1) is not within [0, 2]");
    }
}
