package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class PositionalEmbeddingTest {

    @Test
    void addsRowTOfTheTableToStepTOfEverySequence() {
        PositionalEmbedding positions = new PositionalEmbedding(5, 2, new Rng(1));
        float[] table = positions.embeddings().value().data();
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
        float[] y = positions.apply(x).data();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                for (int j = 0; j < 2; j++) {
                    int i = (b * 3 + t) * 2 + j;
                    assertThat(y[i]).isEqualTo(x.data()[i] + table[t * 2 + j]);
                }
            }
        }
    }

    @Test
    void onlyTheRowsOfPresentPositionsLearn() {
        PositionalEmbedding positions = new PositionalEmbedding(6, 3, new Rng(2));
        Tensor x = TestTensors.random(new Rng(3), 4, 2, 3);
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(positions.apply(x)));
        }
        float[] g = positions.embeddings().value().grad();
        assertThat(Arrays.copyOf(g, 6)).containsOnly(4f);
        assertThat(Arrays.copyOfRange(g, 6, 18)).containsOnly(0f);
        new GradientCheck().check(in -> positions.apply(in.get(0)),
                List.of(x, positions.embeddings().value()), 3);
    }

    @Test
    void refusesSequencesLongerThanItsTable() {
        PositionalEmbedding positions = new PositionalEmbedding("positions", 4, 3, new Rng(1));
        assertThatThrownBy(() -> positions.apply(Tensor.zeros(2, 5, 3)))
                .hasMessage("positional_embedding 'positions': expected sequences [batch, time <= 4, 3], got [2, 5, 3]");
        assertThat(positions.positions(4).shape()).containsExactly(4, 3);
    }
}
