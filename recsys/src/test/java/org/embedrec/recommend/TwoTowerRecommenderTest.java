package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.embedrec.recommend.TwoTowerRecommender.IndexKind;
import org.embedrec.recommend.TwoTowerRecommender.Recommendation;
import org.embedrec.models.retrieval.CandidateCatalogue;
import org.embedrec.models.retrieval.TrainedTwoTower;
import org.junit.jupiter.api.Test;

/** Recommendations against scores computed by hand, exclusion of seen items, item-to-item cosines, item lookup. */
class TwoTowerRecommenderTest {
    private static final TrainedTwoTower TRAINED = TrainedTwoTower.train(11);
    private static final TwoTowerRecommender REC = TRAINED.recommender();
    private static final int WIDTH = TRAINED.model().embeddingWidth();
    private static final float[] ITEMS = TRAINED.model().embedCatalogue(TRAINED.prepared().catalogue());
    private static final int N = TRAINED.prepared().catalogue().size();

    /** Every item's {@code q . c_i}, in double. */
    private static double[] scores(float[] query, float[] items) {
        double[] s = new double[N];
        for (int i = 0; i < N; i++) {
            for (int d = 0; d < WIDTH; d++) {
                s[i] += (double) query[d] * items[i * WIDTH + d];
            }
        }
        return s;
    }

    /** Item rows by score, best first (ties to the smaller row), leaving out {@code skip}. */
    private static List<Integer> ranked(double[] scores, java.util.function.IntPredicate skip) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            if (!skip.test(i)) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        return rows;
    }

    private static List<Integer> rows(List<Recommendation> recs) {
        List<Integer> out = new ArrayList<>();
        for (Recommendation r : recs) {
            out.add(r.row());
        }
        return out;
    }

    @Test
    void theTopKAreTheItemsOfLargestInnerProductWithTheQueryAtTheUsersLatestTime() {
        UserHistory history = REC.history();
        for (int u = 0; u < history.size(); u += 7) {
            String user = history.userId(u);
            float[] q = TRAINED.model().queryEmbedding(user, history.latestTimestamp(u));
            double[] s = scores(q, ITEMS);
            List<Recommendation> top = REC.recommend(user, 5, false);

            assertThat(rows(top)).as("user %s", user).isEqualTo(ranked(s, i -> false).subList(0, 5));
            for (Recommendation r : top) {
                assertThat((double) r.score()).isCloseTo(s[r.row()], within(1e-5));
                assertThat(r.itemId()).isEqualTo(TRAINED.prepared().catalogue().itemId(r.row()));
                assertThat(r.title()).isEqualTo(TRAINED.prepared().catalogue().title(r.row()));
            }
            assertThat(REC.recommend(user, history.latestTimestamp(u), 5, false)).isEqualTo(top);
        }
    }

    @Test
    void anotherQueryTimeGivesTheRankingOfThatTimesQuery() {
        String user = REC.history().userId(0);
        long early = TRAINED.data().interactions().timestamp(0) - 50L * 86_400;
        double[] s = scores(TRAINED.model().queryEmbedding(user, early), ITEMS);
        assertThat(rows(REC.recommend(user, early, N, false))).isEqualTo(ranked(s, i -> false));
    }

    @Test
    void excludingSeenItemsLeavesExactlyTheUnseenOnesInScoreOrder() {
        UserHistory history = REC.history();
        for (int u = 0; u < history.size(); u++) {
            String user = history.userId(u);
            int row = u;
            double[] s = scores(TRAINED.model().queryEmbedding(user, history.latestTimestamp(u)), ITEMS);
            List<Integer> unseen = ranked(s, i -> history.hasSeen(row, i));
            assertThat(history.seenCount(u)).isPositive();

            assertThat(rows(REC.recommend(user, N, true))).as("user %s", user).isEqualTo(unseen);
            assertThat(rows(REC.recommend(user, 3, true))).isEqualTo(unseen.subList(0, 3));
            assertThat(rows(REC.recommend(user, N, false))).hasSize(N);
        }
    }

    @Test
    void theGraphIndexFindsWhatTheExactOneDoesOnASmallCatalogue() {
        TwoTowerRecommender hnsw = REC.withIndex(IndexKind.HNSW);
        assertThat(hnsw.indexKind()).isEqualTo(IndexKind.HNSW);
        assertThat(REC.indexKind()).isEqualTo(IndexKind.BRUTE_FORCE);
        for (int u = 0; u < REC.history().size(); u += 5) {
            String user = REC.history().userId(u);
            assertThat(rows(hnsw.recommend(user, 10, true))).isEqualTo(rows(REC.recommend(user, 10, true)));
        }
        assertThat(rows(hnsw.similarTo(3, 5))).isEqualTo(rows(REC.similarTo(3, 5)));
    }

    @Test
    void similarItemsAreTheLargestCosinesOfCandidateEmbeddingsWithoutTheItemItself() {
        int item = 4;
        double[] cos = new double[N];
        for (int i = 0; i < N; i++) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int d = 0; d < WIDTH; d++) {
                dot += (double) ITEMS[item * WIDTH + d] * ITEMS[i * WIDTH + d];
                a += (double) ITEMS[item * WIDTH + d] * ITEMS[item * WIDTH + d];
                b += (double) ITEMS[i * WIDTH + d] * ITEMS[i * WIDTH + d];
            }
            cos[i] = dot / Math.sqrt(a * b);
        }
        List<Recommendation> similar = REC.similarTo(item, N);

        assertThat(rows(similar)).isEqualTo(ranked(cos, i -> i == item));
        for (Recommendation r : similar) {
            assertThat((double) r.score()).isCloseTo(cos[r.row()], within(1e-5));
        }
    }

    @Test
    void itemsAreFoundByIdOrByATitleOnlyOneItemHas() {
        CandidateCatalogue catalogue = TRAINED.prepared().catalogue();
        assertThat(REC.itemRow(catalogue.itemId(7))).isEqualTo(7);
        assertThat(REC.itemRow(catalogue.title(9).toUpperCase(java.util.Locale.ROOT))).isEqualTo(9);
        assertThatThrownBy(() -> REC.itemRow("no such film")).hasMessageContaining("item 'no such film': no item has "
                + "this id or title");
        String word = catalogue.title(9).substring(0, 4);
        assertThatThrownBy(() -> REC.itemRow(word)).hasMessageContaining("titles containing it: ");

        String[] titles = catalogue.titles();
        titles[2] = "Twin (1990)";
        titles[5] = "Twin (1990)";
        CandidateCatalogue twins = CandidateCatalogue.of(catalogue.itemIds(), titles,
                TRAINED.prepared().candidateFeatures());
        TwoTowerRecommender withTwins = TwoTowerRecommender.of(TRAINED.model(), twins,
                TRAINED.model().embedCatalogue(twins), REC.history());
        assertThatThrownBy(() -> withTwins.itemRow("twin (1990)")).hasMessageContaining("2 items have this title (ids "
                + catalogue.itemId(2) + ", " + catalogue.itemId(5) + "); give the item id");
    }

    @Test
    void unknownUsersBadKAndMismatchedPartsAreRefused() {
        assertThatThrownBy(() -> REC.recommend("stranger", 5, false))
                .hasMessageContaining("user 'stranger' has no interactions in the training data")
                .hasMessageContaining(REC.history().size() + " users have one, e.g. " + REC.history().userId(0));
        String user = REC.history().userId(0);
        assertThatThrownBy(() -> REC.recommend(user, 0, false)).hasMessageContaining("k must be at least 1, got 0");
        assertThatThrownBy(() -> REC.similarTo(0, -1)).hasMessageContaining("k must be at least 1, got -1");
        assertThatThrownBy(() -> TwoTowerRecommender.of(TRAINED.model(), TRAINED.prepared().catalogue(),
                new float[WIDTH * N - 1], REC.history()))
                .hasMessageContaining(N + " items x " + WIDTH);
        UserHistory smaller = UserHistory.of(List.of("x"), new long[] {1L}, new int[] {0, 1}, new int[] {0}, N - 1);
        assertThatThrownBy(() -> TwoTowerRecommender.of(TRAINED.model(), TRAINED.prepared().catalogue(), ITEMS, smaller))
                .hasMessageContaining("catalogue of " + (N - 1) + " items, the catalogue has " + N);
    }
}
