package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    // One user: ranked 5, 3, 9, 1, 7 (best first); relevant {3, 7, 8}. Relevant items sit at ranks 2 and 5.
    private static final int[] RANKED = {5, 3, 9, 1, 7};
    private static final int[] RELEVANT = {7, 3, 8};
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_6 = Math.log(6) / Math.log(2);

    @Test
    void atThree() {
        // Top 3 = 5, 3, 9: one hit (3 at rank 2).
        assertThat(RecallAtK.compute(RANKED, RELEVANT, 3)).isEqualTo(1.0 / 3);    // 1 of 3 relevant
        assertThat(PrecisionAtK.compute(RANKED, RELEVANT, 3)).isEqualTo(1.0 / 3); // 1 of 3 slots
        assertThat(HitRateAtK.compute(RANKED, RELEVANT, 3)).isEqualTo(1.0);
        // DCG = 1/log2(3) = 0.6309; IDCG (3 relevant) = 1 + 1/log2(3) + 1/log2(4) = 2.1309; NDCG = 0.29608.
        double idcg = 1 + 1 / LOG2_3 + 0.5;
        assertThat(NdcgAtK.compute(RANKED, RELEVANT, 3)).isCloseTo((1 / LOG2_3) / idcg, within(1e-12))
                .isCloseTo(0.29608, within(1e-5));
        assertThat(MeanReciprocalRank.compute(RANKED, RELEVANT, 3)).isEqualTo(0.5); // first hit at rank 2
    }

    @Test
    void atFiveAndBeyondTheList() {
        // Top 5 = whole list: hits at ranks 2 and 5.
        assertThat(RecallAtK.compute(RANKED, RELEVANT, 5)).isEqualTo(2.0 / 3);
        assertThat(PrecisionAtK.compute(RANKED, RELEVANT, 5)).isEqualTo(2.0 / 5);
        // DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778; IDCG = 2.13093; NDCG = 0.47762.
        double ndcg5 = (1 / LOG2_3 + 1 / LOG2_6) / (1 + 1 / LOG2_3 + 0.5);
        assertThat(NdcgAtK.compute(RANKED, RELEVANT, 5)).isCloseTo(ndcg5, within(1e-12)).isCloseTo(0.47762, within(1e-5));
        // K = 10 > 5 items: the list is used whole; precision still divides by K: 2/10.
        assertThat(RecallAtK.compute(RANKED, RELEVANT, 10)).isEqualTo(2.0 / 3);
        assertThat(PrecisionAtK.compute(RANKED, RELEVANT, 10)).isEqualTo(0.2);
        // IDCG uses min(K, |relevant|) = 3 ideal hits, so NDCG@10 = NDCG@5 here.
        assertThat(NdcgAtK.compute(RANKED, RELEVANT, 10)).isCloseTo(ndcg5, within(1e-12));
        assertThat(HitRateAtK.compute(RANKED, RELEVANT, 10)).isEqualTo(1.0);
    }

    @Test
    void reciprocalRankWithAndWithoutCutoff() {
        // First relevant item (4) at rank 4: RR = 1/4 without cut-off, 0 when cut at 3.
        int[] ranked = {10, 11, 12, 4, 13};
        int[] relevant = {4};
        assertThat(MeanReciprocalRank.compute(ranked, relevant)).isEqualTo(0.25);
        assertThat(MeanReciprocalRank.compute(ranked, relevant, 3)).isEqualTo(0.0);
        assertThat(MeanReciprocalRank.compute(RANKED, RELEVANT, 1)).isEqualTo(0.0);
        assertThat(new MeanReciprocalRank().name()).isEqualTo("mrr");
        assertThat(new MeanReciprocalRank(10).name()).isEqualTo("mrr@10");
    }

    @Test
    void perfectRankingHasNdcgOne() {
        // Relevant {1, 2} at ranks 1 and 2: DCG = 1 + 1/log2(3) = IDCG.
        assertThat(NdcgAtK.compute(new int[] {1, 2, 3}, new int[] {2, 1}, 10)).isEqualTo(1.0);
        // More relevant items than K: the ideal fills all K slots, so a full top K is perfect.
        assertThat(NdcgAtK.compute(new int[] {1, 2, 3}, new int[] {1, 2, 3, 4, 5}, 2)).isEqualTo(1.0);
    }

    @Test
    void meanOverUsersSkipsUsersWithoutRelevantItems() {
        RecallAtK recall = new RecallAtK(3);
        // User A: recall@3 = 1/3 (above). User B: ranked 1, 2; relevant {2}: 1/1. User C: nothing relevant, skipped.
        recall.update(new int[][] {RANKED, {1, 2}, {4, 5}}, new int[][] {RELEVANT, {2}, {}});
        assertThat(recall.result()).isEqualTo((1.0 / 3 + 1.0) / 2);
        assertThat(recall.users()).isEqualTo(2);
        assertThat(recall.skippedUsers()).isEqualTo(1);
        assertThat(recall.name()).isEqualTo("recall@3");
        recall.reset();
        assertThat(recall.result()).isNaN();
    }

    @Test
    void emptyCases() {
        // No relevant items: undefined for this user, NaN.
        assertThat(RecallAtK.compute(RANKED, new int[0], 3)).isNaN();
        assertThat(NdcgAtK.compute(RANKED, new int[0], 3)).isNaN();
        // Empty ranked list with relevant items: no hits, 0.
        assertThat(RecallAtK.compute(new int[0], RELEVANT, 3)).isEqualTo(0.0);
        assertThat(PrecisionAtK.compute(new int[0], RELEVANT, 3)).isEqualTo(0.0);
        assertThat(NdcgAtK.compute(new int[0], RELEVANT, 3)).isEqualTo(0.0);
        assertThat(MeanReciprocalRank.compute(new int[0], RELEVANT)).isEqualTo(0.0);
        assertThat(new HitRateAtK(5).result()).isNaN();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new NdcgAtK(0)).hasMessage("ranking metric: K must be >= 1, got 0");
        assertThatThrownBy(() -> RecallAtK.compute(new int[] {1, 2, 1}, new int[] {1}, 3))
                .hasMessage("recall@3: item 1 appears more than once in the top 3 of the ranked list");
        // A duplicate below the cut-off is not looked at.
        assertThat(RecallAtK.compute(new int[] {1, 2, 1}, new int[] {1}, 2)).isEqualTo(1.0);
        assertThatThrownBy(() -> PrecisionAtK.compute(RANKED, new int[] {3, 3}, 3))
                .hasMessage("precision@3: relevant item 3 is listed more than once");
        assertThatThrownBy(() -> new HitRateAtK(3).update(new int[][] {RANKED, {1, 1}}, new int[][] {RELEVANT, {1}}))
                .hasMessage("hit_rate@3: user 1: hit_rate@3: item 1 appears more than once in the top 2 of the ranked list");
        assertThatThrownBy(() -> new HitRateAtK(3).update(new int[][] {RANKED}, new int[0][]))
                .hasMessage("hit_rate@3: 1 ranked lists but 0 relevant sets");
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        float[] scores = {0.5f, 0.9f, 0.5f, 0.1f, 0.9f};
        assertThat(RankingMetric.topK(scores, 3)).containsExactly(1, 4, 0);
        assertThat(RankingMetric.topK(scores, 10)).containsExactly(1, 4, 0, 2, 3);
        assertThat(RankingMetric.topK(new float[0], 3)).isEmpty();
        assertThatThrownBy(() -> RankingMetric.topK(new float[] {1, Float.NaN}, 1)).hasMessageContaining("position 1 is NaN");
    }
}
