package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NextItemRankingTest {

    @Test
    void theRankCountsUnseenItemsScoredAboveAndEqualScoresWithALowerId() {
        float[] scores = {0.5f, 0.9f, 0.1f, 0.9f, 0.3f};
        assertThat(NextItemRanking.rank(scores, 3, new boolean[5])).as("item 1 ties and has the lower id").isEqualTo(1);
        assertThat(NextItemRanking.rank(scores, 1, new boolean[5])).as("item 3 ties with a higher id").isZero();
        assertThat(NextItemRanking.rank(scores, 3, new boolean[] {false, true, false, false, false}))
                .as("item 1 seen").isZero();
        assertThat(NextItemRanking.rank(scores, 2, new boolean[5])).isEqualTo(4);
    }

    @Test
    void hitRateNdcgAndMrrAreTheMeansOfHandComputedPerUserValues() {
        NextItemRanking ranking = new NextItemRanking(1);
        ranking.add(new float[] {0.1f, 0.2f, 0.9f, 0.3f, 0.0f, 0.0f}, 2, new int[0]);          // rank 0
        ranking.add(new float[] {6, 5, 4, 3, 2, 1}, 3, new int[0]);                            // rank 3
        Map<String, Double> m = ranking.result();
        assertThat(m.get("hr@1")).isEqualTo(0.5);
        assertThat(m.get("hr@5")).isEqualTo(1.0);
        assertThat(m.get("ndcg@1")).isEqualTo(0.5);
        // rank 3: 1 / log2(5) = 0.430677
        assertThat(m.get("ndcg@5")).isCloseTo((1 + 0.4306765581) / 2, within(1e-9));
        assertThat(m.get("mrr")).isCloseTo((1 + 0.25) / 2, within(1e-12));
        assertThat(ranking.users()).isEqualTo(2);
    }

    @Test
    void seenItemsLeaveTheRankingButTheTargetStaysInIt() {
        NextItemRanking ranking = new NextItemRanking(1);
        // Items 0 and 1 score above the target 3 but were seen; the target itself is also in the history.
        ranking.add(new float[] {9, 8, 1, 5, 2}, 3, new int[] {0, 1, 3});
        assertThat(ranking.result().get("hr@1")).isEqualTo(1.0);
        assertThat(ranking.result().get("mrr")).isEqualTo(1.0);
    }

    @Test
    void withFewerUnseenItemsThanNegativesTheSampledRankingIsTheFullOne() {
        NextItemRanking ranking = new NextItemRanking(7);
        float[] scores = new float[60];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (i * 37) % 60;
        }
        ranking.add(scores, 10, new int[] {1, 2, 3});
        ranking.add(scores, 40, new int[] {5});
        Map<String, Double> m = ranking.result();
        assertThat(m.get("sampled_mrr")).isEqualTo(m.get("mrr"));
        assertThat(m.get("sampled_ndcg@20")).isEqualTo(m.get("ndcg@20"));
    }

    @Test
    void theSampledRankingUsesAHundredNegativesAndRanksNoWorseThanTheFullOne() {
        float[] scores = new float[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 1000 - i;                     // item i has full rank i
        }
        NextItemRanking ranking = new NextItemRanking(3);
        ranking.add(scores, 500, new int[0]);
        Map<String, Double> m = ranking.result();
        assertThat(m.get("mrr")).isEqualTo(1.0 / 501);
        // About half of 100 uniform negatives beat the target: far from the full rank of 500.
        assertThat(1 / m.get("sampled_mrr") - 1).isBetween(30.0, 70.0);
    }

    @Test
    void aTargetOrSeenItemOutsideTheCatalogueIsRefusedWithTheCatalogueSize() {
        NextItemRanking ranking = new NextItemRanking(1);
        assertThatThrownBy(() -> ranking.add(new float[3], 3, new int[0]))
                .hasMessageContaining("target 3").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> ranking.add(new float[3], 0, new int[] {-1}))
                .hasMessageContaining("seen item -1");
    }
}
