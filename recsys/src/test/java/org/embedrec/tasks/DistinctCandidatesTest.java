package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.embedrec.features.CandidateInputs;
import org.junit.jupiter.api.Test;

/**
 * The distinct candidates of a batch: columns in first-occurrence order with their counts and
 * labels, merged column values, and the tower inputs of each column. That the loss over them
 * equals the loss over the full columns is checked through a model in
 * {@code org.embedrec.models.retrieval.TwoTowerDistinctLossTest}.
 */
class DistinctCandidatesTest {
    @Test
    void columnsAreTheItemsInFirstOccurrenceOrderWithCountsAndLabels() {
        DistinctCandidates d = DistinctCandidates.of(new int[] {7, 3, 7, 9, 3, 7}, new int[] {4, 9, 12});
        assertThat(d.ids()).containsExactly(7, 3, 9, 4, 12);
        assertThat(d.counts()).containsExactly(3, 2, 2, 1, 1);
        assertThat(d.labels()).containsExactly(0, 1, 0, 2, 1, 0);
        assertThat(d.batchSize()).isEqualTo(6);
        assertThat(d.negativeCount()).isEqualTo(3);

        float[] merged = d.columnValues(new float[] {-1f, -2f, -1f, -3f, -2f, -1f}, new float[] {-4f, -3f, -5f});
        assertThat(merged).containsExactly(-1f, -2f, -3f, -4f, -5f);
        assertThatThrownBy(() -> d.columnValues(new float[] {-1f, -2f, -1f, -3f, -2f, -1f},
                new float[] {-4f, -3.5f, -5f}))
                .hasMessage("DistinctCandidates: negative 1 has value -3.5 but another copy of item 9 has -3.0;"
                        + " copies of an item must agree");

        CandidateInputs batch = new CandidateInputs(new int[] {70, 30, 70, 90, 30, 70},
                new int[] {1, 2, 3, 4, 1, 2, 5, 6, 3, 4, 1, 2}, 2);
        CandidateInputs negatives = new CandidateInputs(new int[] {40, 90, 120}, new int[] {7, 8, 5, 6, 9, 9}, 2);
        CandidateInputs inputs = d.inputs(batch, negatives);
        assertThat(inputs.titleIds()).containsExactly(70, 30, 90, 40, 120);
        assertThat(inputs.titleTokens()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 9);
    }

    @Test
    void withoutNegativesOrRepeatsEachPairIsItsOwnColumn() {
        DistinctCandidates d = DistinctCandidates.of(new int[] {5, -1, 0}, null);
        assertThat(d.ids()).containsExactly(5, -1, 0);
        assertThat(d.counts()).containsExactly(1, 1, 1);
        assertThat(d.labels()).containsExactly(0, 1, 2);
        assertThat(d.negativeCount()).isZero();
    }
}
