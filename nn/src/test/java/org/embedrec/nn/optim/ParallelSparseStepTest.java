package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.embedrec.nn.optim.OptimTesting.denseTable;
import static org.embedrec.nn.optim.OptimTesting.sparseTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sparse step over more values than {@link ElementwiseOptimizer#PARALLEL_MIN_VALUES}, in tables
 * of three widths (64, 1 and 5: many chunks, one, one) updated in one loop split over two
 * threads, against the dense step of the same gradients on one: the touched rows agree bit for
 * bit through several steps (an overlapping or skipped chunk, or a row of the wrong table, would
 * not), the others keep their values. The rows are scattered over the tables, as a batch's users are.
 */
class ParallelSparseStepTest {
    private static final int ROWS = 4000;
    private static final int[] WIDTHS = {64, 1, 5};
    private static final int TOUCHED = 401;
    private final int threadsBefore = Parallel.threads();

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoThreadsOverManyRowsGiveTheDenseStepsBits(OptimizerCase c) {
        assertThat(TOUCHED * (64 + 1 + 5)).isGreaterThan(ElementwiseOptimizer.PARALLEL_MIN_VALUES);
        Rng rng = new Rng(7);
        int tables = WIDTHS.length;
        float[][] initial = new float[tables][];
        List<Parameter> sparse = new ArrayList<>();
        List<Parameter> dense = new ArrayList<>();
        for (int k = 0; k < tables; k++) {
            initial[k] = new float[ROWS * WIDTHS[k]];
            for (int i = 0; i < initial[k].length; i++) {
                initial[k][i] = rng.uniform(-1f, 1f);
            }
            sparse.add(sparseTable("table" + k, ROWS, WIDTHS[k], initial[k].clone()));
            dense.add(denseTable("table" + k, ROWS, WIDTHS[k], initial[k].clone()));
        }
        ElementwiseOptimizer onSparse = c.create();
        ElementwiseOptimizer onDense = c.create();
        // The same scattered rows every step (rows the dense step leaves at zero gradient would move
        // under momentum or decay there and not here); fresh gradients each step.
        int[][] rows = new int[tables][];
        for (int k = 0; k < tables; k++) {
            rows[k] = Arrays.copyOf(rng.permutation(ROWS), TOUCHED);
        }
        for (int step = 0; step < 3; step++) {
            for (int k = 0; k < tables; k++) {
                int width = WIDTHS[k];
                sparse.get(k).zeroGrad();
                dense.get(k).value().gradBuffer();
                dense.get(k).zeroGrad();
                float[] d = dense.get(k).value().gradBuffer();
                for (int r : rows[k]) {
                    float[] g = new float[width];
                    for (int j = 0; j < width; j++) {
                        g[j] = rng.uniform(-1f, 1f);
                        d[r * width + j] = g[j];
                    }
                    sparse.get(k).value().rowGradient().accumulate(r, g, 0);
                }
            }
            Parallel.setThreads(2);
            onSparse.step(sparse);
            Parallel.setThreads(1);
            onDense.step(dense);
            for (int k = 0; k < tables; k++) {
                int width = WIDTHS[k];
                float[] s = sparse.get(k).value().data();
                float[] e = dense.get(k).value().data();
                for (int r : rows[k]) {
                    assertThat(Arrays.copyOfRange(s, r * width, (r + 1) * width))
                            .as("step %d, table %d, row %d", step, k, r)
                            .containsExactly(Arrays.copyOfRange(e, r * width, (r + 1) * width));
                }
            }
        }
        for (int k = 0; k < tables; k++) {
            int width = WIDTHS[k];
            boolean[] touched = new boolean[ROWS];
            for (int r : rows[k]) {
                touched[r] = true;
            }
            float[] s = sparse.get(k).value().data();
            for (int r = 0; r < ROWS; r++) {
                if (!touched[r]) {
                    assertThat(Arrays.copyOfRange(s, r * width, (r + 1) * width)).as("table %d, untouched row %d", k, r)
                            .containsExactly(Arrays.copyOfRange(initial[k], r * width, (r + 1) * width));
                }
            }
        }
    }
}
