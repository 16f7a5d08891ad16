package org.embedrec.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.engine.Rng;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.nn.Parameter;

/**
 * The Spark retrieval proof on MovieLens 100K (not a test: run by hand, see the README's Spark
 * section): a two-tower spec trained in one process, as {@code embedrec train --spec NAME} does
 * (random 80/20 split of the seed, movies' titles from the item table), and the same spec trained
 * data-parallel through {@link EmbedrecRetrieval} on local[2] from data frames of the training
 * rows and the movies. Both are scored by the single-process evaluation (factorized top-100 over
 * the 1,682 movies): the Spark model's weights are set on a model of the single-process
 * preparation, whose vocabularies are the same (they are adapted on the same rows and do not
 * depend on their order). Prints both top-100 figures and one Spark step beside one local step.
 *
 * <p>Arguments: the ml-100k directory, the spec name ({@code two-tower-deep}), epochs (10), partitions (2).
 */
public final class MovieLensTwoTowerComparison {
    private MovieLensTwoTowerComparison() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        String name = args.length > 1 ? args[1] : "two-tower-deep";
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        long seed = 42;

        FeatureSpec spec = FeatureSpec.preset(name);
        SpecData data = SpecData.of(spec, dir, MovieLensReader.read(dir));
        Interactions all = data.interactions().interactions();
        Split split = Split.random(all, 0.8, seed);
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, data.items(), data.users());
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(spec, seed).withEpochs(epochs);
        FeatureExperiment.Fitted local = FeatureExperiment.fit(prepared, settings);
        Map<String, Double> localMetrics = FeatureExperiment.evaluate(local);
        int localSteps = (split.train().size() + settings.batchSize() - 1) / settings.batchSize();
        double localStep = local.history().medianEpochSeconds() / localSteps;

        SparkSession spark = SparkSession.builder().master("local[2]").appName("embedrec-two-tower")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> train = spark.createDataFrame(rows(split.train()), new StructType()
                .add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
                .add("timestamp", DataTypes.LongType)).repartition(partitions).cache();
        Dataset<Row> movies = spark.createDataFrame(movies(data.items()), new StructType()
                .add("item_id", DataTypes.StringType).add("title", DataTypes.StringType)).cache();
        long trainRows = train.count();
        movies.count();

        EmbedrecRetrieval estimator = new EmbedrecRetrieval().setUserCol("user_id").setItemCol("item_id")
                .setModel(name).setEpochs(epochs).setSeed(seed).setItems(movies);
        long start = System.nanoTime();
        EmbedrecRetrieval.Trained trained = estimator.train(train);
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        FeatureModel scored = FeatureModels.build(prepared.encoder(), prepared.meanLabel(), prepared.minLabel(),
                prepared.maxLabel(), new Rng(seed));
        copyWeights(trained.model(), scored);
        Map<String, Double> sparkMetrics = scored.metrics(prepared.test());
        double[] steps = estimator.lastStepSeconds();
        Arrays.sort(steps);

        System.out.printf(Locale.ROOT, "%s, %d epochs of batch %d, seed %d; %d training rows over %d partitions, "
                        + "%d test rows%n", name, epochs, settings.batchSize(), seed, trainRows,
                train.rdd().getNumPartitions(), prepared.test().size());
        System.out.printf(Locale.ROOT, "one process : top-100 %.5f  fit %.1f s  median step %.2f ms%n",
                localMetrics.get("top_100_accuracy"), local.seconds(), localStep * 1e3);
        System.out.printf(Locale.ROOT, "Spark       : top-100 %.5f  fit %.1f s  median step %.2f ms over %d steps%n",
                sparkMetrics.get("top_100_accuracy"), sparkSeconds, steps[steps.length / 2] * 1e3, steps.length);
        System.out.printf(Locale.ROOT, "epoch losses (mean per row) Spark: first %.4f last %.4f%n",
                trained.result().epochLosses().get(0),
                trained.result().epochLosses().get(trained.result().epochLosses().size() - 1));
        spark.stop();
    }

    private static List<Row> rows(Interactions train) {
        List<Row> out = new ArrayList<>(train.size());
        for (int r = 0; r < train.size(); r++) {
            out.add(RowFactory.create(train.users().rawId(train.user(r)), train.items().rawId(train.item(r)),
                    train.timestamp(r)));
        }
        return out;
    }

    private static List<Row> movies(AttributeTable items) {
        List<Row> out = new ArrayList<>(items.size());
        for (String id : items.ids()) {
            out.add(RowFactory.create(id, items.value(id, "title")));
        }
        return out;
    }

    /** Sets {@code to}'s weights to {@code from}'s, parameter by parameter (the same spec and vocabulary sizes). */
    private static void copyWeights(FeatureModel from, FeatureModel to) {
        List<Parameter> a = from.parameters();
        List<Parameter> b = to.parameters();
        if (a.size() != b.size()) {
            throw new IllegalStateException(a.size() + " parameters against " + b.size());
        }
        for (int p = 0; p < a.size(); p++) {
            float[] x = a.get(p).value().data();
            float[] y = b.get(p).value().data();
            if (x.length != y.length) {
                throw new IllegalStateException(a.get(p).name() + ": " + x.length + " weights against " + y.length
                        + "; the vocabularies differ");
            }
            System.arraycopy(x, 0, y, 0, x.length);
        }
    }
}
