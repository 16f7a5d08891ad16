package org.embedrec.models.rating;

import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.train.EpochResult;

/**
 * Scratch timing and accuracy run, not a test: {@code mf} examples per second on a
 * 943 x 1682 x 80k planted data set, and each model's test RMSE on planted data.
 * Run with the test classpath: {@code java ... org.embedrec.models.rating.RatingModelsBench [mf|all]}.
 */
public final class RatingModelsBench {
    private RatingModelsBench() {}

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("mf") || what.equals("all")) {
            PlantedRatings big = PlantedRatings.generate(943, 1682, 100_000, 8, 0.3, 7);
            for (int batch : new int[] {1024, 2048, 4096}) {
                RatingModelConfig c = RatingModelConfig.defaults("mf").withBatchSize(batch).withEpochs(15);
                RatingModel mf = RatingModels.create("mf", big.spec, c, new Rng(1));
                RatingTraining.Result r = RatingTraining.fit(mf, c, big.train, big.test);
                System.out.printf("mf batch %d: train n=%d median epoch %.1f ms, %.0f ex/s (median), test rmse %.4f baseline %.4f%n",
                        batch, big.train.size(), r.history().medianEpochSeconds() * 1e3,
                        big.train.size() / r.history().medianEpochSeconds(), big.testRmse(mf), big.baselineRmse());
            }
        }
        if (what.equals("all") || what.equals("planted")) {
            PlantedRatings data = PlantedRatings.generate(300, 200, 20_000, 5, 0.3, 11);
            for (String name : RatingModels.NAMES) {
                for (int pre : name.equals("wide-deep") ? new int[] {0, 2} : new int[] {0}) {
                    RatingModelConfig c = RatingModelConfig.defaults(name).withPretrainEpochs(pre);
                    if (args.length > 1) {
                        c = c.withEpochs(Integer.parseInt(args[1]));
                    }
                    RatingModel m = RatingModels.create(name, data.spec, c, new Rng(3));
                    long t0 = System.nanoTime();
                    RatingTraining.Result r = RatingTraining.fit(m, c, data.train, data.test);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    StringBuilder curve = new StringBuilder();
                    for (EpochResult e : r.history().epochs()) {
                        curve.append(String.format(" %.3f", e.validation().get("rmse")));
                    }
                    System.out.printf("%s pre=%d: test rmse %.4f (baseline %.4f) in %.2f s; curve%s%n", name, pre,
                            data.testRmse(m), data.baselineRmse(), secs, curve);
                }
            }
        }
    }
}
