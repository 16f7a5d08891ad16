package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * sum and mean, of everything and over one axis: gradient checks with the default
 * {@link GradientCheck} tolerances over random shapes of rank 1 to 4, every axis (negative
 * ones too) and both keepDims settings; hand-computed values and shapes.
 */
class ReductionOpsTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 20)
    void sumAndMeanOfAllGradients(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, RandomTensors.shape(rng, 1, 3, 5));
        check.check(in -> Ops.sum(in.get(0)), List.of(x), seed);
        check.check(in -> Ops.mean(in.get(0)), List.of(x), seed);
    }

    @Property(tries = 30)
    void sumAndMeanOverAnAxisGradients(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] shape = RandomTensors.shape(rng, 1, 4, 4);
        int axis = rng.nextInt(2 * shape.length) - shape.length;
        boolean keepDims = rng.nextInt(2) == 1;
        Tensor x = RandomTensors.uniform(rng, shape);
        check.check(in -> Ops.sum(in.get(0), axis, keepDims), List.of(x), seed);
        check.check(in -> Ops.mean(in.get(0), axis, keepDims), List.of(x), seed);
    }

    @Property(tries = 30)
    void sumOverEveryAxisInTurnIsTheTotal(@ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, RandomTensors.shape(rng, 1, 4, 4));
        Tensor t = x;
        while (t.rank() > 0) {
            t = Ops.sum(t, 0, false);
        }
        assertThat(t.item()).isCloseTo(Ops.sum(x).item(), org.assertj.core.data.Offset.offset(1e-4f));
    }

    /**
     * Over the last axis of many rows (more than one parallel chunk), sum and mean are each row's
     * values added in order in double, rounded once, and the gradient is the upstream value times
     * the share added to each element: the same bits on one and two threads.
     */
    @Test
    void lastAxisRowsAreSummedInOrderOnAnyThreadCount() {
        int threads = Parallel.threads();
        try {
            Rng rng = new Rng(11);
            int rows = 2500;
            int n = 50;
            Tensor x = RandomTensors.uniform(rng, rows, n);
            float[] upstream = RandomTensors.uniform(rng, rows).data();
            for (boolean mean : new boolean[] {false, true}) {
                float[][] grads = new float[2][];
                for (int t = 1; t <= 2; t++) {
                    Parallel.setThreads(t);
                    x.dropGrad();
                    Tensor out;
                    try (GradientTape tape = GradientTape.open()) {
                        out = mean ? Ops.mean(x, 1, false) : Ops.sum(x, 1, false);
                        tape.backward(Ops.sum(Ops.mul(out, Tensor.of(upstream, rows))));
                    }
                    for (int r = 0; r < rows; r++) {
                        double acc = 0.0;
                        for (int j = 0; j < n; j++) {
                            acc += x.data()[r * n + j];
                        }
                        float expected = (float) (mean ? acc * (1.0 / n) : acc);
                        assertThat(out.data()[r]).as("row " + r + ", mean=" + mean + ", " + t + " threads")
                                .isEqualTo(expected);
                    }
                    grads[t - 1] = x.grad().clone();
                }
                float share = mean ? (float) (1.0 / n) : 1f;
                assertThat(grads[0][7 * n + 3]).isEqualTo(upstream[7] * share);
                assertThat(grads[1]).as("gradient on 2 threads, mean=" + mean).containsExactly(grads[0]);
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void sumAndMeanOverEachAxisOfAMatrix() {
        Tensor x = Tensor.of(new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}});
        assertThat(Ops.sum(x, 0, false).data()).containsExactly(5f, 7f, 9f);
        assertThat(Ops.sum(x, 1, false).data()).containsExactly(6f, 15f);
        assertThat(Ops.mean(x, -1, false).data()).containsExactly(2f, 5f);
        assertThat(Ops.mean(x, 0, true).data()).containsExactly(2.5f, 3.5f, 4.5f);
        assertThat(Ops.sum(x).item()).isEqualTo(21f);
        assertThat(Ops.mean(x).item()).isEqualTo(3.5f);
    }

    @Test
    void keepDimsKeepsTheAxisAsSizeOne() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThat(Ops.sum(x, 1, true).shape()).containsExactly(2, 1, 4);
        assertThat(Ops.sum(x, 1, false).shape()).containsExactly(2, 4);
        assertThat(Ops.mean(x, -1, true).shape()).containsExactly(2, 3, 1);
        assertThat(Ops.mean(Tensor.zeros(5), 0, false).shape()).isEmpty();
    }

    @Test
    void middleAxisOfARank3Tensor() {
        // x[i, j, k] = 100 i + 10 j + k, shape [2, 2, 2]; summing j gives 2 (100 i + k) + 10.
        Tensor x = Tensor.of(new float[] {0f, 1f, 10f, 11f, 100f, 101f, 110f, 111f}, 2, 2, 2);
        assertThat(Ops.sum(x, 1, false).data()).containsExactly(10f, 12f, 210f, 212f);
    }

    @Test
    void axisOutOfRangeNamesTheShape() {
        assertThatThrownBy(() -> Ops.sum(Tensor.zeros(2, 3), 2, false))
                .hasMessage("sum: [2, 3]: axis 2 is out of range for rank 2");
        assertThatThrownBy(() -> Ops.mean(Tensor.zeros(2, 3), -3, true))
                .hasMessage("mean: [2, 3]: axis -3 is out of range for rank 2");
    }
}
