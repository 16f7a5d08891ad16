package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

    private static Embedding withTable(float[][] rows) {
        Embedding embedding = new Embedding(rows.length, rows[0].length, new Rng(1));
        float[] t = embedding.embeddings().value().data();
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, t, r * rows[r].length, rows[r].length);
        }
        return embedding;
    }

    @Test
    void lookupIsExactlyTheOneHotMatrixTimesTheTable() {
        float[][] rows = {
                {.21f, .41f, .51f, .11f}, {.22f, .42f, .52f, .12f},
                {.23f, .43f, .53f, .13f}, {.24f, .44f, .54f, .14f}};
        Embedding embedding = withTable(rows);
        int[] ids = {2, 3, 1, 0};
        Tensor oneHot = Tensor.of(new float[][] {{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}, {1, 0, 0, 0}});

        Tensor looked = embedding.lookup(ids);

        assertThat(looked.shape()).containsExactly(4, 4);
        assertThat(looked.data()).containsExactly(Ops.matmul(oneHot, Tensor.of(rows)).data());
        assertThat(looked.data()).containsExactly(
                .23f, .43f, .53f, .13f, .24f, .44f, .54f, .14f, .22f, .42f, .52f, .12f, .21f, .41f, .51f, .11f);
    }

    @Test
    void idsOfAnyShapeGainTheEmbeddingDimension() {
        Embedding embedding = new Embedding(10, 3, new Rng(2));
        assertThat(embedding.lookup(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).shape()).containsExactly(2, 3, 3);
        assertThat(embedding.lookup(new int[] {4}).shape()).containsExactly(1, 3);
        Tensor floatIds = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor viaFloats = embedding.apply(floatIds);
        assertThat(viaFloats.shape()).containsExactly(3, 2, 3);
        assertThat(viaFloats.data()).containsExactly(embedding.lookup(new int[] {1, 2, 3, 4, 5, 6}, 3, 2).data());
    }

    @Test
    void gradientHoldsOnlyTheLookedUpRowsWithDuplicatesSummed() {
        Embedding embedding = new Embedding(1000, 3, new Rng(3));
        Tensor table = embedding.embeddings().value();
        assertThat(embedding.isSparse()).isTrue();
        assertThat(embedding.embeddings().isSparse()).isTrue();

        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(embedding.lookup(new int[] {7, 3, 7})));
        }

        RowSparseGradient g = table.rowGradient();
        assertThat(g.rowCount()).isEqualTo(2);
        assertThat(new int[] {g.row(0), g.row(1)}).containsExactly(7, 3);
        assertThat(Arrays.copyOf(g.values(), 6)).containsExactly(2f, 2f, 2f, 1f, 1f, 1f);
        assertThat(table.grad()).isNull();
        assertThat(embedding.embeddings().hasGradient()).isTrue();
    }

    @Test
    void aDenseTableGetsTheSameGradientScatteredIntoAFullArray() {
        Embedding embedding = Embedding.builder(5, 2).sparse(false).build(new Rng(3));
        assertThat(embedding.isSparse()).isFalse();
        try (GradientTape tape = GradientTape.open()) {
            tape.backward(Ops.sum(embedding.lookup(new int[] {4, 1, 4})));
        }
        assertThat(embedding.embeddings().value().grad()).containsExactly(0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f, 2f, 2f);
    }

    @Test
    void startsUniformInKerasRange() {
        Embedding embedding = new Embedding(200, 8, new Rng(4));
        assertThat(embedding.embeddings().name()).isEqualTo("embeddings");
        assertThat(embedding.name()).isEqualTo("embedding");
        assertThat(embedding.embeddings().shape()).containsExactly(200, 8);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : embedding.embeddings().value().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(-0.05f).isLessThan(-0.04f);
        assertThat(max).isLessThan(0.05f).isGreaterThan(0.04f);
    }

    @Test
    void rejectsNonIntegerAndOutOfRangeIdsNamingThePosition() {
        Embedding embedding = Embedding.builder(10, 2).name("user_id").build(new Rng(5));
        assertThatThrownBy(() -> embedding.apply(Tensor.of(new float[] {1, 1.5f, 2, 3}, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("embedding 'user_id': id 1.5 at position [0, 1] is not an integer");
        assertThatThrownBy(() -> embedding.apply(Tensor.of(new float[] {1, 2, 10}, 3)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("embedding 'user_id': id 10.0 at position 2 is outside the vocabulary [0, 10)");
        assertThatThrownBy(() -> embedding.apply(Tensor.of(new float[] {Float.NaN}, 1)))
                .hasMessage("embedding 'user_id': id NaN at position 0 is not an integer");
        assertThatThrownBy(() -> embedding.lookup(new int[] {0, -1}))
                .hasMessage("embedding 'user_id': id -1 at position 1 is outside the vocabulary [0, 10)");
        assertThatThrownBy(() -> embedding.lookup(new int[] {0, 1, 2}, 2, 2))
                .hasMessage("embedding 'user_id': 3 ids do not fill id shape [2, 2]");
    }

    @Test
    void rejectsNonPositiveSizesNamingTheField() {
        assertThatThrownBy(() -> new Embedding(0, 4, new Rng(1)))
                .hasMessage("embedding 'embedding': vocabularySize must be positive, got 0");
        assertThatThrownBy(() -> new Embedding(4, 0, new Rng(1)))
                .hasMessage("embedding 'embedding': dim must be positive, got 0");
    }
}
