package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;

/**
 * The Spark proof numbers on MovieLens 100K's canonical u1 split (not a test: run by hand, see
 * the README's Spark section): embedrec {@code mf} trained data-parallel through
 * {@link EmbedrecRating} on local[2], the same model trained in one process, and Spark MLlib ALS
 * on the same rows in the same session; RMSE on u1.test (predictions clipped to 1..5, the rows
 * whose user and item were trained on) and training time; one Spark step beside one local step.
 *
 * <p>Arguments: the ml-100k directory, then optionally epochs and batch size for both embedrec
 * runs (the mf preset's defaults otherwise), then the number of partitions (2), then the local steps
 * between averages (1: synchronous steps).
 */
public final class MovieLensU1Comparison {
    static final StructType U_DATA = new StructType()
            .add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
            .add("rating", DataTypes.DoubleType).add("time", DataTypes.LongType);

    private MovieLensU1Comparison() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        RatingModelConfig config = RatingModelConfig.defaults("mf");
        if (args.length > 1) {
            config = config.withEpochs(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            config = config.withBatchSize(Integer.parseInt(args[2]));
        }
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int averageEvery = args.length > 4 ? Integer.parseInt(args[4]) : 1;

        // One process: the spec path, as `embedrec train --model mf --split ml-100k:u1` runs it.
        RatingsData full = MovieLensReader.read(dir);
        Split split = MovieLensReader.readCanonicalSplit(full, "u1");
        FeatureSpec spec = RatingSpecs.of("mf", config);
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, full.interactions(), split, null, null);
        FeatureExperiment.Fitted local = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec,
                config.seed()));
        Map<String, Double> localMetrics = FeatureExperiment.evaluate(local);
        int localSteps = (split.train().size() + config.batchSize() - 1) / config.batchSize();
        double localStep = local.history().medianEpochSeconds() / localSteps;

        SparkSession spark = SparkSession.builder().master("local[2]").appName("embedrec-u1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> train = read(spark, dir.resolve("u1.base")).repartition(partitions).cache();
        Dataset<Row> test = read(spark, dir.resolve("u1.test")).cache();
        long trainRows = train.count();
        test.count();

        EmbedrecRating estimator = new EmbedrecRating().setModel("mf").setEpochs(config.epochs())
                .setBatchSize(config.batchSize()).setLocalSteps(averageEvery);
        long start = System.nanoTime();
        EmbedrecRatingModel model = estimator.fit(train);
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> scored = model.setColdStartStrategy("drop").transform(test);
        double sparkRmse = rmse(scored, "prediction");
        Set<String> known = new HashSet<>();
        for (Row r : scored.select("user", "item").collectAsList()) {
            known.add(r.get(0) + "/" + r.get(1));
        }
        double[] steps = estimator.lastStepSeconds();
        double[] sorted = steps.clone();
        Arrays.sort(sorted);

        ALS als = new ALS().setUserCol("user").setItemCol("item").setRatingCol("rating").setRank(10)
                .setMaxIter(10).setRegParam(0.1).setSeed(42).setColdStartStrategy("drop");
        start = System.nanoTime();
        ALSModel alsModel = als.fit(train);
        double alsSeconds = (System.nanoTime() - start) / 1e9;
        double alsRmse = rmse(alsModel.transform(test), "prediction");

        System.out.printf(Locale.ROOT, "u1.base %d rows over %d partitions, u1.test %d rows (%d of them with a "
                        + "trained user and item)%n", trainRows, train.rdd().getNumPartitions(), test.count(),
                known.size());
        System.out.printf(Locale.ROOT, "embedrec mf, one process : rmse %.4f (all u1.test rows)  fit %.1f s  "
                        + "median step %.2f ms (%d epochs, batch %d)%n", localMetrics.get("rmse"), local.seconds(),
                localStep * 1e3, config.epochs(), config.batchSize());
        System.out.printf(Locale.ROOT, "embedrec mf, Spark       : rmse %.4f (known rows)  fit %.1f s  median step "
                        + "%.2f ms over %d steps (local steps %d)%n", sparkRmse, sparkSeconds, sorted[sorted.length / 2] * 1e3,
                steps.length, averageEvery);
        System.out.printf(Locale.ROOT, "Spark MLlib ALS          : rmse %.4f (known rows)  fit %.1f s (rank 10, 10 "
                        + "iterations, regParam 0.1)%n", alsRmse, alsSeconds);
        List<Double> losses = estimator.lastEpochLosses();
        System.out.printf(Locale.ROOT, "Spark epoch losses: first %.4f last %.4f; one process: first %.4f last %.4f; "
                        + "train rmse via transform %.4f%n", losses.get(0), losses.get(losses.size() - 1),
                local.history().epochs().get(0).loss(),
                local.history().epochs().get(local.history().epochs().size() - 1).loss(),
                rmse(model.transform(train), "prediction"));
        spark.stop();
    }

    private static Dataset<Row> read(SparkSession spark, Path file) {
        return spark.read().option("sep", "\t").schema(U_DATA).csv(file.toString());
    }

    /** RMSE of {@code column} against the rating, predictions clipped to 1..5 as embedrec scores them. */
    private static double rmse(Dataset<Row> scored, String column) {
        List<Row> rows = scored.select(col("rating"), col(column)).collectAsList();
        double sum = 0;
        for (Row r : rows) {
            double p = Math.min(5, Math.max(1, ((Number) r.get(1)).doubleValue()));
            double e = p - r.getDouble(0);
            sum += e * e;
        }
        return Math.sqrt(sum / rows.size());
    }
}
