package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * matmul with each combination of transposes, batchedMatmul, transpose and dot: gradient
 * checks with the default {@link GradientCheck} tolerances (step 1e-2, atol 2e-3, rtol 2e-2)
 * over random sizes 1 to 5, agreement with products of explicit transposes, hand-computed
 * values and shape errors.
 */
class MatMulOpsTest {
    private final GradientCheck check = new GradientCheck();

    /** The stored shape of an operand whose op() is {@code rows x cols}. */
    private static int[] stored(boolean transposed, int rows, int cols) {
        return transposed ? new int[] {cols, rows} : new int[] {rows, cols};
    }

    @Property(tries = 30)
    void transposedMatmulGradient(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int k,
                                  @ForAll @IntRange(min = 1, max = 5) int n, @ForAll boolean transA,
                                  @ForAll boolean transB, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = RandomTensors.uniform(rng, stored(transA, m, k));
        Tensor b = RandomTensors.uniform(rng, stored(transB, k, n));
        check.check(in -> Ops.matmul(in.get(0), in.get(1), transA, transB), List.of(a, b), seed);
    }

    @Property(tries = 30)
    void batchedMatmulGradient(@ForAll @IntRange(min = 1, max = 3) int batch,
                               @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
                               @ForAll @IntRange(min = 1, max = 4) int n, @ForAll boolean transA,
                               @ForAll boolean transB, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] sa = stored(transA, m, k);
        int[] sb = stored(transB, k, n);
        Tensor a = RandomTensors.uniform(rng, batch, sa[0], sa[1]);
        Tensor b = RandomTensors.uniform(rng, batch, sb[0], sb[1]);
        check.check(in -> Ops.batchedMatmul(in.get(0), in.get(1), transA, transB), List.of(a, b), seed);
    }

    @Property(tries = 20)
    void transposeGradient(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 6) int n,
                           @ForAll long seed) {
        check.check(in -> Ops.transpose(in.get(0)), List.of(RandomTensors.uniform(new Rng(seed), m, n)), seed);
    }

    @Property(tries = 25)
    void dotGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 3, 5);
        Tensor a = RandomTensors.uniform(rng, shape);
        Tensor b = RandomTensors.uniform(rng, shape);
        check.check(in -> Ops.dot(in.get(0), in.get(1)), List.of(a, b), seed);
        // The same tensor on both sides receives both contributions.
        check.check(in -> Ops.dot(in.get(0), in.get(0)), List.of(a), seed);
    }

    @Property(tries = 25)
    void transposeFlagsEqualExplicitTransposes(@ForAll @IntRange(min = 1, max = 7) int m,
                                               @ForAll @IntRange(min = 1, max = 7) int k,
                                               @ForAll @IntRange(min = 1, max = 7) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = RandomTensors.uniform(rng, m, k);
        Tensor b = RandomTensors.uniform(rng, k, n);
        float[] expected = Ops.matmul(a, b).data();
        Tensor at = Ops.transpose(a);
        Tensor bt = Ops.transpose(b);
        assertThat(Ops.matmul(at, b, true, false).data()).containsExactly(expected, within(1e-5f));
        assertThat(Ops.matmul(a, bt, false, true).data()).containsExactly(expected, within(1e-5f));
        assertThat(Ops.matmul(at, bt, true, true).data()).containsExactly(expected, within(1e-5f));
        Tensor batched = Ops.batchedMatmul(Ops.reshape(at, 1, k, m), Ops.reshape(b, 1, k, n), true, false);
        assertThat(batched.shape()).containsExactly(1, m, n);
        assertThat(batched.data()).containsExactly(expected, within(1e-5f));
    }

    @Test
    void handComputedProducts() {
        Tensor a = Tensor.of(new float[][] {{1f, 2f}, {3f, 4f}});
        Tensor b = Tensor.of(new float[][] {{5f, 6f}, {7f, 8f}});
        assertThat(Ops.matmul(a, b, true, false).data()).containsExactly(26f, 30f, 38f, 44f);
        assertThat(Ops.matmul(a, b, false, true).data()).containsExactly(17f, 23f, 39f, 53f);
        assertThat(Ops.transpose(Tensor.of(new float[][] {{1f, 2f, 3f}})).shape()).containsExactly(3, 1);
        Tensor batchA = Tensor.of(new float[] {1f, 2f, 3f, 4f, 1f, 0f, 0f, 1f}, 2, 2, 2);
        Tensor batchB = Tensor.of(new float[] {5f, 6f, 7f, 8f, 5f, 6f, 7f, 8f}, 2, 2, 2);
        assertThat(Ops.batchedMatmul(batchA, batchB, false, false).data())
                .containsExactly(19f, 22f, 43f, 50f, 5f, 6f, 7f, 8f);
        Tensor dots = Ops.dot(Tensor.of(new float[][] {{1f, 2f, 3f}, {0f, -1f, 2f}}),
                Tensor.of(new float[][] {{4f, 5f, 6f}, {1f, 1f, 1f}}));
        assertThat(dots.shape()).containsExactly(2);
        assertThat(dots.data()).containsExactly(32f, 1f);
        assertThat(Ops.dot(Tensor.of(new float[] {3f, 4f}, 2), Tensor.of(new float[] {3f, 4f}, 2)).item())
                .isEqualTo(25f);
    }

    @Test
    void shapeErrorsNameOperandsAndTransposes() {
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(32, 64), Tensor.zeros(32, 16), false, false))
                .hasMessage("matmul: [32, 64] x [32, 16]: inner dimensions 64 and 32 differ");
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(32, 64), Tensor.zeros(32, 16), true, true))
                .hasMessage("matmul: [32, 64]^T x [32, 16]^T: inner dimensions 32 and 16 differ");
        assertThatThrownBy(() -> Ops.matmul(Tensor.zeros(3), Tensor.zeros(3, 1), false, false))
                .hasMessage("matmul: [3] x [3, 1]: both operands must be 2-D");
        assertThatThrownBy(() -> Ops.batchedMatmul(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5), false, false))
                .hasMessage("batchedMatmul: [2, 3, 4] x [3, 4, 5]: batch sizes 2 and 3 differ");
        assertThatThrownBy(() -> Ops.batchedMatmul(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 4), false, false))
                .hasMessage("batchedMatmul: [2, 3, 4] x [2, 5, 4]: inner dimensions 4 and 5 differ");
        assertThatThrownBy(() -> Ops.batchedMatmul(Tensor.zeros(3, 4), Tensor.zeros(4, 5), false, false))
                .hasMessage("batchedMatmul: [3, 4] x [4, 5]: both operands must be 3-D [batch, rows, columns]");
        assertThatThrownBy(() -> Ops.transpose(Tensor.zeros(2, 3, 4)))
                .hasMessage("transpose: [2, 3, 4]: expected a 2-D tensor");
        assertThatThrownBy(() -> Ops.dot(Tensor.zeros(2, 3), Tensor.zeros(2, 4)))
                .hasMessage("dot: [2, 3] . [2, 4]: expected equal shapes of rank at least 1");
    }
}
