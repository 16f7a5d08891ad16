package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class ConcatenateTest {

    @Test
    void joinsAlongTheLastAxisByDefault() {
        Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new float[][] {{5}, {6}});
        Tensor y = new Concatenate().apply(a, b);
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.data()).containsExactly(1, 2, 5, 3, 4, 6);
    }

    @Test
    void joinsAlongAnyAxis() {
        assertThat(new Concatenate(0).apply(Tensor.zeros(1, 3), Tensor.zeros(2, 3)).shape()).containsExactly(3, 3);
        assertThat(new Concatenate(1).apply(List.of(Tensor.zeros(2, 1, 4), Tensor.zeros(2, 3, 4), Tensor.zeros(2, 2, 4)))
                .shape()).containsExactly(2, 6, 4);
        assertThat(new Concatenate(-2).apply(Tensor.zeros(2, 1, 4), Tensor.zeros(2, 3, 4)).shape())
                .containsExactly(2, 4, 4);
    }

    @Test
    void namesTheInputWhoseShapeDoesNotAgree() {
        Concatenate concat = new Concatenate("features", -1);
        assertThatThrownBy(() -> concat.apply(Tensor.zeros(32, 4), Tensor.zeros(32, 8), Tensor.zeros(16, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concatenate 'features': input 2 has shape [16, 8], input 0 has [32, 4]:"
                        + " all dimensions but axis -1 must agree");
        assertThatThrownBy(() -> concat.apply(Tensor.zeros(32, 4), Tensor.zeros(32, 2, 2)))
                .hasMessageContaining("input 1 has shape [32, 2, 2]");
        assertThatThrownBy(() -> new Concatenate(2).apply(Tensor.zeros(3, 4), Tensor.zeros(3, 4)))
                .hasMessage("concatenate 'concatenate': axis 2 is out of range for input 0 of shape [3, 4]");
    }

    @Test
    void needsTwoInputs() {
        assertThatThrownBy(() -> new Concatenate().apply(List.of(Tensor.zeros(2, 2))))
                .hasMessage("concatenate 'concatenate': needs at least two inputs, got 1");
        assertThatThrownBy(() -> new Concatenate().apply(Tensor.zeros(2, 2)))
                .hasMessage("concatenate 'concatenate': needs at least two inputs, got 1");
    }
}
