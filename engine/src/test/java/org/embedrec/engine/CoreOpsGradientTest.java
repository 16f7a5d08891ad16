package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CoreOpsGradientTest {
    private final GradientCheck check = new GradientCheck();

    static Tensor random(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(-1f, 1f);
        }
        return t.requiresGrad(true);
    }

    @Property(tries = 30)
    void matmulGradient(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 6) int k,
                        @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        check.check(in -> Ops.matmul(in.get(0), in.get(1)), List.of(random(rng, m, k), random(rng, k, n)), seed);
    }

    @Property(tries = 30)
    void broadcastArithmeticGradients(@ForAll @IntRange(min = 1, max = 4) int rows,
                                      @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = random(rng, rows, cols);
        Tensor b = random(rng, cols);
        // Keep the divisor away from zero so the finite difference is well conditioned.
        for (int i = 0; i < b.size(); i++) {
            b.data()[i] = b.data()[i] >= 0 ? b.data()[i] + 0.5f : b.data()[i] - 0.5f;
        }
        check.check(in -> Ops.add(in.get(0), in.get(1)), List.of(a, b), seed);
        check.check(in -> Ops.sub(in.get(1), in.get(0)), List.of(a, b), seed);
        check.check(in -> Ops.mul(in.get(0), in.get(1)), List.of(a, b), seed);
        check.check(in -> Ops.div(in.get(0), in.get(1)), List.of(a, b), seed);
    }

    @Property(tries = 30)
    void lastAxisBroadcastGradients(@ForAll @IntRange(min = 1, max = 3) int lead,
                                    @ForAll @IntRange(min = 1, max = 4) int rows,
                                    @ForAll @IntRange(min = 2, max = 5) int cols, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor full = random(rng, lead, rows, cols);
        Tensor column = random(rng, lead, rows, 1);
        for (int i = 0; i < column.size(); i++) {
            column.data()[i] = column.data()[i] >= 0 ? column.data()[i] + 0.5f : column.data()[i] - 0.5f;
        }
        check.check(in -> Ops.add(in.get(0), in.get(1)), List.of(full, column), seed);
        check.check(in -> Ops.sub(in.get(0), in.get(1)), List.of(full, column), seed);
        check.check(in -> Ops.sub(in.get(1), in.get(0)), List.of(full, column), seed);
        check.check(in -> Ops.mul(in.get(1), in.get(0)), List.of(full, column), seed);
        check.check(in -> Ops.div(in.get(0), in.get(1)), List.of(full, column), seed);
    }

    @Test
    void aColumnRepeatsAlongTheLastAxis() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor mean = Tensor.of(new float[] {2, 5}, 2, 1);
        assertThat(Ops.sub(x, mean).data()).containsExactly(-1, 0, 1, -1, 0, 1);
        assertThat(Ops.div(mean, x).shape()).containsExactly(2, 3);
        assertThat(Ops.div(mean, x).data()).containsExactly(2f, 1f, 2f / 3, 1.25f, 1f, 5f / 6);
    }

    @Test
    void shapesThatDoNotBroadcastAreNamed() {
        assertThatThrownBy(() -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(3, 1)))
                .hasMessage("add: [2, 3] and [3, 1] do not broadcast (one shape must end with the other, "
                        + "or equal it but for a last dimension of 1)");
        assertThatThrownBy(() -> Ops.mul(Tensor.zeros(2), Tensor.zeros(2, 1)))
                .hasMessageStartingWith("mul: [2] and [2, 1] do not broadcast");
    }

    @Test
    void gatherEqualsOneHotProduct() {
        Tensor table = Tensor.of(new float[][] {
                {.21f, .41f, .51f, .11f}, {.22f, .42f, .52f, .12f},
                {.23f, .43f, .53f, .13f}, {.24f, .44f, .54f, .14f}});
        int[] ids = {2, 3, 1, 0};
        Tensor oneHot = Tensor.zeros(4, 4);
        for (int i = 0; i < ids.length; i++) {
            oneHot.set(1f, i, ids[i]);
        }
        assertThat(Ops.gatherRows(table, ids).data()).containsExactly(Ops.matmul(oneHot, table).data());
    }

    @Test
    void sparseTableGradientHoldsOnlyTouchedRows() {
        Tensor table = Tensor.full(1f, 1000, 3).requiresGrad(true).sparseGradient(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.gatherRows(table, new int[] {7, 3, 7})));
        }
        RowSparseGradient g = table.rowGradient();
        assertThat(g.rowCount()).isEqualTo(2);
        assertThat(g.row(0)).isEqualTo(7);
        assertThat(g.row(1)).isEqualTo(3);
        assertThat(java.util.Arrays.copyOf(g.values(), 6)).containsExactly(2f, 2f, 2f, 1f, 1f, 1f);
        assertThat(table.grad()).isNull();
    }

    @Test
    void matmulNamesBothShapesWhenInnerDimensionsDiffer() {
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(32, 64), Tensor.zeros(32, 16)))
                .hasMessage("matmul: [32, 64] x [32, 16]: inner dimensions 64 and 32 differ");
    }

    @Test
    void nothingIsRecordedWithoutATape() {
        Tensor a = Tensor.full(2f, 3).requiresGrad(true);
        Tensor out = Ops.relu(a);
        assertThat(out.requiresGrad()).isFalse();
    }

    @Test
    void gradientsAccumulateWhenATensorIsUsedTwice() {
        Tensor a = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.mul(a, a)));
        }
        assertThat(a.grad()).containsExactly(2f, -4f);
    }
}
