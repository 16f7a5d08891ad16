package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.addRowGrad;
import static org.embedrec.nn.optim.OptimTesting.denseTable;
import static org.embedrec.nn.optim.OptimTesting.row;
import static org.embedrec.nn.optim.OptimTesting.sparseTable;

import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse (lazy) path against the dense one: a table whose gradient is a set of rows, and
 * the same table with a dense gradient holding those rows and zeros elsewhere.
 */
class SparseStepTest {
    private static final int ROWS = 6;
    private static final int WIDTH = 3;

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    private final Rng rng = new Rng(42);
    private final float[] initial = randomValues(ROWS * WIDTH);
    private final Parameter sparse = sparseTable("table", ROWS, WIDTH, initial);
    private final Parameter dense = denseTable("table", ROWS, WIDTH, initial);

    /** Adds {@code g} to row {@code r} of both gradients. */
    private void touch(int r, float[] g) {
        addRowGrad(sparse, r, g);
        float[] d = dense.value().gradBuffer();
        for (int j = 0; j < WIDTH; j++) {
            d[r * WIDTH + j] += g[j];
        }
    }

    /** Touches {@code rows} (ascending, so both paths sum the clipping norm in one order). */
    private void touchRows(int... rows) {
        sparse.zeroGrad();
        dense.value().gradBuffer();
        dense.zeroGrad();
        for (int r : rows) {
            touch(r, randomValues(WIDTH));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstStepAgreesWithDenseOnTouchedRowsAndLeavesOthersAlone(OptimizerCase c) {
        ElementwiseOptimizer onSparse = c.create();
        ElementwiseOptimizer onDense = c.create();
        touchRows(1, 3, 3, 4);
        assertThat(sparse.value().rowGradient().rowCount()).as("duplicate ids coalesce").isEqualTo(3);

        onSparse.step(List.of(sparse));
        onDense.step(List.of(dense));

        for (int r : new int[] {1, 3, 4}) {
            assertThat(row(sparse, r)).as("touched row %d", r).containsExactly(row(dense, r));
            assertThat(row(sparse, r)).as("touched row %d moved", r).isNotEqualTo(rowOf(initial, r));
        }
        for (int r : new int[] {0, 2, 5}) {
            assertThat(row(sparse, r)).as("untouched row %d", r).containsExactly(rowOf(initial, r));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void laterStepsAreLazyOnUntouchedRows(OptimizerCase c) {
        ElementwiseOptimizer onSparse = c.create();
        ElementwiseOptimizer onDense = c.create();
        touchRows(1, 3, 4);
        onSparse.step(List.of(sparse));
        onDense.step(List.of(dense));
        float[] row1AfterFirstStep = row(sparse, 1);
        float[][] slotsOfRow1 = slotRows(onSparse, 1);

        for (int step = 0; step < 4; step++) {
            // Rows 3 and 4 are touched every step, row 1 never again, row 0 or 5 now and then.
            touchRows(step % 2 == 0 ? new int[] {0, 3, 4} : new int[] {3, 4, 5});
            onSparse.step(List.of(sparse));
            onDense.step(List.of(dense));
            for (int r : new int[] {3, 4}) {
                assertThat(row(sparse, r)).as("row %d touched in every step", r).containsExactly(row(dense, r));
            }
        }
        // Lazy: neither row 1 nor its slots changed after its last touch.
        assertThat(row(sparse, 1)).containsExactly(row1AfterFirstStep);
        float[][] slotsNow = slotRows(onSparse, 1);
        for (int k = 0; k < slotsNow.length; k++) {
            assertThat(slotsNow[k]).as("slot %d of row 1", k).containsExactly(slotsOfRow1[k]);
        }
        // Dense: a zero gradient still applies momentum, decays moments or weights.
        if (c.denseZeroGradientMoves()) {
            assertThat(row(dense, 1)).isNotEqualTo(row1AfterFirstStep);
        } else {
            assertThat(row(dense, 1)).containsExactly(row1AfterFirstStep);
        }
        assertThat(row(sparse, 2)).containsExactly(rowOf(initial, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void slotsAreAllocatedOnceAtTheTableSize(OptimizerCase c) {
        ElementwiseOptimizer opt = c.create();
        if (opt.slotInitialValues().length == 0) {
            return; // plain SGD keeps no state
        }
        assertThat(opt.slot(sparse, 0)).isNull();
        touchRows(2);
        opt.step(List.of(sparse));
        float[] first = opt.slot(sparse, 0);
        assertThat(first).hasSize(ROWS * WIDTH);
        touchRows(0, 5);
        opt.step(List.of(sparse));
        assertThat(opt.slot(sparse, 0)).isSameAs(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parametersWithoutGradientAreSkipped(OptimizerCase c) {
        ElementwiseOptimizer opt = c.create();
        Parameter untouched = denseTable("untouched", 2, 2, new float[] {1, 2, 3, 4});
        sparse.zeroGrad();
        opt.step(List.of(sparse, untouched));
        assertThat(sparse.value().data()).containsExactly(initial);
        assertThat(untouched.value().data()).containsExactly(1, 2, 3, 4);
        if (opt.slotInitialValues().length > 0) {
            assertThat(opt.slot(untouched, 0)).isNull();
        }
        assertThat(opt.iterations()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadStepChangesNothing(OptimizerCase c) {
        ElementwiseOptimizer opt = c.create();
        touchRows(1);
        addRowGrad(sparse, ROWS, new float[WIDTH]);
        assertThatThrownBy(() -> opt.step(List.of(sparse)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'table'").hasMessageContaining("row " + ROWS);
        assertThat(sparse.value().data()).containsExactly(initial);

        touchRows(1);
        assertThatThrownBy(() -> opt.step(List.of(sparse, sparse)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
        assertThat(sparse.value().data()).containsExactly(initial);
        assertThat(opt.iterations()).isZero();
    }

    private float[][] slotRows(ElementwiseOptimizer opt, int r) {
        int count = opt.slotInitialValues().length;
        float[][] out = new float[count][];
        for (int k = 0; k < count; k++) {
            out[k] = rowOf(opt.slot(sparse, k), r);
        }
        return out;
    }

    private static float[] rowOf(float[] table, int r) {
        float[] out = new float[WIDTH];
        System.arraycopy(table, r * WIDTH, out, 0, WIDTH);
        return out;
    }

    private float[] randomValues(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.uniform(-1f, 1f);
        }
        return v;
    }
}
