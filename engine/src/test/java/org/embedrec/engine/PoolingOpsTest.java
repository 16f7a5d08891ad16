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
 * Max pooling over windows and global pooling over steps: finite-difference gradient checks on
 * distinct values (a step never swaps two near-equal maxima), hand-computed cases, padded steps
 * left out, ties going to the first, errors naming the shapes.
 */
class PoolingOpsTest {
    private final GradientCheck check = new GradientCheck();

    /** Values 0.1 apart in random order, so the finite difference (0.01) never changes which is largest. */
    private static Tensor distinct(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int[] order = rng.permutation(t.size());
        for (int i = 0; i < order.length; i++) {
            t.data()[i] = 0.1f * order[i] - 0.05f * order.length;
        }
        return t.requiresGrad(true);
    }

    @Property(tries = 50)
    void maxPool2dGradient(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 6) int height,
                           @ForAll @IntRange(min = 1, max = 6) int width, @ForAll @IntRange(min = 1, max = 3) int channels,
                           @ForAll @IntRange(min = 1, max = 3) int pool, @ForAll @IntRange(min = 1, max = 3) int stride,
                           @ForAll long seed) {
        int ph = Math.min(pool, height);
        int pw = Math.min(pool, width);
        Tensor x = distinct(new Rng(seed), batch, height, width, channels);
        check.check(t -> Ops.maxPool2d(t.get(0), ph, pw, stride, stride), List.of(x), seed);
    }

    @Property(tries = 50)
    void globalPoolingGradients(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 5) int time,
                                @ForAll @IntRange(min = 1, max = 4) int channels, @ForAll boolean masked,
                                @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = distinct(rng, batch, time, channels);
        SequenceMask mask = masked ? RecurrentOpsTest.randomMask(rng, batch, time) : null;
        check.check(t -> Ops.globalAveragePool1d(t.get(0), mask), List.of(x), seed);
        check.check(t -> Ops.globalMaxPool1d(t.get(0), mask), List.of(x), seed);
    }

    @Test
    void maxPoolTakesEachWindowsLargestByHand() {
        // 4 x 4, one channel, 2 x 2 windows, stride 2; the tie in the last window goes to the first.
        Tensor x = Tensor.of(new float[] {
                1, 5, 2, 0,
                3, 4, 8, 1,
                0, 0, 7, 7,
                9, 2, 7, 6}, 1, 4, 4, 1).requiresGrad(true);
        Tensor y;
        try (GradientTape tape = GradientTape.open()) {
            y = Ops.maxPool2d(x, 2, 2, 2, 2);
            tape.backward(Ops.sum(y));
        }
        assertThat(y.shape()).containsExactly(1, 2, 2, 1);
        assertThat(y.data()).containsExactly(5, 8, 9, 7);
        assertThat(x.grad()).containsExactly(0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0);
        // Overlapping windows (stride 1) send one gradient per window to a shared maximum.
        x.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(Ops.maxPool2d(x, 2, 2, 1, 1)));
        }
        assertThat(x.grad()[6]).isEqualTo(4f);
        assertThat(x.grad()[12]).isEqualTo(1f);
    }

    @Test
    void globalPoolingLeavesOutPaddedStepsAndGivesZerosForEmptySequences() {
        // Two sequences of three steps, two channels; the first has its last step padded, the second none real.
        Tensor x = Tensor.of(new float[] {1, -4, 3, -2, 100, 100, 5, 5, 6, 6, 7, 7}, 2, 3, 2);
        SequenceMask mask = SequenceMask.rightPadded(new int[] {2, 0}, 3);
        assertThat(Ops.globalAveragePool1d(x, mask).data()).containsExactly(2, -3, 0, 0);
        assertThat(Ops.globalMaxPool1d(x, mask).data()).containsExactly(3, -2, 0, 0);
        assertThat(Ops.globalAveragePool1d(x, null).data()).containsExactly(new float[] {104f / 3, 94f / 3, 6, 6},
                within(1e-5f));
        assertThat(Ops.globalMaxPool1d(x, null).data()).containsExactly(100, 100, 7, 7);
    }

    @Test
    void namesTheShapesThatDoNotFit() {
        assertThatThrownBy(() -> Ops.maxPool2d(Tensor.zeros(2, 3, 3), 2, 2, 2, 2))
                .hasMessage("maxPool2d: input [2, 3, 3], pool 2 x 2, strides 2 x 2: expected an input "
                        + "[batch, height, width, channels]");
        assertThatThrownBy(() -> Ops.maxPool2d(Tensor.zeros(2, 3, 3, 1), 4, 2, 2, 2))
                .hasMessageEndingWith("the pool is larger than the image");
        assertThatThrownBy(() -> Ops.globalMaxPool1d(Tensor.zeros(2, 3), null))
                .hasMessage("globalMaxPool1d: input [2, 3]: expected sequences [batch, time, channels]");
    }
}
