package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.Rng;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingSummary;

/**
 * A Spark ML estimator of embedrec's rating presets ({@code mf}, {@code dot-mlp},
 * {@code ncf-mlp}), trained data-parallel on the data frame's partitions
 * ({@link DataParallelTraining}) through the same spec path as {@code embedrec train --model
 * NAME}: the preset's spec with its defaults, overridden by the parameters set here.
 *
 * <pre>{@code
 * EmbedrecRatingModel model = new EmbedrecRating().setUserCol("user").setItemCol("item")
 *         .setRatingCol("rating").setModel("mf").setEpochs(20).fit(ratings);
 * model.transform(test);                 // adds "prediction"
 * model.recommendForAllUsers(10);        // user, recommendations: [{item, rating}], as ALS
 * model.write().save("hdfs:///models/mf");   // metadata/ and embedrec/, a Recommender directory
 * }</pre>
 *
 * <p>The rows stay on the executors: the preprocessing is adapted from Spark aggregations
 * (distinct users and items with their counts, the ratings' mean and range:
 * {@link InteractionStatistics}), the saved model's history of each user (seen and recent items)
 * from more of them ({@link TrainingSummaries}), and the gradients are computed where the rows
 * are. The driver holds the vocabularies, the parameters and each user's seen items as ints.
 */
public final class EmbedrecRating extends Estimator<EmbedrecRatingModel> {
    private static final long serialVersionUID = 1L;
    /** The presets this estimator trains (wide-deep reads side tables a data frame of ratings does not hold). */
    public static final List<String> MODELS = List.of("mf", "dot-mlp", "ncf-mlp");
    /** The rows' layout: user, item, rating. */
    private static final RowLayout LAYOUT = new RowLayout(true, false, List.of(),
            List.of("userCol", "itemCol", "ratingCol"));

    private final String uid;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> ratingCol;
    private final Param<String> predictionCol;
    private final Param<String> model;
    private final IntParam embeddingDim;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private final IntParam localSteps;
    private transient DataParallelTraining.Result lastTraining;

    public EmbedrecRating() {
        this(Identifiable$.MODULE$.randomUID("embedrecRating"));
    }

    public EmbedrecRating(String uid) {
        this.uid = uid;
        userCol = new Param<>(this, "userCol", "column of user ids (string, int or long)");
        itemCol = new Param<>(this, "itemCol", "column of item ids (string, int or long)");
        ratingCol = new Param<>(this, "ratingCol", "column of ratings (numeric)");
        predictionCol = new Param<>(this, "predictionCol", "the models' output column of predicted ratings");
        model = new Param<>(this, "model", "rating preset: one of " + MODELS,
                ParamValidators.inArray(MODELS.toArray(new String[0])));
        embeddingDim = new IntParam(this, "embeddingDim", "embedding width (the preset's default when unset)",
                ParamValidators.gtEq(1));
        epochs = new IntParam(this, "epochs", "passes over the data (the preset's default when unset)",
                ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "rows per global step, over all partitions (the preset's "
                + "default when unset)", ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "the optimizer's learning rate (the preset's default when "
                + "unset)", ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seeds the initial weights, the batches and dropout");
        localSteps = new IntParam(this, "localSteps", "1: synchronous data-parallel steps; K > 1: each partition "
                + "takes K steps of its own, then the weights are averaged (a different algorithm, see "
                + "LocalStepsAveraging)", ParamValidators.gtEq(1));
        setDefault(localSteps, 1);
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(ratingCol, "rating");
        setDefault(predictionCol, "prediction");
        setDefault(model, "mf");
        setDefault(seed, 42L);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> ratingCol() { return ratingCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> model() { return model; }
    public IntParam embeddingDim() { return embeddingDim; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public DoubleParam learningRate() { return learningRate; }
    public LongParam seed() { return seed; }
    public IntParam localSteps() { return localSteps; }

    public EmbedrecRating setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecRating setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecRating setRatingCol(String value) { set(ratingCol, value); return this; }
    public EmbedrecRating setPredictionCol(String value) { set(predictionCol, value); return this; }
    public EmbedrecRating setModel(String value) { set(model, value); return this; }
    public EmbedrecRating setEmbeddingDim(int value) { set(embeddingDim, value); return this; }
    public EmbedrecRating setEpochs(int value) { set(epochs, value); return this; }
    public EmbedrecRating setBatchSize(int value) { set(batchSize, value); return this; }
    public EmbedrecRating setLearningRate(double value) { set(learningRate, value); return this; }
    public EmbedrecRating setSeed(long value) { set(seed, value); return this; }
    public EmbedrecRating setLocalSteps(int value) { set(localSteps, value); return this; }

    /** The preset's defaults with the parameters set here. */
    RatingModelConfig config() {
        String name = $(model);
        RatingModelConfig c = RatingModelConfig.defaults(name).withSeed((Long) $(seed));
        if (isDefined(embeddingDim)) {
            c = c.withEmbeddingDim((Integer) $(embeddingDim));
        }
        if (isDefined(epochs)) {
            c = c.withEpochs((Integer) $(epochs));
        }
        if (isDefined(batchSize)) {
            c = c.withBatchSize((Integer) $(batchSize));
        }
        if (isDefined(learningRate)) {
            c = c.withLearningRate(((Double) $(learningRate)).floatValue());
        }
        return c;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        DataColumns.requireId(schema, "userCol", $(userCol));
        DataColumns.requireId(schema, "itemCol", $(itemCol));
        DataColumns.requireNumeric(schema, "ratingCol", $(ratingCol));
        DataColumns.requireAbsent(schema, "predictionCol", $(predictionCol));
        return schema.add($(predictionCol), org.apache.spark.sql.types.DataTypes.FloatType, false);
    }

    @Override
    public EmbedrecRatingModel fit(Dataset<?> data) {
        transformSchema(data.schema());
        Dataset<Row> rows = rows(data);
        try {
            Trained t = trainOn(rows, data.sparkSession());
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("trained_by", "embedrec-spark " + getClass().getSimpleName());
            provenance.put("preset", $(model));
            provenance.put("config", t.config());
            provenance.put("partitions", t.partitions());
            provenance.put("local_steps", $(localSteps));
            provenance.put("epoch_losses", t.result().epochLosses());
            TrainingSummary summary = TrainingSummaries.of(rows, LAYOUT, t.statistics(),
                    t.catalogue().catalogueSize(), List.of(), t.encoder().spec().data());
            Recommender recommender = Recommender.build(t.model(), t.encoder(), t.catalogue(), null, summary,
                    provenance);
            EmbedrecRatingModel out = new EmbedrecRatingModel(uid, ModelArtifact.of(recommender));
            out.setUserCol($(userCol)).setItemCol($(itemCol)).setPredictionCol($(predictionCol));
            return out.setParent(this);
        } finally {
            rows.unpersist(false);
        }
    }

    /**
     * What {@link #train} gives: the rows' statistics, the encoder adapted on them and the
     * catalogue it encodes, the trained driver model and how training went.
     */
    record Trained(InteractionStatistics statistics, FeatureEncoder encoder, FeatureSource catalogue,
                   RatingModelConfig config, FeatureModel model, DataParallelTraining.Result result, int partitions) {}

    /** The (user, item, rating) rows of {@code data} as strings and a float, cached for the fit's several passes. */
    private Dataset<Row> rows(Dataset<?> data) {
        // Named plainly: the aggregations refer to these columns by name, and a cast's own name
        // ("CAST(a.b AS STRING)") would not parse back as one column.
        return data.select(col($(userCol)).cast("string").as(RowLayout.USER), col($(itemCol)).cast("string")
                .as(RowLayout.ITEM), col($(ratingCol)).cast("float").as(RowLayout.RATING))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Checks the columns, adapts the preprocessing by Spark aggregations and trains over {@code data}'s partitions. */
    Trained train(Dataset<?> data) {
        transformSchema(data.schema());
        Dataset<Row> rows = rows(data);
        try {
            return trainOn(rows, data.sparkSession());
        } finally {
            rows.unpersist(false);
        }
    }

    private Trained trainOn(Dataset<Row> rows, org.apache.spark.sql.SparkSession spark) {
        RatingModelConfig config = config();
        FeatureSpec spec = RatingSpecs.of($(model), config);
        InteractionStatistics stats = InteractionStatistics.of(rows, LAYOUT, spec);
        // The catalogue is the rows' items; no row is needed to encode it, only the ids.
        Interactions none = Interactions.builder().hasTimestamps(false)
                .build(IdMapping.of(stats.userIds), IdMapping.of(stats.itemIds));
        FeatureSource catalogue = FeatureSource.of(spec, none, null, null);
        FeatureEncoder encoder = stats.encoder(spec, catalogue);
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(spec, config.seed());
        FeatureExperiment.requireFitsTheHeap(encoder, settings, "Lower embeddingDim");
        FeatureModel trained = FeatureModels.build(encoder, stats.meanLabel, stats.minLabel, stats.maxLabel,
                new Rng(config.seed()));
        ReplicaRecipe recipe = new ReplicaRecipe(uid + "-" + UUID.randomUUID(), spec.toJsonString(),
                encoder.toJson().toString(), stats.userIds, stats.itemIds, stats.userCounts, stats.itemCounts,
                stats.meanLabel, stats.minLabel, stats.maxLabel, config.seed());

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<PartitionRows> partitions = rows.javaRDD()
                .mapPartitionsWithIndex((index, it) -> Collections.singletonList(PartitionRows.of(index, it))
                        .iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        DataParallelTraining.Result result;
        try {
            int k = (Integer) $(localSteps);
            result = k == 1
                    ? DataParallelTraining.fit(sc, partitions, stats.rows, recipe, trained,
                            FeatureExperiment.optimizer(trained, spec, settings), settings.epochs(), settings.batchSize(), config.seed())
                    : LocalStepsAveraging.fit(sc, partitions, stats.rows, recipe, trained, settings.optimizer(),
                            settings.learningRate(), settings.epochs(), settings.batchSize(), k, config.seed());
        } finally {
            partitions.unpersist(false);
        }
        lastTraining = result;
        return new Trained(stats, encoder, catalogue, config, trained, result, partitions.getNumPartitions());
    }

    /** The last fit's per-epoch losses and step times (on this estimator's JVM), or null before any fit. */
    public List<Double> lastEpochLosses() {
        return lastTraining == null ? null : lastTraining.epochLosses();
    }

    /** Wall seconds of each step of the last fit, in order, or null before any fit. */
    public double[] lastStepSeconds() {
        return lastTraining == null ? null : lastTraining.stepSeconds().clone();
    }

    @Override
    public EmbedrecRating copy(ParamMap extra) {
        return (EmbedrecRating) defaultCopy(extra);
    }
}
