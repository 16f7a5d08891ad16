package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.nn.optim.OptimTesting.addRowGrad;
import static org.embedrec.nn.optim.OptimTesting.assertClose;
import static org.embedrec.nn.optim.OptimTesting.dense;
import static org.embedrec.nn.optim.OptimTesting.setGrad;
import static org.embedrec.nn.optim.OptimTesting.sparseTable;

import java.util.List;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
    private final Parameter weights = dense("w", 0f, 0f);
    private final Parameter table = sparseTable("table", 100, 2, new float[200]);

    GradientClippingTest() {
        // Dense part: (3, 0); sparse part: row 7 gets (0, 2) + (0, 2) coalesced, row 50 (0, 0).
        setGrad(weights, 3f, 0f);
        addRowGrad(table, 7, 0f, 2f);
        addRowGrad(table, 50, 0f, 0f);
        addRowGrad(table, 7, 0f, 2f);
    }

    @Test
    void globalNormCoversDenseAndSparseGradients() {
        assertThat(GradientClipping.globalNorm(List.of(weights, table))).isEqualTo(5.0);
        assertThat(GradientClipping.globalNorm(List.of(dense("none", 1f)))).isZero();
    }

    @Test
    void scalesAllGradientsToTheMaximumNorm() {
        double before = GradientClipping.clipByGlobalNorm(List.of(weights, table), 1f);
        assertThat(before).isEqualTo(5.0);
        assertClose(weights.value().grad()[0], 0.6);
        assertClose(table.value().rowGradient().values()[1], 0.8);
        assertClose((float) GradientClipping.globalNorm(List.of(weights, table)), 1.0);
    }

    @Test
    void belowTheMaximumIsANoOp() {
        double before = GradientClipping.clipByGlobalNorm(List.of(weights, table), 5f);
        assertThat(before).isEqualTo(5.0);
        assertThat(weights.value().grad()).containsExactly(3f, 0f);
        assertThat(table.value().rowGradient().values()[1]).isEqualTo(4f);
    }

    @Test
    void rejectsANonPositiveMaximum() {
        assertThatThrownBy(() -> GradientClipping.clipByGlobalNorm(List.of(weights), 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNorm");
    }

    @Test
    void optimizerClipNormScalesTheStepButNotTheGradients() {
        SGD sgd = SGD.builder().learningRate(1f).clipNorm(1f).build();
        sgd.step(List.of(weights, table));
        assertClose(weights.value().data()[0], -0.6);
        assertClose(table.value().data()[7 * 2 + 1], -0.8);
        assertThat(table.value().data()[50 * 2 + 1]).isZero();
        assertThat(weights.value().grad()).containsExactly(3f, 0f);
        assertThat(table.value().rowGradient().values()[1]).isEqualTo(4f);
    }
}
