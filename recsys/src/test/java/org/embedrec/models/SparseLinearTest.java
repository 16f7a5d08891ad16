package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CategoryCross;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/** The wide part: one weight per id of each term, summed over a row's ids, crosses hashed pair by pair. */
class SparseLinearTest {
    private static final SparseLinear.Source USER = new SparseLinear.Source(true, "user", 0);
    private static final SparseLinear.Source ITEM = new SparseLinear.Source(false, "item", 0);
    private static final SparseLinear.Source GENRES = new SparseLinear.Source(false, "genres", 1);
    private static final int BUCKETS = 7;

    /** Two rows: users 1 and 2. */
    private static EncodedFeatures queries() {
        return new EncodedFeatures(2, List.of(new EncodedFeatures.Ids("user", new int[] {1, 2}, 1, 3, -1, false)));
    }

    /** Their items 0 and 1, with genres {1, 3} and {2} (pad 0). */
    private static EncodedFeatures candidates() {
        return new EncodedFeatures(2, List.of(
                new EncodedFeatures.Ids("item", new int[] {0, 1}, 1, 2, -1, false),
                new EncodedFeatures.Ids("genres", new int[] {1, 3, 2, 0}, 2, 4, 0, true)));
    }

    private static SparseLinear wide() {
        SparseLinear wide = new SparseLinear(List.of(
                new SparseLinear.Term("user", USER, null, 3),
                new SparseLinear.Term("item", ITEM, null, 2),
                new SparseLinear.Term("genres", GENRES, null, 4),
                new SparseLinear.Term("user_x_genres", USER, GENRES, BUCKETS + 1)), new Rng(1));
        // Weight of id j in term t: 10^t * (j + 1), so each sum below can be read off.
        int t = 0;
        for (Parameter p : wide.parameters()) {
            float[] w = p.value().data();
            for (int j = 0; j < w.length; j++) {
                w[j] = (float) Math.pow(10, t) * (j + 1);
            }
            t++;
        }
        return wide;
    }

    @Test
    void theWeightsStartAtZero() {
        SparseLinear fresh = new SparseLinear(List.of(new SparseLinear.Term("user", USER, null, 3)), new Rng(1));
        assertThat(fresh.logit(queries(), candidates()).data()).containsExactly(0f, 0f);
    }

    @Test
    void eachRowSumsTheWeightsOfItsIdsAndOfItsCrossedPairs() {
        CategoryCross hash = new CategoryCross(BUCKETS, 4);
        // Row 0: user 1, item 0, genres 1 and 3, crosses (1, 1) and (1, 3).
        float row0 = 2 + 10 * 1 + 100 * (2 + 4) + 1000 * (hash.cross(1, 1) + 1 + hash.cross(1, 3) + 1);
        // Row 1: user 2, item 1, genre 2 and a padded position, which counts nothing.
        float row1 = 3 + 10 * 2 + 100 * 3 + 1000 * (hash.cross(2, 2) + 1);
        assertThat(wide().logit(queries(), candidates()).data())
                .containsExactly(new float[] {row0, row1}, within(1e-2f));
    }

    @Test
    void onlyTheLookedUpRowsGetAGradientAndPaddingNone() {
        SparseLinear wide = wide();
        Tensor loss;
        try (GradientTape tape = GradientTape.open()) {
            loss = Ops.sum(wide.logit(queries(), candidates()));
            tape.backward(loss);
        }
        Parameter genres = wide.namedParameters().get("genres/embeddings");
        // Genre rows 1, 2 and 3 were looked up once each; row 0, the padding, not at all.
        assertThat(genres.value().rowGradient().rowCount()).isEqualTo(3);
        Parameter cross = wide.namedParameters().get("user_x_genres/embeddings");
        assertThat(cross.value().rowGradient().rowCount()).isLessThanOrEqualTo(3);
    }

    @Test
    void inputsThatAreNotWhereTheTermReadsAreNamed() {
        SparseLinear wide = new SparseLinear(List.of(new SparseLinear.Term("item", new SparseLinear.Source(false,
                "item", 1), null, 2)), new Rng(1));
        assertThatThrownBy(() -> wide.logit(queries(), candidates()))
                .hasMessageContaining("candidate input 1 is 'genres', expected the ids of 'item'");
    }
}
