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

class MultiOptimizerTest {

    @Test
    void eachGroupIsSteppedByItsOwnOptimizer() {
        Parameter wide = sparseTable("wide", 4, 1, new float[] {0, 0, 0, 0});
        Parameter deep = dense("deep", 1f);
        Ftrl ftrl = new Ftrl(0.1f);
        SGD sgd = new SGD(0.5f);
        MultiOptimizer multi = MultiOptimizer.builder().add(List.of(wide), ftrl).add(List.of(deep), sgd).build();
        addRowGrad(wide, 2, 0.5f);
        setGrad(deep, 1f);

        multi.step(List.of(deep, wide));

        assertClose(wide.value().data()[2], -0.05 / Math.sqrt(0.35));
        assertThat(wide.value().data()[1]).isZero();
        assertClose(deep.value().data()[0], 0.5);
        assertThat(ftrl.iterations()).isEqualTo(1);
        assertThat(sgd.iterations()).isEqualTo(1);
        assertThat(multi.groupCount()).isEqualTo(2);
        assertThat(multi.optimizer(0)).isSameAs(ftrl);
        assertThat(multi.group(1)).containsExactly(deep);
    }

    @Test
    void steppingOneGroupAloneLeavesTheOtherUntouched() {
        Parameter a = dense("a", 1f);
        Parameter b = dense("b", 1f);
        Adam adamA = new Adam(0.1f);
        Adam adamB = new Adam(0.1f);
        MultiOptimizer multi = MultiOptimizer.builder().add(List.of(a), adamA).add(List.of(b), adamB).build();
        setGrad(a, 1f);
        setGrad(b, 1f);
        multi.step(List.of(a));
        assertThat(adamA.iterations()).isEqualTo(1);
        assertThat(adamB.iterations()).isZero();
        assertThat(b.value().data()[0]).isEqualTo(1f);

        multi.step();
        assertThat(adamA.iterations()).isEqualTo(2);
        assertThat(adamB.iterations()).isEqualTo(1);
    }

    @Test
    void aParameterBelongsToOneGroup() {
        Parameter shared = dense("shared", 1f);
        Parameter other = dense("other", 1f);
        assertThatThrownBy(() -> MultiOptimizer.builder()
                        .add(List.of(shared), new SGD(0.1f))
                        .add(List.of(other, shared), new Adam(0.1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'shared'").hasMessageContaining("group 0");
        assertThatThrownBy(() -> MultiOptimizer.builder().add(List.of(shared, shared), new SGD(0.1f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'shared'");
    }

    @Test
    void anOptimizerServesOneGroup() {
        SGD sgd = new SGD(0.1f);
        assertThatThrownBy(() -> MultiOptimizer.builder()
                        .add(List.of(dense("a", 1f)), sgd)
                        .add(List.of(dense("b", 1f)), sgd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already serves group 0");
    }

    @Test
    void rejectsParametersOutsideEveryGroupAndEmptyBuilds() {
        MultiOptimizer multi = MultiOptimizer.builder().add(List.of(dense("a", 1f)), new SGD(0.1f)).build();
        assertThatThrownBy(() -> multi.step(List.of(dense("stray", 1f))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'stray'");
        assertThatThrownBy(() -> MultiOptimizer.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MultiOptimizer.builder().add(List.of(), new SGD(0.1f)))
                .hasMessageContaining("no parameters");
    }
}
