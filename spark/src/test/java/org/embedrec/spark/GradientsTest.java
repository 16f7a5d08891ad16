package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class GradientsTest {
    private static final float SMALL = 3e-8f;

    /** A dense parameter of 1 weight and a table of 4 rows of width 1, with a sparse gradient. */
    private static List<Parameter> model() {
        return List.of(new Parameter("w", Tensor.zeros(1)),
                new Parameter("table", Tensor.zeros(4, 1).sparseGradient(true)));
    }

    /** Leaves gradient {@code w} on the dense parameter and {@code t} on row {@code row} of the table. */
    private static void backward(List<Parameter> params, float w, int row, float t) {
        for (Parameter p : params) {
            p.zeroGrad();
        }
        params.get(0).value().gradBuffer()[0] = w;
        params.get(1).value().rowGradient().accumulate(row, new float[] {t}, 0);
    }

    /** The gradients of rows {@code from..to} of {@link #W} (row r touches table row r % 2), summed as a partition sums them. */
    private static Gradients partition(List<Parameter> params, int from, int to) {
        Gradients g = Gradients.empty(params.size());
        for (int r = from; r < to; r++) {
            backward(params, W[r], r % 2 == 0 ? 3 : 1, W[r]);
            g.addFrom(params, 1);
            g.rows++;
        }
        return g;
    }

    // In float, 1 + 3e-8 is 1 again: summed in this order the small terms vanish, while
    // 3e-8 + -1 keeps them; the exact sum is 6e-8.
    private static final float[] W = {1f, SMALL, SMALL, -1f};

    @Test
    void theSameRowsOverOneOrTwoPartitionsSumToTheSameFloats() {
        float inOrder = ((W[0] + W[1]) + W[2]) + W[3];
        float regrouped = (W[0] + W[1]) + (W[2] + W[3]);
        assertThat(inOrder).isNotEqualTo(regrouped); // float addition regrouped: another result

        List<Parameter> params = model();
        PartitionGradients one = new PartitionGradients().add(0, partition(params, 0, 4));
        PartitionGradients two = new PartitionGradients().add(1, partition(params, 2, 4))
                .merge(new PartitionGradients().add(0, partition(params, 0, 2)));
        assertThat(one.rows()).isEqualTo(two.rows()).isEqualTo(4);

        one.sumInto(params);
        float denseOne = params.get(0).value().grad()[0];
        float[] tableOne = params.get(1).value().rowGradient().toDense(4);
        two.sumInto(params);
        float denseTwo = params.get(0).value().grad()[0];
        float[] tableTwo = params.get(1).value().rowGradient().toDense(4);

        float exactMean = (float) (2.0 * SMALL / 4);
        assertThat(denseOne).isEqualTo(denseTwo).isEqualTo(exactMean);
        // Rows 0 and 2 of W touch table row 3 (1 + 3e-8), rows 1 and 3 table row 1 (3e-8 - 1).
        assertThat(tableOne).containsExactly(tableTwo);
        assertThat(tableOne).containsExactly(0f, (float) ((SMALL - 1.0) / 4), 0f, (float) ((1.0 + SMALL) / 4));
    }

    @Test
    void aTablesRowsAreWrittenInAscendingOrderWhateverOrderTheyCameIn() {
        List<Parameter> params = model();
        Gradients g = Gradients.empty(2);
        backward(params, 0f, 2, 5f);
        g.addFrom(params, 2);
        backward(params, 0f, 0, 1f);
        g.addFrom(params, 2);
        backward(params, 0f, 2, 1f);
        g.addFrom(params, 2);
        g.writeMean(params, 4);
        RowSparseGradient rows = params.get(1).value().rowGradient();
        assertThat(rows.rowCount()).isEqualTo(2);
        assertThat(rows.row(0)).isZero();
        assertThat(rows.row(1)).isEqualTo(2);
        assertThat(rows.toDense(4)).containsExactly(0.5f, 0f, 3f, 0f);
        assertThat(params.get(0).value().grad()[0]).isZero();
    }
}
