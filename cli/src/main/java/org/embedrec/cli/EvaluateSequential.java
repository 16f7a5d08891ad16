package org.embedrec.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemSplit;

/**
 * {@code embedrec evaluate} on a saved next-item model (gru4rec, sasrec, pop): the leave-last-out
 * test metrics, full ranking with the sampled variant beside them, computed as train computes
 * them, so that the data the model was trained on gives the numbers train printed (the sampled
 * negatives are drawn from the seed train drew them from, unless {@code --seed} says otherwise).
 * The data must number its items as the model does: a next-item model scores its own catalogue.
 */
final class EvaluateSequential {
    private EvaluateSequential() {}

    static int run(EvaluateCommand cmd, SequentialModelFiles.Loaded loaded) throws IOException {
        String splitSpec = cmd.dataOptions.split == null ? TrainSequential.SPLIT : cmd.dataOptions.split.trim();
        if (!splitSpec.equals(TrainSequential.SPLIT)) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the " + loaded.name() + " model is evaluated "
                    + "under " + TrainSequential.SPLIT + " only");
        }
        RatingsData data = DataOptions.load(cmd.dataOptions.data, cmd.dataOptions.onBadLine, false);
        requireSameItems(loaded.itemIds(), data.interactions().items().rawIds(), loaded.dataName());
        NextItemSplit split = NextItemSplit.leaveLastOut(data.interactions());
        if (split.test().size() == 0) {
            throw new IllegalArgumentException("--data " + data.name() + ": no user has two interactions, so "
                    + TrainSequential.SPLIT + " leaves nothing to test");
        }
        long seed = cmd.seed == null ? loaded.evaluationSeed() : cmd.seed;
        long start = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>(NextItemEvaluation.evaluate(loaded.scorer(), split.test(),
                seed));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(TrainSequential.metricsLine(loaded.name(), data.name(), metrics)
                .append(String.format(Locale.ROOT, "  |  %d test users, evaluation %.2fs", split.test().size(), seconds)));
        if (cmd.report != null) {
            new RunReport("evaluate", loaded.name())
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(),
                            data.interactions().numItems())
                    .split(TrainSequential.SPLIT, split.train().numUsers(), split.test().size())
                    .metrics(metrics)
                    .timing("evaluation_seconds", seconds)
                    .write(cmd.report);
        }
        return 0;
    }

    private static void requireSameItems(List<String> model, List<String> data, String trainedOn) {
        if (model.size() != data.size()) {
            throw new IllegalArgumentException("the data has " + data.size() + " items, the model's catalogue "
                    + model.size() + " (trained on " + trainedOn + "); evaluate on the data set it was trained on");
        }
        for (int i = 0; i < model.size(); i++) {
            if (!model.get(i).equals(data.get(i))) {
                throw new IllegalArgumentException("the data's item ids differ from the model's (item " + i + " is '"
                        + data.get(i) + "' here, '" + model.get(i) + "' in the model, trained on " + trainedOn
                        + "); evaluate on the data set it was trained on");
            }
        }
    }
}
