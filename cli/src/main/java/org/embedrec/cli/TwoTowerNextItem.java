package org.embedrec.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.UserSequences;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.metrics.NextItemRanking;
import org.embedrec.models.FeatureModel;

/**
 * The two-tower model under the sequential models' protocol, so that their numbers compare: after
 * {@code --split leave-last-out}, each test row's item is ranked among the whole catalogue with the
 * user's training items excluded ({@link NextItemRanking}), the query being the test row's own
 * query features (the user and the row's timestamp), as the two-tower model's own evaluation asks.
 */
final class TwoTowerNextItem {
    private TwoTowerNextItem() {}

    /** {@code model}'s next-item metrics on {@code split}'s test rows, which {@code prepared} encoded. */
    static Map<String, Double> evaluate(FeatureModel model, FeatureExperiment.Prepared prepared, Split split,
                                        long seed) {
        Interactions test = split.test();
        IdMapping items = test.items();
        int width = model.queryTower().outputDim();
        float[] candidates = model.embedCandidates(prepared.train().catalogue());
        float[] queries = model.embedQueries(prepared.test().queries());
        List<String> catalogue = prepared.catalogueIds();
        int[] rowOfItem = new int[items.size()];
        Arrays.fill(rowOfItem, -1);
        for (int row = 0; row < catalogue.size(); row++) {
            String id = catalogue.get(row);
            if (items.contains(id)) {
                rowOfItem[items.denseId(id)] = row;
            }
        }
        UserSequences seen = UserSequences.of(split.train());
        NextItemRanking ranking = new NextItemRanking(seed);
        float[] scores = new float[items.size()];
        for (int i = 0; i < test.size(); i++) {
            for (int item = 0; item < scores.length; item++) {
                int row = rowOfItem[item];
                float s = Float.NEGATIVE_INFINITY;
                if (row >= 0) {
                    s = 0;
                    for (int d = 0; d < width; d++) {
                        s += queries[i * width + d] * candidates[row * width + d];
                    }
                }
                scores[item] = s;
            }
            ranking.add(scores, test.item(i), seen.items(test.user(i)));
        }
        return ranking.result();
    }
}
