package org.embedrec.cli;

import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.UserSequences;
import org.embedrec.metrics.NextItemRanking;
import org.embedrec.models.retrieval.CandidateCatalogue;
import org.embedrec.models.retrieval.TwoTowerModel;

/**
 * The two-tower model under the sequential models' protocol, so that their numbers compare: after
 * {@code --split leave-last-out}, each test row's item is ranked among the whole catalogue with the
 * user's training items excluded ({@link NextItemRanking}), the query being the user and the test
 * row's timestamp, as the two-tower model's own evaluation asks.
 */
final class TwoTowerNextItem {
    private TwoTowerNextItem() {}

    static Map<String, Double> evaluate(TwoTowerModel model, CandidateCatalogue catalogue, Split split, long seed) {
        Interactions test = split.test();
        IdMapping items = test.items();
        int width = model.embeddingWidth();
        float[] candidates = model.embedCatalogue(catalogue);
        int[] rowOfItem = new int[items.size()];
        java.util.Arrays.fill(rowOfItem, -1);
        for (int row = 0; row < catalogue.size(); row++) {
            String id = catalogue.itemId(row);
            if (items.contains(id)) {
                rowOfItem[items.denseId(id)] = row;
            }
        }
        UserSequences seen = UserSequences.of(split.train());
        NextItemRanking ranking = new NextItemRanking(seed);
        float[] scores = new float[items.size()];
        for (int i = 0; i < test.size(); i++) {
            float[] q = model.queryEmbedding(test.users().rawId(test.user(i)), test.timestamp(i));
            for (int item = 0; item < scores.length; item++) {
                int row = rowOfItem[item];
                float s = Float.NEGATIVE_INFINITY;
                if (row >= 0) {
                    s = 0;
                    for (int d = 0; d < width; d++) {
                        s += q[d] * candidates[row * width + d];
                    }
                }
                scores[item] = s;
            }
            ranking.add(scores, test.item(i), seen.items(test.user(i)));
        }
        return ranking.result();
    }
}
