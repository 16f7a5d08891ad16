package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end learning on planted sequences: each user walks the catalogue in steps of +1 or +3
 * (the user's own stride) from a random start, so the next item follows from the history and is
 * never the most popular one. Popularity cannot rank it; a sequential model must learn it.
 */
class SequentialModelsTest {
    private static final int ITEMS = 30;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    static Interactions walks(int users, int length, long seed) {
        Rng rng = new Rng(seed);
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        for (int u = 0; u < users; u++) {
            int item = rng.nextInt(ITEMS);
            int stride = u % 2 == 0 ? 1 : 3;
            for (int t = 0; t < length; t++) {
                b.add(u, item, 1, t);
                item = (item + stride) % ITEMS;
            }
        }
        List<String> userIds = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            userIds.add("u" + u);
        }
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            itemIds.add("i" + i);
        }
        return b.build(IdMapping.of(userIds), IdMapping.of(itemIds));
    }

    private static SequentialConfig config(String model, NextItemLoss loss, int epochs, double dropout, long seed) {
        return new SequentialConfig(model, 16, 1, 2, 8, dropout, 0.01, 32, epochs, loss, 10, seed);
    }

    private static Map<String, Double> trainAndTest(SequentialConfig config) {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(300, 8, 5));
        SequenceEncoder model = SequentialModels.fit(config, split, 100).model();
        return NextItemEvaluation.evaluate(model, split.test(), 1);
    }

    @Test
    void popularityCannotFindThePlantedNextItems() {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(300, 8, 5));
        assertThat(NextItemEvaluation.evaluate(PopularityModel.fit(split.train()), split.test(), 1).get("hr@1"))
                .isLessThan(0.15);
    }

    @Test
    void sasrecLearnsThePlantedNextItemWithEachLoss() {
        for (NextItemLoss loss : NextItemLoss.values()) {
            Map<String, Double> m = trainAndTest(config(SasRec.NAME, loss, 25, 0.0, 1));
            assertThat(m.get("hr@1")).as("sasrec, %s loss: hr@1", loss).isGreaterThan(0.8);
        }
    }

    @Test
    void sasrecLearnsThePlantedNextItemWithSeenItemsLeftOutOfItsSoftmax() {
        Map<String, Double> m = trainAndTest(new SequentialConfig(SasRec.NAME, 16, 1, 2, 8, 0.0, 0.01, 32, 25,
                NextItemLoss.SOFTMAX, 10, 1, 0, true));
        assertThat(m.get("hr@1")).isGreaterThan(0.8);
    }

    @Test
    void gru4recLearnsThePlantedNextItem() {
        Map<String, Double> m = trainAndTest(config(Gru4Rec.NAME, NextItemLoss.SOFTMAX, 25, 0.0, 1));
        assertThat(m.get("hr@1")).isGreaterThan(0.8);
    }

    @Test
    void sasrecTrainsToTheSameBitsOnOneAndTwoThreads() {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(256, 13, 9));
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 32, 2, 2, 12, 0.2, 0.01, 128, 1,
                NextItemLoss.SOFTMAX, 10, 3);
        List<float[]> one = sameBitsOnOneAndTwoThreads(config, split);
        SequentialConfig otherSeed = new SequentialConfig(SasRec.NAME, 32, 2, 2, 12, 0.2, 0.01, 128, 1,
                NextItemLoss.SOFTMAX, 10, 4);
        assertThat(weights(SequentialModels.fit(otherSeed, split, 100).model()).get(0)).isNotEqualTo(one.get(0));
    }

    /**
     * With seen items left out of the softmax: the walks of stride 3 revisit items after 10 steps,
     * so steps exclude repeated items and some targets were read before; 128 sequences of 12
     * steps make more than one group of the fused softmax's backward sums.
     */
    @Test
    void sasrecLeavingSeenItemsOutTrainsToTheSameBitsOnOneAndTwoThreads() {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(256, 13, 9));
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 32, 2, 2, 12, 0.2, 0.01, 128, 2,
                NextItemLoss.SOFTMAX, 10, 3, 0, true);
        List<float[]> one = sameBitsOnOneAndTwoThreads(config, split);
        SequentialConfig keepingSeen = new SequentialConfig(SasRec.NAME, 32, 2, 2, 12, 0.2, 0.01, 128, 2,
                NextItemLoss.SOFTMAX, 10, 3, 0, false);
        assertThat(weights(SequentialModels.fit(keepingSeen, split, 100).model()).get(0))
                .as("the exclusion changes the training").isNotEqualTo(one.get(0));
    }

    /**
     * The reference's setting, width 50 and the bce loss, whose dense layers run the four-vector
     * SGEMM tile (forward, dX, and dW over the batch's steps, past one KC block) and whose loss
     * sums each step's products row by row on the threads: the same bits on one and two threads.
     */
    @Test
    void sasrecWithBceAtWidth50TrainsToTheSameBitsOnOneAndTwoThreads() {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(256, 13, 9));
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 50, 2, 1, 12, 0.2, 0.01, 256, 1,
                NextItemLoss.BCE, 10, 5);
        sameBitsOnOneAndTwoThreads(config, split);
    }

    @Test
    void earlyStoppingKeepsTheBestValidatedEpochAndStaysBitIdenticalOnOneAndTwoThreads() {
        NextItemSplit split = NextItemSplit.leaveLastOut(walks(256, 13, 9));
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 16, 1, 1, 12, 0.0, 0.05, 64, 30,
                NextItemLoss.SOFTMAX, 10, 3, 2, false);
        Parallel.setThreads(1);
        SequentialModels.Result one = SequentialModels.fit(config, split, 1);
        Parallel.setThreads(2);
        SequentialModels.Result two = SequentialModels.fit(config, split, 1);
        List<org.embedrec.nn.train.EpochResult> epochs = one.history().epochs();
        int best = 0;
        for (int i = 0; i < epochs.size(); i++) {
            if (best == 0 || epochs.get(i).validation().get("ndcg@10")
                    > epochs.get(best - 1).validation().get("ndcg@10")) {
                best = i + 1;
            }
        }
        assertThat(one.keptEpoch()).isEqualTo(best);
        assertThat(epochs.size()).as("stopped two validations after the best").isEqualTo(Math.min(30, best + 2));
        one.model().setTraining(false);
        Map<String, Double> kept = NextItemEvaluation.evaluate(one.model(), split.validation(), 3);
        assertThat(kept.get("ndcg@10")).as("the kept weights are the best epoch's")
                .isEqualTo(epochs.get(best - 1).validation().get("ndcg@10"));
        List<float[]> a = weights(one.model());
        List<float[]> b = weights(two.model());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("parameter %d, 2 threads vs 1", i).containsExactly(a.get(i));
        }
    }

    @Test
    void theScoresReadOnlyTheMostRecentMaxLengthItems() {
        SequenceEncoder model = SequentialModels.create(config(SasRec.NAME, NextItemLoss.SOFTMAX, 1, 0.0, 1), ITEMS,
                new Rng(1));
        model.setTraining(false);
        int[] recent = {3, 4, 5, 6, 7, 8, 9, 10};
        int[] longer = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[][] s = model.scores(new int[][] {recent, longer, {7, 8, 9, 10}});
        assertThat(s[1]).containsExactly(s[0]);
        assertThat(s[2]).isNotEqualTo(s[0]);
        assertThat(model.scores(new int[][] {{7, 8, 9, 10}})[0]).as("alone, unpadded")
                .containsExactly(s[2], within(1e-5f));
        assertThatThrownBy(() -> model.scores(new int[][] {{ITEMS}}))
                .hasMessageContaining("item " + ITEMS).hasMessageContaining("history 0");
        assertThatThrownBy(() -> model.scores(new int[][] {{}})).hasMessageContaining("history 0 is empty");
    }

    private static List<float[]> weights(SequenceEncoder model) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            out.add(p.value().data().clone());
        }
        return out;
    }

    /** Trains {@code config} on one thread and on two, asserts every weight the same bits, returns them. */
    private static List<float[]> sameBitsOnOneAndTwoThreads(SequentialConfig config, NextItemSplit split) {
        Parallel.setThreads(1);
        List<float[]> one = weights(SequentialModels.fit(config, split, 100).model());
        Parallel.setThreads(2);
        List<float[]> two = weights(SequentialModels.fit(config, split, 100).model());
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("parameter %d, 2 threads vs 1", i).containsExactly(one.get(i));
        }
        return one;
    }
}
