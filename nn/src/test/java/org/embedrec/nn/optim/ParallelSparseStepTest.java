package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.embedrec.nn.optim.OptimTesting.denseTable;
import static org.embedrec.nn.optim.OptimTesting.sparseTable;

import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sparse step over more rows than {@link ElementwiseOptimizer#PARALLEL_MIN_ROWS}, split over
 * two threads, against the dense step of the same gradient on one: the touched rows agree bit
 * for bit through several steps (an overlapping or skipped chunk would not), the others keep
 * their values. The rows are scattered over the table, as a batch's users are.
 */
class ParallelSparseStepTest {
    private static final int ROWS = 4000;
    private static final int WIDTH = 5;
    private static final int TOUCHED = 3 * ElementwiseOptimizer.PARALLEL_MIN_ROWS + 17;
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
        Rng rng = new Rng(7);
        float[] initial = new float[ROWS * WIDTH];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = rng.uniform(-1f, 1f);
        }
        Parameter sparse = sparseTable("table", ROWS, WIDTH, initial.clone());
        Parameter dense = denseTable("table", ROWS, WIDTH, initial.clone());
        ElementwiseOptimizer onSparse = c.create();
        ElementwiseOptimizer onDense = c.create();
        // The same scattered rows every step (rows the dense step leaves at zero gradient would move
        // under momentum or decay there and not here); fresh gradients each step.
        int[] rows = Arrays.copyOf(rng.permutation(ROWS), TOUCHED);
        boolean[] touched = new boolean[ROWS];
        for (int r : rows) {
            touched[r] = true;
        }
        for (int step = 0; step < 3; step++) {
            sparse.zeroGrad();
            dense.value().gradBuffer();
            dense.zeroGrad();
            float[] d = dense.value().gradBuffer();
            for (int r : rows) {
                float[] g = new float[WIDTH];
                for (int j = 0; j < WIDTH; j++) {
                    g[j] = rng.uniform(-1f, 1f);
                    d[r * WIDTH + j] = g[j];
                }
                sparse.value().rowGradient().accumulate(r, g, 0);
            }
            Parallel.setThreads(2);
            onSparse.step(List.of(sparse));
            Parallel.setThreads(1);
            onDense.step(List.of(dense));
            float[] s = sparse.value().data();
            float[] e = dense.value().data();
            for (int r : rows) {
                assertThat(Arrays.copyOfRange(s, r * WIDTH, (r + 1) * WIDTH)).as("step %d, row %d", step, r)
                        .containsExactly(Arrays.copyOfRange(e, r * WIDTH, (r + 1) * WIDTH));
            }
        }
        float[] s = sparse.value().data();
        for (int r = 0; r < ROWS; r++) {
            if (!touched[r]) {
                assertThat(Arrays.copyOfRange(s, r * WIDTH, (r + 1) * WIDTH)).as("untouched row %d", r)
                        .containsExactly(Arrays.copyOfRange(initial, r * WIDTH, (r + 1) * WIDTH));
            }
        }
    }
}
