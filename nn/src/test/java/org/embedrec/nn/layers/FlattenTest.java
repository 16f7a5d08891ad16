package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {

    @Test
    void keepsTheBatchDimensionAndFlattensTheRest() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        Tensor y = new Flatten().apply(x);
        assertThat(y.shape()).containsExactly(2, 6);
        assertThat(y.data()).containsExactly(x.data());
        assertThat(new Flatten().apply(Tensor.zeros(4, 2, 3, 5)).shape()).containsExactly(4, 30);
    }

    @Test
    void givesAColumnForAVectorAndLeavesAMatrixAlone() {
        assertThat(new Flatten().apply(Tensor.zeros(5)).shape()).containsExactly(5, 1);
        assertThat(new Flatten().apply(Tensor.zeros(5, 3)).shape()).containsExactly(5, 3);
    }

    @Test
    void rejectsAScalar() {
        assertThatThrownBy(() -> new Flatten().apply(Tensor.scalar(1f)))
                .hasMessage("flatten 'flatten': expected input [batch, ...], got a scalar []");
    }
}
