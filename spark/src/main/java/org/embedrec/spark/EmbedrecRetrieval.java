package org.embedrec.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.Rng;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.TrainingSummary;

/**
 * A Spark ML estimator of embedrec's two-tower retrieval models, the presets {@code two-tower} and
 * {@code two-tower-deep} or any retrieval spec ({@link #setSpec}), trained with the in-batch
 * softmax, data-parallel and equal to the single-process training ({@link InBatchSoftmaxTraining}).
 *
 * <pre>{@code
 * EmbedrecRetrievalModel model = new EmbedrecRetrieval().setUserCol("user_id").setItemCol("item_id")
 *         .setModel("two-tower").setItems(movies)     // items: item_id, title (optional)
 *         .setEpochs(30).fit(ratings);                 // ratings: user_id, item_id, timestamp
 * model.recommendForAllUsers(10);                      // user_id, recommendations: [{item_id, score}]
 * model.write().save("hdfs:///models/tt");             // metadata/ and embedrec/, a Recommender directory
 * }</pre>
 *
 * <p>The rows stay on the executors: the preprocessing is adapted from Spark aggregations
 * ({@link InteractionStatistics}: distinct ids with counts, each query feature's counts or
 * moments), the saved model's history of each user (seen and recent items, latest features) from
 * more of them ({@link TrainingSummaries}); the driver holds the vocabularies, the catalogue (the
 * items frame, or each item's first row's candidate columns), the parameters and each user's seen
 * items as ints. Each step's batch embeddings come to the driver ({@link InBatchSoftmaxTraining}). Only the
 * in-batch softmax without L2, sample weights or extra negatives is trained on Spark; other
 * specs are refused with the field that asks for them.
 */
public final class EmbedrecRetrieval extends Estimator<EmbedrecRetrievalModel> {
    private static final long serialVersionUID = 1L;
    /** The presets this estimator trains. */
    public static final List<String> MODELS = List.of("two-tower", "two-tower-deep");

    private final String uid;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> timestampCol;
    private final Param<String> model;
    private final Param<String> spec;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private transient Dataset<?> items;
    private transient DataParallelTraining.Result lastTraining;

    public EmbedrecRetrieval() {
        this(Identifiable$.MODULE$.randomUID("embedrecRetrieval"));
    }

    public EmbedrecRetrieval(String uid) {
        this.uid = uid;
        userCol = new Param<>(this, "userCol", "column of user ids (string, int or long): the spec's user");
        itemCol = new Param<>(this, "itemCol", "column of item ids (string, int or long): the spec's item, in the "
                + "data and the items frame");
        timestampCol = new Param<>(this, "timestampCol", "column of timestamps (seconds, or a timestamp): the "
                + "spec's timestamp");
        model = new Param<>(this, "model", "retrieval preset: one of " + MODELS,
                ParamValidators.inArray(MODELS.toArray(new String[0])));
        spec = new Param<>(this, "spec", "a retrieval feature spec as JSON text; when set, used instead of model");
        epochs = new IntParam(this, "epochs", "passes over the data (the spec's when unset)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "rows per global step, over all partitions (the spec's when "
                + "unset)", ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "the optimizer's learning rate (the spec's when unset)",
                ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seeds the initial weights and the batches");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(timestampCol, "timestamp");
        setDefault(model, "two-tower");
        setDefault(seed, 42L);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> timestampCol() { return timestampCol; }
    public Param<String> model() { return model; }
    public Param<String> spec() { return spec; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public DoubleParam learningRate() { return learningRate; }
    public LongParam seed() { return seed; }

    public EmbedrecRetrieval setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecRetrieval setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecRetrieval setTimestampCol(String value) { set(timestampCol, value); return this; }
    public EmbedrecRetrieval setModel(String value) { set(model, value); return this; }
    public EmbedrecRetrieval setSpec(String json) { set(spec, json); return this; }
    public EmbedrecRetrieval setEpochs(int value) { set(epochs, value); return this; }
    public EmbedrecRetrieval setBatchSize(int value) { set(batchSize, value); return this; }
    public EmbedrecRetrieval setLearningRate(double value) { set(learningRate, value); return this; }
    public EmbedrecRetrieval setSeed(long value) { set(seed, value); return this; }

    /**
     * The item table: {@code itemCol} and the columns the candidate features read (a title, say);
     * its items no one has interacted with are in the catalogue too. Null: the candidate columns
     * come from the interactions (each item's first row). Not a Spark parameter: it is not saved.
     */
    public EmbedrecRetrieval setItems(Dataset<?> value) {
        this.items = value;
        return this;
    }

    /** The spec this estimator trains: {@link #spec}'s JSON when set, else the preset {@link #model}; checked. */
    FeatureSpec featureSpec() {
        FeatureSpec s;
        if (isDefined(spec)) {
            try {
                s = FeatureSpec.fromJson(new ObjectMapper().readTree($(spec)), "spec parameter");
            } catch (IOException e) {
                throw new IllegalArgumentException("spec: not readable JSON: " + e.getMessage(), e);
            }
        } else {
            s = FeatureSpec.preset($(model));
        }
        requireTrainable(s);
        return s;
    }

    /** Refuses what the Spark training does not do, naming the spec field. */
    static void requireTrainable(FeatureSpec s) {
        String source = "EmbedrecRetrieval trains the in-batch softmax of a two-tower spec";
        if (s.rating() != null) {
            throw new IllegalArgumentException("tasks.rating: " + source + " without a rating task; use "
                    + "EmbedrecRating for the rating presets");
        }
        if (s.retrieval() == null) {
            throw new IllegalArgumentException("tasks.retrieval: the spec has no retrieval task; " + source);
        }
        if (!s.retrieval().loss().equals(FeatureSpec.RetrievalTask.SOFTMAX)) {
            throw new IllegalArgumentException("tasks.retrieval.loss '" + s.retrieval().loss() + "': " + source
                    + " (\"softmax\"); BPR and sampled negatives are not trained on Spark");
        }
        if (s.retrieval().negatives() != null) {
            throw new IllegalArgumentException("tasks.retrieval.negatives '" + s.retrieval().negatives() + "': hard "
                    + "negatives are not trained on Spark; " + source + " over the batch's own items");
        }
        if (s.data().weight() != null) {
            throw new IllegalArgumentException("data.weight '" + s.data().weight() + "': sample weights are not "
                    + "trained on Spark");
        }
        if (s.training().l2() > 0) {
            throw new IllegalArgumentException("training.l2 " + s.training().l2() + ": L2 is not trained on Spark; "
                    + "set it to 0");
        }
        if (s.data().items() != null || s.data().users() != null) {
            throw new IllegalArgumentException("data." + (s.data().items() != null ? "items" : "users") + ": on Spark "
                    + "the item table is a data frame (setItems) and query features read the interactions' columns; "
                    + "remove the spec's table");
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        RetrievalColumns.of(featureSpec(), schema, items == null ? null : items.schema(), $(userCol), $(itemCol),
                $(timestampCol));
        return schema.add("prediction", DataTypes.FloatType, false);
    }

    @Override
    public EmbedrecRetrievalModel fit(Dataset<?> data) {
        FeatureSpec s = featureSpec();
        RetrievalColumns columns = columns(s, data);
        Dataset<Row> rows = columns.rows(data).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Trained t = trainOn(s, columns, rows, data.sparkSession());
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("trained_by", "embedrec-spark " + getClass().getSimpleName());
            provenance.put("spec", isDefined(spec) ? "given" : $(model));
            provenance.put("settings", t.settings());
            provenance.put("partitions", t.partitions());
            provenance.put("epoch_losses", t.result().epochLosses());
            TrainingSummary summary = TrainingSummaries.of(rows, columns.layout(), t.statistics(),
                    t.catalogue().catalogueSize(), TrainingSummaries.latestColumns(s), s.data());
            Recommender recommender = Recommender.build(t.model(), t.encoder(), t.catalogue(), t.itemTable(), summary,
                    provenance);
            EmbedrecRetrievalModel out = new EmbedrecRetrievalModel(uid, ModelArtifact.of(recommender));
            out.setUserCol($(userCol)).setItemCol($(itemCol)).setTimestampCol($(timestampCol));
            return out.setParent(this);
        } finally {
            rows.unpersist(false);
        }
    }

    /**
     * What {@link #train} gives: the rows' statistics, the items frame as a table, the encoder
     * adapted by Spark aggregations and the catalogue it encodes, the settings, the trained driver
     * model and how training went.
     */
    record Trained(InteractionStatistics statistics, AttributeTable itemTable, FeatureEncoder encoder,
                   FeatureSource catalogue, FeatureExperiment.Settings settings, FeatureModel model,
                   DataParallelTraining.Result result, int partitions) {}

    /** The spec's training settings with the parameters set here. */
    FeatureExperiment.Settings settings(FeatureSpec s) {
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(s, (Long) $(seed));
        if (isDefined(epochs)) {
            settings = settings.withEpochs((Integer) $(epochs));
        }
        if (isDefined(batchSize)) {
            settings = settings.withBatchSize((Integer) $(batchSize));
        }
        if (isDefined(learningRate)) {
            settings = settings.withLearningRate((Double) $(learningRate));
        }
        return settings;
    }

    private RetrievalColumns columns(FeatureSpec s, Dataset<?> data) {
        return RetrievalColumns.of(s, data.schema(), items == null ? null : items.schema(), $(userCol), $(itemCol),
                $(timestampCol));
    }

    /** Checks the columns, adapts the preprocessing by Spark aggregations and trains over {@code data}'s partitions. */
    Trained train(Dataset<?> data) {
        FeatureSpec s = featureSpec();
        RetrievalColumns columns = columns(s, data);
        Dataset<Row> rows = columns.rows(data).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return trainOn(s, columns, rows, data.sparkSession());
        } finally {
            rows.unpersist(false);
        }
    }

    private Trained trainOn(FeatureSpec s, RetrievalColumns columns, Dataset<Row> rows, SparkSession spark) {
        RowLayout layout = columns.layout();
        InteractionStatistics stats = InteractionStatistics.of(rows, layout, s);
        AttributeTable itemTable = columns.itemTable(items);
        AttributeTable catalogueTable = columns.catalogueTable(stats.itemIds,
                TrainingSummaries.firstRowValues(rows, layout, columns.rowCandidateColumns()), itemTable);
        // The catalogue needs no row: the ids, and every candidate column in its table.
        Interactions none = Interactions.builder().hasRatings(false).hasTimestamps(columns.hasTimestamps())
                .extraColumns(layout.extraColumns()).build(IdMapping.of(stats.userIds), IdMapping.of(stats.itemIds));
        FeatureSource catalogue = FeatureSource.of(s, none, catalogueTable, null);
        FeatureEncoder encoder = stats.encoder(s, catalogue);
        FeatureExperiment.Settings settings = settings(s);
        FeatureExperiment.requireFitsTheHeap(encoder, settings, "Lower the spec's embedding_dim or max_tokens");
        FeatureModel trained = FeatureModels.build(encoder, 0f, 0f, 0f, new Rng(settings.seed()));
        RetrievalRecipe recipe = recipe(s, columns, stats, catalogue, encoder, settings.seed());

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        boolean timestamps = columns.hasTimestamps();
        int queryColumns = columns.queryColumns().size();
        JavaRDD<RetrievalRows> partitions = rows.javaRDD()
                .mapPartitionsWithIndex((index, it) -> Collections.singletonList(
                        RetrievalRows.of(index, it, timestamps, queryColumns)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        DataParallelTraining.Result result;
        try {
            result = InBatchSoftmaxTraining.fit(sc, partitions, stats.rows, recipe, trained,
                    FeatureExperiment.optimizer(trained, s, settings), itemFrequency(stats, catalogue.catalogueSize()),
                    settings.epochs(), settings.batchSize(), settings.seed());
        } finally {
            partitions.unpersist(false);
        }
        lastTraining = result;
        return new Trained(stats, itemTable, encoder, catalogue, settings, trained, result,
                partitions.getNumPartitions());
    }

    /**
     * Each catalogue item's sampling probability, smoothed, as the single-process task takes it
     * for log-q: (training rows of the item + 1) / (training rows + catalogue size).
     */
    static double[] itemFrequency(InteractionStatistics stats, int catalogueSize) {
        double total = stats.rows + (double) catalogueSize;
        double[] frequency = new double[catalogueSize];
        for (int j = 0; j < catalogueSize; j++) {
            frequency[j] = ((j < stats.itemCounts.length ? stats.itemCounts[j] : 0) + 1) / total;
        }
        return frequency;
    }

    /** The executors' recipe: the spec, the adapted encoder, the ids, and the catalogue as a table of raw values. */
    private RetrievalRecipe recipe(FeatureSpec s, RetrievalColumns columns, InteractionStatistics stats,
                                   FeatureSource source, FeatureEncoder encoder, long seed) {
        List<String> catalogueColumns = new ArrayList<>(List.of(s.data().item()));
        List<String[]> valuesByColumn = new ArrayList<>();
        for (String c : concat(columns.rowCandidateColumns(), columns.tableCandidateColumns())) {
            for (FeatureDefinition f : s.features(FeatureDefinition.CANDIDATE)) {
                if (f.column().equals(c)) {
                    catalogueColumns.add(c);
                    valuesByColumn.add(source.candidateValues(f));
                    break;
                }
            }
        }
        List<String> ids = source.catalogueIds();
        List<String[]> rows = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String[] row = new String[catalogueColumns.size()];
            row[0] = ids.get(i);
            for (int c = 1; c < row.length; c++) {
                row[c] = valuesByColumn.get(c - 1)[i];
            }
            rows.add(row);
        }
        return new RetrievalRecipe(uid + "-" + UUID.randomUUID(), s.toJsonString(),
                encoder.toJson().toString(), stats.userIds, stats.itemIds, catalogueColumns,
                rows, columns.queryColumns(), columns.hasTimestamps(), seed);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The last fit's per-epoch mean losses, or null before any fit. */
    public List<Double> lastEpochLosses() {
        return lastTraining == null ? null : lastTraining.epochLosses();
    }

    /** Wall seconds of each step of the last fit, in order, or null before any fit. */
    public double[] lastStepSeconds() {
        return lastTraining == null ? null : lastTraining.stepSeconds().clone();
    }

    @Override
    public EmbedrecRetrieval copy(ParamMap extra) {
        EmbedrecRetrieval copied = (EmbedrecRetrieval) defaultCopy(extra);
        copied.items = items;
        return copied;
    }
}
