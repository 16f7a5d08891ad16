package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class DotTest {
    private final Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {0, 1, 0}, {1, 1, 0}});
    private final Tensor b = Tensor.of(new float[][] {{4, 5, 6}, {1, 0, 0}, {2, 2, 0}});

    @Test
    void givesTheRowWiseDotProductAsAColumn() {
        Tensor y = new Dot().apply(a, b);
        assertThat(y.shape()).containsExactly(3, 1);
        assertThat(y.data()).containsExactly(32f, 0f, 4f);
    }

    @Test
    void normalizedGivesTheCosineSimilarity() {
        Tensor y = new Dot(true).apply(a, b);
        assertThat(y.shape()).containsExactly(3, 1);
        float first = (float) (32 / (Math.sqrt(14) * Math.sqrt(77)));
        assertThat(y.data()).containsExactly(new float[] {first, 0f, 1f}, within(1e-6f));
    }

    @Test
    void theCosineOfAZeroVectorIsZeroNotNaN() {
        Tensor y = new Dot(true).apply(Tensor.zeros(1, 3), Tensor.of(new float[][] {{1, 2, 3}}));
        assertThat(y.data()).containsExactly(0f);
    }

    @Test
    void worksOnLongerShapesAlongTheLastAxis() {
        assertThat(new Dot().apply(Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5, 3)).shape()).containsExactly(2, 5, 1);
    }

    @Test
    void rejectsInputsOfDifferentShapesOrCount() {
        assertThatThrownBy(() -> new Dot("score", false).apply(Tensor.zeros(32, 16), Tensor.zeros(32, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dot 'score': expected two inputs of the same shape [..., d], got [32, 16] and [32, 8]");
        assertThatThrownBy(() -> new Dot().apply(Tensor.zeros(2, 2), Tensor.zeros(2, 2), Tensor.zeros(2, 2)))
                .hasMessage("dot 'dot': needs exactly two inputs, got 3");
    }
}
