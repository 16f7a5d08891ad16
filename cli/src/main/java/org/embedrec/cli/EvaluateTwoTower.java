package org.embedrec.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.features.QueryFeatures;
import org.embedrec.features.StringLookup;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.models.retrieval.TwoTowerModel;

/**
 * {@code embedrec evaluate} on a saved two-tower model: the factorized top-K accuracies (K = 1,
 * 5, 10, 50, 100) of the split's test pairs against the saved catalogue, as training validates.
 * Each pair (user, timestamp; item) is encoded with the saved query preprocessing, its query
 * embedded by the saved query tower, and scored against the saved candidate embeddings; it is a
 * hit at K when fewer than K items score strictly higher than its own.
 *
 * <p>The data need not be the training data. A pair whose item is not in the saved catalogue
 * cannot be scored: it is left out and counted. A pair whose user the model has no embedding for
 * is scored with the out-of-vocabulary embedding, exactly as training's validation scores it
 * (so that the same data, split and seed give the numbers train printed), and counted.
 */
final class EvaluateTwoTower {
    static final String MODEL = "two-tower";

    private EvaluateTwoTower() {}

    /** The test pairs that can be scored: their raw users, timestamps and catalogue rows. */
    private record TestPairs(String[] users, long[] timestamps, int[] items, int unknownUsers, int unknownItems) {}

    static int run(EvaluateCommand cmd, TwoTowerModelFiles.Loaded loaded) throws IOException {
        TwoTowerRecommender recommender = loaded.recommender();
        TwoTowerModel model = recommender.model();
        RatingsData data = DataOptions.load(cmd.dataOptions.data, cmd.dataOptions.onBadLine, false);
        // Default to how the model was trained, so that evaluate reproduces train's numbers.
        String splitSpec = cmd.dataOptions.split != null ? cmd.dataOptions.split
                : loaded.split().isEmpty() ? "random:0.8" : loaded.split();
        long seed = cmd.seed == null ? model.config().seed() : cmd.seed;
        Split split = DataOptions.split(data, splitSpec, seed);
        Interactions test = split.test();
        if (test.size() == 0) {
            throw new IllegalArgumentException("--split " + splitSpec + ": the test part is empty; nothing to evaluate");
        }
        TestPairs pairs = testPairs(test, model.queryFeatures(), IdMapping.of(recommender.catalogue().itemIds()));
        int n = pairs.items().length;
        if (n == 0) {
            throw new IllegalArgumentException("--data " + data.name() + ": none of the " + test.size()
                    + " test pairs has an item of the model's catalogue (" + recommender.catalogue().size()
                    + " items, trained on " + loaded.dataName() + ")");
        }

        long start = System.nanoTime();
        float[] queries = model.embedQueries(model.queryFeatures().encode(pairs.users(), pairs.timestamps()));
        int catalogueSize = recommender.catalogue().size();
        Map<String, Double> metrics = new FactorizedTopK(FactorizedTopK.DEFAULT_KS).computeWithRanks(queries, n,
                recommender.candidateEmbeddings(), catalogueSize, model.embeddingWidth(), pairs.items());
        double seconds = (System.nanoTime() - start) / 1e9;

        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s (%s): test", MODEL, data.name(),
                splitSpec));
        for (int k : FactorizedTopK.DEFAULT_KS) {
            line.append(String.format(Locale.ROOT, " top_%d %.4f", k, metrics.get(FactorizedTopK.key(k))));
        }
        line.append(String.format(Locale.ROOT, " ndcg_10 %.4f mrr %.4f", metrics.get("ndcg_at_10"), metrics.get("mrr")));
        line.append(String.format(Locale.ROOT, "  |  %d test pairs against %d items, %.2fs", n, catalogueSize, seconds));
        System.out.println(line);
        if (pairs.unknownUsers() > 0) {
            System.out.printf(Locale.ROOT, "  %d of them of users the model has no embedding for (scored with the "
                    + "out-of-vocabulary one)%n", pairs.unknownUsers());
        }
        if (pairs.unknownItems() > 0) {
            System.out.printf(Locale.ROOT, "  %d more test pairs left out: their item is not in the model's catalogue%n",
                    pairs.unknownItems());
        }

        if (cmd.report != null) {
            RunReport report = new RunReport("evaluate", MODEL)
                    .dataset(data.name(), data.interactions().size(), data.interactions().numUsers(),
                            data.interactions().numItems())
                    .split(splitSpec, split.train().size(), test.size())
                    .metrics(new LinkedHashMap<>(metrics))
                    .timing("evaluation_seconds", seconds);
            ObjectNode evaluated = ((ObjectNode) report.json()).putObject("evaluated");
            evaluated.put("pairs", n);
            evaluated.put("unknown_user_pairs", pairs.unknownUsers());
            evaluated.put("unknown_item_pairs", pairs.unknownItems());
            evaluated.put("catalogue_items", catalogueSize);
            report.write(cmd.report);
        }
        return 0;
    }

    /**
     * The pairs of {@code test} whose item is in {@code catalogue}, with that item's catalogue
     * row; users and items are looked up once per distinct id, not per pair.
     */
    private static TestPairs testPairs(Interactions test, QueryFeatures queryFeatures, IdMapping catalogue) {
        List<String> rawItems = test.items().rawIds();
        int[] rowOfItem = new int[rawItems.size()];
        for (int i = 0; i < rowOfItem.length; i++) {
            String item = rawItems.get(i);
            rowOfItem[i] = catalogue.contains(item) ? catalogue.denseId(item) : -1;
        }
        List<String> rawUsers = test.users().rawIds();
        StringLookup vocabulary = queryFeatures.users();
        boolean[] known = new boolean[rawUsers.size()];
        for (int u = 0; u < known.length; u++) {
            known[u] = vocabulary.lookup(rawUsers.get(u)) >= vocabulary.firstVocabularyId();
        }
        int kept = 0;
        for (int i = 0; i < test.size(); i++) {
            kept += rowOfItem[test.item(i)] >= 0 ? 1 : 0;
        }
        String[] users = new String[kept];
        long[] timestamps = new long[kept];
        int[] items = new int[kept];
        int unknownUsers = 0;
        int p = 0;
        for (int i = 0; i < test.size(); i++) {
            int row = rowOfItem[test.item(i)];
            if (row < 0) {
                continue;
            }
            users[p] = rawUsers.get(test.user(i));
            timestamps[p] = test.timestamp(i);
            items[p] = row;
            unknownUsers += known[test.user(i)] ? 0 : 1;
            p++;
        }
        return new TestPairs(users, timestamps, items, unknownUsers, test.size() - kept);
    }
}
