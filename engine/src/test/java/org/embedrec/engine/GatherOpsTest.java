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
 * gatherRows: gradient checks with the default {@link GradientCheck} tolerances for a dense
 * and a sparse table, with repeated ids and a 2-D id shape; output shapes and id errors.
 * gatherMean: gradient checks over random bags (some all padding, padding inside or outside the
 * table), a hand-computed forward and backward, and its errors.
 */
class GatherOpsTest {
    private final GradientCheck check = new GradientCheck();

    private static int[] ids(Rng rng, int count, int rows) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rng.nextInt(rows);
        }
        return ids;
    }

    @Property(tries = 20)
    void denseTableGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int rows = 1 + rng.nextInt(6);
        int[] ids = ids(rng, 1 + rng.nextInt(8), rows);
        Tensor table = RandomTensors.uniform(rng, rows, 1 + rng.nextInt(4));
        // Square after the gather so that repeated ids receive different upstream gradients.
        check.check(in -> Ops.square(Ops.gatherRows(in.get(0), ids)), List.of(table), seed);
    }

    @Property(tries = 20)
    void sparseTableGradient(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int rows = 1 + rng.nextInt(6);
        int[] ids = ids(rng, 6, rows);
        Tensor table = RandomTensors.uniform(rng, rows, 1 + rng.nextInt(4)).sparseGradient(true);
        check.check(in -> Ops.square(Ops.gatherRows(in.get(0), ids, 2, 3)), List.of(table), seed);
    }

    @Test
    void outputShapeIsIdShapePlusWidth() {
        Tensor table = Tensor.zeros(10, 4);
        assertThat(Ops.gatherRows(table, new int[] {1, 2, 3, 4, 5, 6}, 2, 3).shape()).containsExactly(2, 3, 4);
        assertThat(Ops.gatherRows(table, new int[] {9}).shape()).containsExactly(1, 4);
    }

    @Test
    void idErrorsNamePositionAndTableSize() {
        assertThatThrownBy(() -> Ops.gatherRows(Tensor.zeros(3, 2), new int[] {0, 3}))
                .hasMessage("gatherRows: id 3 at position 1 is outside the table's 3 rows");
        assertThatThrownBy(() -> Ops.gatherRows(Tensor.zeros(3, 2), new int[] {0, 1, 2}, 2, 2))
                .hasMessage("gatherRows: 3 ids do not fill id shape [2, 2]");
    }

    /**
     * Bags of random ids, about a third padding, bag 0 all padding. The pad id is 0 (a real row,
     * as with Keras's mask_zero) or -1 (outside the table).
     */
    private static int[] bags(Rng rng, int bags, int bagLength, int rows, int padId) {
        int[] ids = new int[bags * bagLength];
        for (int i = 0; i < ids.length; i++) {
            boolean pad = i < bagLength || rng.nextInt(3) == 0;
            ids[i] = pad ? padId : rng.nextInt(rows);
        }
        return ids;
    }

    @Property(tries = 30)
    void gatherMeanGradient(@ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 4) int width,
                            @ForAll @IntRange(min = 1, max = 5) int bagCount,
                            @ForAll @IntRange(min = 1, max = 4) int bagLength, @ForAll boolean padInTable,
                            @ForAll boolean sparse, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int padId = padInTable ? 0 : -1;
        int[] ids = bags(rng, bagCount, bagLength, rows, padId);
        Tensor table = RandomTensors.uniform(rng, rows, width).sparseGradient(sparse);
        // Square after the mean so that each bag passes back a different gradient per element.
        check.check(in -> Ops.square(Ops.gatherMean(in.get(0), ids, bagLength, padId)), List.of(table), seed);
    }

    @Test
    void gatherMeanHandComputed() {
        Tensor table = Tensor.of(new float[][] {{100f, 100f}, {1f, 2f}, {3f, 5f}, {-4f, 8f}});
        // Bags of 3 padded with 0: {1, 3}, all padding, {2, 2} (a repeated id), {3}.
        int[] ids = {1, 0, 3, 0, 0, 0, 2, 2, 0, 0, 3, 0};
        Tensor out = Ops.gatherMean(table, ids, 3, 0);
        assertThat(out.shape()).containsExactly(4, 2);
        assertThat(out.data()).containsExactly(-1.5f, 5f, 0f, 0f, 3f, 5f, -4f, 8f);

        for (boolean sparse : new boolean[] {false, true}) {
            table.dropGrad();
            table.requiresGrad(true).sparseGradient(sparse);
            try (GradientTape tape = GradientTape.open()) {
                Tensor y = Ops.gatherMean(table, ids, 3, 0);
                tape.backward(Ops.sum(Ops.mul(y, Tensor.of(new float[] {2f, 4f, 7f, 7f, 6f, 10f, 1f, 3f}, 4, 2))));
            }
            // Row 1: bag 0's gradient / 2; row 2: bag 2's / 2, twice; row 3: bag 0's / 2 plus bag 3's.
            // Row 0 is padding: no gradient, and with a sparse table not even touched.
            float[] grad = sparse ? table.rowGradient().toDense(4) : table.grad();
            assertThat(grad).as("sparse=%s", sparse).containsExactly(new float[] {0f, 0f, 1f, 2f, 6f, 10f, 2f, 5f},
                    within(0f));
            if (sparse) {
                assertThat(table.rowGradient().rowCount()).isEqualTo(3);
            }
        }
    }

    @Property(tries = 10)
    void gatherMeanDenseAndSparseGradientsAreTheSameBits(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] ids = bags(rng, 6, 5, 7, 0);
        Tensor dense = RandomTensors.uniform(rng, 7, 5);
        Tensor sparse = dense.copy().requiresGrad(true).sparseGradient(true);
        Tensor weights = RandomTensors.uniform(rng, 6, 5);
        for (Tensor table : List.of(dense, sparse)) {
            try (GradientTape tape = GradientTape.open()) {
                tape.backward(Ops.sum(Ops.mul(Ops.gatherMean(table, ids, 5, 0), weights)));
            }
        }
        assertThat(sparse.rowGradient().toDense(7)).containsExactly(dense.grad());
    }

    @Test
    void gatherMeanOfNoBagsIsEmpty() {
        assertThat(Ops.gatherMean(Tensor.zeros(3, 2), new int[0], 4, 0).shape()).containsExactly(0, 2);
    }

    @Test
    void gatherMeanErrorsNamePositionAndExpectation() {
        assertThatThrownBy(() -> Ops.gatherMean(Tensor.zeros(3, 2), new int[] {0, 1, 2, 3}, 2, 0))
                .hasMessage("gatherMean: id 3 at position 3 (bag 1, slot 1) is neither padding (0) nor inside"
                        + " the table's 3 rows");
        assertThatThrownBy(() -> Ops.gatherMean(Tensor.zeros(3, 2), new int[] {-1, 1, -2, -1}, 2, -1))
                .hasMessage("gatherMean: id -2 at position 2 (bag 1, slot 0) is neither padding (-1) nor inside"
                        + " the table's 3 rows");
        assertThatThrownBy(() -> Ops.gatherMean(Tensor.zeros(3, 2), new int[] {0, 1, 2}, 2, 0))
                .hasMessage("gatherMean: 3 ids do not split into bags of 2; expected a bag length >= 1 that"
                        + " divides the id count");
        assertThatThrownBy(() -> Ops.gatherMean(Tensor.zeros(3, 2), new int[] {0, 1}, 0, 0))
                .hasMessageStartingWith("gatherMean: 2 ids do not split into bags of 0");
        assertThatThrownBy(() -> Ops.gatherMean(Tensor.zeros(3), new int[] {0}, 1, 0))
                .hasMessage("gatherMean: the table must be 2-D, shape is [3]");
    }
}
