package org.embedrec.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerSpecs;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingData;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedrec demo}: the two-tower retrieval model of the TensorFlow Recommenders tutorial,
 * trained offline on the built-in synthetic MovieLens-shaped data, then asked for the top 10 of
 * three users. Because the data's structure is planted, the output can be checked by eye: each
 * user likes one cluster of items and drifts towards a second, and most titles of a cluster
 * carry one of its six words; a recommendation from one of the user's two clusters is marked
 * {@code +}, and each user's line says how many of the 10 are, against the share of the
 * catalogue those clusters hold.
 *
 * <p>The model is the {@code two-tower} preset's spec ({@link TwoTowerSpecs}) trained through the
 * experiment API, asked through a {@link Recommender}, as {@code train --model two-tower} and
 * {@code recommend} would. The tutorial's towers (32-wide embeddings, one dense layer of 32) and optimizer (Adagrad),
 * but batches of 256 rather than 2048, at half the tutorial's learning rate, for 3 epochs: a few
 * seconds on two cores. The synthetic data is learnt within a few hundred steps and later ones
 * only overfit: with seed 42, held-out top-10 accuracy is 0.027 after 3 epochs and 0.020 after
 * 16, and the share of the top 10 from the user's clusters falls from 96% to 81%.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a two-tower retrieval model on the built-in synthetic data and show what it recommends.")
final class DemoCommand implements Callable<Integer> {
    static final int USERS_SHOWN = 3;
    static final int LAST_RATED = 5;
    static final int TOP_K = 10;
    static final int BATCH_SIZE = 256;
    static final float LEARNING_RATE = 0.05f;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds the split, the initial weights, the shuffling and the users shown (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3",
            description = "Epochs of training (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** The synthetic data's size, smaller in tests; the demo proper uses the MovieLens 100K shape. */
    @Option(names = "--users", hidden = true, defaultValue = "943",
            description = "Users of the synthetic data (default: ${DEFAULT-VALUE}).") int users;
    @Option(names = "--items", hidden = true, defaultValue = "1682",
            description = "Items of the synthetic data (default: ${DEFAULT-VALUE}).") int items;
    @Option(names = "--per-user", hidden = true, defaultValue = "106",
            description = "Mean interactions per user of the synthetic data (default: ${DEFAULT-VALUE}).") int perUser;

    @Override
    public Integer call() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        PrintStream out = System.out;
        SyntheticMovieLens.Config defaults = SyntheticMovieLens.Config.defaults();
        SyntheticMovieLens synthetic = SyntheticMovieLens.generate(defaults.withSize(users, items, perUser));
        Interactions all = synthetic.data().interactions();
        out.printf(Locale.ROOT, "embedrec demo: two-tower retrieval (kernels: %s, seed %d)%n", Kernels.get().name(), seed);
        out.printf(Locale.ROOT, "data: built-in synthetic MovieLens, %d users, %d items, %d interactions; planted: "
                        + "%d clusters of items, each user liking one and drifting towards another%n",
                all.numUsers(), all.numItems(), all.size(), synthetic.config().clusters());

        Split split = Split.random(all, 0.8, seed);
        TwoTowerConfig config = TwoTowerConfig.defaults().withBatchSize(BATCH_SIZE)
                .withOptimizer("adagrad", LEARNING_RATE).withEpochs(epochs).withValidationFreq(epochs).withSeed(seed);
        FeatureSpec spec = TwoTowerSpecs.of(config);
        SpecData data = SpecData.of(spec, Path.of("").toAbsolutePath(), synthetic.data());
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, data.items(), data.users());
        List<Callback> callbacks = new ArrayList<>();
        if (ProgressBarCallback.wanted(false)) {
            callbacks.add(new ProgressBarCallback("demo", config.batchSize()));
        }
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, seed),
                callbacks.toArray(Callback[]::new));
        History history = fitted.history();
        out.printf(Locale.ROOT, "trained on %d of them (80%%) for %d epochs in %.1fs: held-out top-10 accuracy %.3f, "
                        + "top-50 %.3f (picking at random: %.3f, %.3f)%n",
                prepared.train().size(), epochs, history.trainSeconds(),
                history.lastValidation(FactorizedTopK.key(10)).orElse(Double.NaN),
                history.lastValidation(FactorizedTopK.key(50)).orElse(Double.NaN),
                10.0 / all.numItems(), 50.0 / all.numItems());

        Recommender recommender = Recommender.build(fitted.model(), prepared.encoder(),
                new TrainingData(all, split.train(), data.items(), data.users()), Map.of());
        Demo demo = new Demo(synthetic, all, split.train(), recommender);
        ClusterFit fit = demo.clusterFit();
        out.printf(Locale.ROOT, "over all %d users, %.0f%% of their top %d (items not rated before) come from their "
                        + "two clusters, which hold %.0f%% of the catalogue%n",
                recommender.userIds().size(), 100 * fit.recommended(), TOP_K, 100 * fit.catalogue());
        for (int user : usersShown(recommender.userIds(), all)) {
            out.println();
            demo.show(out, user);
        }
        return 0;
    }

    /** {@link #USERS_SHOWN} distinct dense users with training interactions, drawn with the demo's seed. */
    private int[] usersShown(List<String> trained, Interactions all) {
        Rng rng = new Rng(seed);
        int n = Math.min(USERS_SHOWN, trained.size());
        int[] chosen = new int[n];
        for (int k = 0; k < n; k++) {
            int user;
            do {
                user = all.users().denseId(trained.get(rng.nextInt(trained.size())));
            } while (contains(chosen, k, user));
            chosen[k] = user;
        }
        return chosen;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * The share of all users' top {@link #TOP_K} (unseen items) that lies in each user's two
     * planted clusters, and the share of the catalogue those clusters hold, averaged over users.
     */
    record ClusterFit(double recommended, double catalogue) {}

    /** The trained demo: the synthetic data, its training rows and the recommender over the model. */
    private record Demo(SyntheticMovieLens synthetic, Interactions all, Interactions train, Recommender recommender) {

        /** A user's top TOP_K among the items they have not rated, as dense item ids of {@code all}. */
        int[] top(String userId) {
            List<RecommendedItem> items = recommender.recommend(Query.user(userId).k(TOP_K).excludeSeen(true).build())
                    .items();
            int[] out = new int[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.items().denseId(items.get(i).itemId());
            }
            return out;
        }

        String title(int item) {
            return synthetic.data().items().orElseThrow().title(item);
        }

        /** One user: planted taste, last rated titles and top 10 side by side, and how many of the 10 fit the taste. */
        void show(PrintStream out, int user) {
            String userId = all.users().rawId(user);
            int primary = synthetic.userCluster(user);
            int secondary = synthetic.userSecondaryCluster(user);
            String indent = " ".repeat(("user " + userId + ": ").length());
            out.printf(Locale.ROOT, "user %s: likes cluster %d (title words %s),%n%sdrifting towards cluster %d (%s)%n",
                    userId, primary, String.join(" ", synthetic.clusterWords(primary)), indent, secondary,
                    String.join(" ", synthetic.clusterWords(secondary)));

            int[] last = lastRated(train, user, LAST_RATED);
            int[] top = top(userId);
            List<String> left = new ArrayList<>();
            for (int item : last) {
                left.add(mark(synthetic, item, primary, secondary) + title(item));
            }
            int width = "last rated".length();
            for (String s : left) {
                width = Math.max(width, s.length());
            }
            out.printf(Locale.ROOT, "    %-" + width + "s    %s%n", "last rated", "top " + TOP_K + " (not rated before)");
            int fits = 0;
            for (int i = 0; i < Math.max(left.size(), top.length); i++) {
                String l = i < left.size() ? left.get(i) : "";
                String r = "";
                if (i < top.length) {
                    fits += inClusters(synthetic, top[i], primary, secondary) ? 1 : 0;
                    r = String.format(Locale.ROOT, "%2d. %s%s", i + 1, mark(synthetic, top[i], primary, secondary),
                            title(top[i]));
                }
                out.printf(Locale.ROOT, "    %-" + width + "s    %s%n", l, r);
            }
            int catalogueInClusters = 0;
            for (int i = 0; i < all.numItems(); i++) {
                catalogueInClusters += inClusters(synthetic, i, primary, secondary) ? 1 : 0;
            }
            int seen = 0;
            int seenInClusters = 0;
            for (int k = 0; k < train.size(); k++) {
                if (train.user(k) == user) {
                    seen++;
                    seenInClusters += inClusters(synthetic, train.item(k), primary, secondary) ? 1 : 0;
                }
            }
            out.printf(Locale.ROOT, "    + from the user's two clusters: %d of %d recommended, %d of %d rated in "
                            + "training; they hold %.0f%% of the catalogue%n", fits, top.length, seenInClusters, seen,
                    100.0 * catalogueInClusters / all.numItems());
        }

        ClusterFit clusterFit() {
            int clusters = synthetic.config().clusters();
            int[] perCluster = new int[clusters];
            for (int i = 0; i < all.numItems(); i++) {
                perCluster[synthetic.itemCluster(i)]++;
            }
            List<String> users = recommender.userIds();
            long fits = 0;
            long shown = 0;
            double chance = 0;
            for (String userId : users) {
                int dense = all.users().denseId(userId);
                int primary = synthetic.userCluster(dense);
                int secondary = synthetic.userSecondaryCluster(dense);
                for (int item : top(userId)) {
                    fits += inClusters(synthetic, item, primary, secondary) ? 1 : 0;
                    shown++;
                }
                chance += (double) (perCluster[primary] + perCluster[secondary]) / all.numItems();
            }
            return new ClusterFit((double) fits / shown, chance / users.size());
        }
    }

    private static boolean inClusters(SyntheticMovieLens synthetic, int item, int primary, int secondary) {
        int c = synthetic.itemCluster(item);
        return c == primary || c == secondary;
    }

    /** "+ " before an item of the user's two clusters, else two spaces. */
    private static String mark(SyntheticMovieLens synthetic, int item, int primary, int secondary) {
        return inClusters(synthetic, item, primary, secondary) ? "+ " : "  ";
    }

    /** The user's last {@code n} training items, latest first. */
    private static int[] lastRated(Interactions train, int user, int n) {
        List<long[]> rows = new ArrayList<>();
        for (int k = 0; k < train.size(); k++) {
            if (train.user(k) == user) {
                rows.add(new long[] {train.timestamp(k), train.item(k)});
            }
        }
        rows.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        int m = Math.min(n, rows.size());
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) rows.get(i)[1];
        }
        return out;
    }
}
