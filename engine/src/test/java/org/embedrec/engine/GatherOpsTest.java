package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * gatherRows: gradient checks with the default {@link GradientCheck} tolerances for a dense
 * and a sparse table, with repeated ids and a 2-D id shape; output shapes and id errors.
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
}
