package org.embedrec.spark;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.embedrec.engine.Rng;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;

/**
 * A Spark ML estimator of embedrec's next-item models, {@code gru4rec} and {@code sasrec}: each
 * user's rows, sorted by time, are their history, and the model learns to predict each item from
 * the ones before it, trained data-parallel ({@link SequentialTraining}) with the options of
 * {@code embedrec train --model gru4rec|sasrec} (unset: that command's defaults).
 *
 * <pre>{@code
 * EmbedrecSequentialModel model = new EmbedrecSequential().setUserCol("user_id").setItemCol("item_id")
 *         .setTimestampCol("timestamp").setModel("sasrec").setMaxLength(50).setEpochs(20)
 *         .fit(ratings);                               // ratings: user_id, item_id, timestamp
 * model.recommendForAllUsers(10);                      // user_id, recommendations: [{item_id, score}]
 * model.write().save("hdfs:///models/sasrec");         // metadata/ and embedrec/, a Recommender directory
 * }</pre>
 *
 * <p>Every row trains: there is no held-out item and no early stopping (split the data first to
 * evaluate). Histories are built in Spark; the driver collects the catalogue and, for the saved
 * model, each user's distinct items and last {@code maxLength} items ({@link ServedHistories}),
 * never the rows.
 */
public final class EmbedrecSequential extends Estimator<EmbedrecSequentialModel> {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> timestampCol;
    private final Param<String> model;
    private final IntParam embeddingDim;
    private final IntParam layers;
    private final IntParam heads;
    private final IntParam maxLength;
    private final DoubleParam dropout;
    private final Param<String> loss;
    private final IntParam sampledNegatives;
    private final BooleanParam excludeSeen;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private transient DataParallelTraining.Result lastTraining;

    public EmbedrecSequential() {
        this(Identifiable$.MODULE$.randomUID("embedrecSequential"));
    }

    public EmbedrecSequential(String uid) {
        this.uid = uid;
        userCol = new Param<>(this, "userCol", "column of user ids (string, int or long)");
        itemCol = new Param<>(this, "itemCol", "column of item ids (string, int or long)");
        timestampCol = new Param<>(this, "timestampCol", "column of timestamps (seconds, or a timestamp) that order "
                + "each user's rows");
        model = new Param<>(this, "model", "next-item model: one of " + SequentialModels.NAMES,
                ParamValidators.inArray(SequentialModels.NAMES.toArray(new String[0])));
        embeddingDim = new IntParam(this, "embeddingDim", "width of the item embeddings and hidden states",
                ParamValidators.gtEq(1));
        layers = new IntParam(this, "layers", "GRU layers (gru4rec) or self-attention blocks (sasrec)",
                ParamValidators.gtEq(1));
        heads = new IntParam(this, "heads", "attention heads (sasrec; must divide embeddingDim)",
                ParamValidators.gtEq(1));
        maxLength = new IntParam(this, "maxLength", "most recent items of a history read", ParamValidators.gtEq(1));
        dropout = new DoubleParam(this, "dropout", "dropout rate, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        loss = new Param<>(this, "loss", "softmax, sampled-softmax or bce",
                ParamValidators.inArray(new String[] {"softmax", "sampled-softmax", "bce"}));
        sampledNegatives = new IntParam(this, "sampledNegatives", "uniform draws added to a batch's targets by the "
                + "sampled softmax", ParamValidators.gtEq(1));
        excludeSeen = new BooleanParam(this, "excludeSeen", "the softmax leaves each step's earlier items out "
                + "(softmax loss only)");
        epochs = new IntParam(this, "epochs", "passes over the users", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "users per global step, over all partitions",
                ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate", ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seeds the initial weights, the batches, dropout and sampling");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(timestampCol, "timestamp");
        setDefault(model, "sasrec");
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
    public IntParam embeddingDim() { return embeddingDim; }
    public IntParam layers() { return layers; }
    public IntParam heads() { return heads; }
    public IntParam maxLength() { return maxLength; }
    public DoubleParam dropout() { return dropout; }
    public Param<String> loss() { return loss; }
    public IntParam sampledNegatives() { return sampledNegatives; }
    public BooleanParam excludeSeen() { return excludeSeen; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public DoubleParam learningRate() { return learningRate; }
    public LongParam seed() { return seed; }

    public EmbedrecSequential setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecSequential setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecSequential setTimestampCol(String value) { set(timestampCol, value); return this; }
    public EmbedrecSequential setModel(String value) { set(model, value); return this; }
    public EmbedrecSequential setEmbeddingDim(int value) { set(embeddingDim, value); return this; }
    public EmbedrecSequential setLayers(int value) { set(layers, value); return this; }
    public EmbedrecSequential setHeads(int value) { set(heads, value); return this; }
    public EmbedrecSequential setMaxLength(int value) { set(maxLength, value); return this; }
    public EmbedrecSequential setDropout(double value) { set(dropout, value); return this; }
    public EmbedrecSequential setLoss(String value) { set(loss, value); return this; }
    public EmbedrecSequential setSampledNegatives(int value) { set(sampledNegatives, value); return this; }
    public EmbedrecSequential setExcludeSeen(boolean value) { set(excludeSeen, value); return this; }
    public EmbedrecSequential setEpochs(int value) { set(epochs, value); return this; }
    public EmbedrecSequential setBatchSize(int value) { set(batchSize, value); return this; }
    public EmbedrecSequential setLearningRate(double value) { set(learningRate, value); return this; }
    public EmbedrecSequential setSeed(long value) { set(seed, value); return this; }

    /** The configuration these parameters give, the model's defaults where unset; a refusal names the parameter. */
    public SequentialConfig config() {
        String name = $(model);
        SequentialConfig d = SequentialConfig.defaults(name);
        try {
            return new SequentialConfig(name, or(embeddingDim, d.embeddingDim()), or(layers, d.layers()),
                    or(heads, d.heads()), or(maxLength, d.maxLength()), or(dropout, d.dropout()),
                    or(learningRate, d.learningRate()), or(batchSize, d.batchSize()), or(epochs, d.epochs()),
                    isDefined(loss) ? NextItemLoss.parse($(loss)) : d.loss(),
                    or(sampledNegatives, d.sampledNegatives()), isDefined(seed) ? (Long) $(seed) : d.seed(), 0,
                    isDefined(excludeSeen) ? (Boolean) $(excludeSeen) : d.excludeSeen());
        } catch (IllegalArgumentException e) {
            throw inParameterTerms(name, e);
        }
    }

    private int or(IntParam p, int fallback) {
        return isDefined(p) ? (Integer) $(p) : fallback;
    }

    private double or(DoubleParam p, double fallback) {
        return isDefined(p) ? (Double) $(p) : fallback;
    }

    /** The configuration's field names as this estimator's parameters spell them. */
    private static final Map<String, String> PARAM_OF_FIELD = Map.ofEntries(
            Map.entry("embedding_dim", "embeddingDim"), Map.entry("max_length", "maxLength"),
            Map.entry("batch_size", "batchSize"), Map.entry("sampled_negatives", "sampledNegatives"),
            Map.entry("lr", "learningRate"), Map.entry("exclude_seen", "excludeSeen"));

    /** "sasrec: heads (3) must divide embedding_dim (16)" becomes "heads (3) must divide embeddingDim (16)". */
    private static IllegalArgumentException inParameterTerms(String model, IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith(model + ": ")) {
            message = message.substring(model.length() + 2);
        }
        for (Map.Entry<String, String> f : PARAM_OF_FIELD.entrySet()) {
            message = message.replaceAll("(?<![\\w-])" + f.getKey() + "(?=[ \\[(])", f.getValue());
        }
        return new IllegalArgumentException(message, e);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        config();
        SequenceColumns.of(schema, $(userCol), $(itemCol), $(timestampCol));
        return schema.add("prediction", DataTypes.FloatType, false);
    }

    /** What {@link #train} gives: the trained driver model, what its saved form answers from, how training went. */
    record Trained(SequentialConfig config, SequenceEncoder model, SequentialModelFiles.Served served,
                   DataParallelTraining.Result result, int partitions) {}

    @Override
    public EmbedrecSequentialModel fit(Dataset<?> data) {
        Trained t = train(data);
        ModelArtifact artifact = ModelArtifact.written(dir -> SequentialModelFiles.save(dir, t.config().model(),
                t.config(), t.model(), t.served(), Map.of(), t.config().seed()));
        EmbedrecSequentialModel out = new EmbedrecSequentialModel(uid, artifact);
        out.setUserCol($(userCol)).setItemCol($(itemCol));
        return out.setParent(this);
    }

    /** Checks the parameters and columns, builds the histories over {@code data}'s partitions and trains. */
    Trained train(Dataset<?> data) {
        SequentialConfig config = config();
        SequenceColumns columns = SequenceColumns.of(data.schema(), $(userCol), $(itemCol), $(timestampCol));
        List<String> catalogue = columns.items(data);
        int partitions = data.javaRDD().getNumPartitions();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        JavaRDD<SequenceColumns.UserSequence> sequences = columns.sequences(data, catalogue, partitions)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            int[] counts = ServedHistories.itemCounts(sequences, catalogue.size());
            SequentialModelFiles.Served served = ServedHistories.collect(sequences, catalogue, config.maxLength(),
                    counts);
            JavaRDD<SequenceRows> rows = sequences.mapPartitionsWithIndex((index, it) -> Collections.singletonList(
                    SequenceRows.of(index, it)).iterator(), true).persist(StorageLevel.MEMORY_ONLY());
            try {
                long trainUsers = rows.map(SequenceRows::size).reduce(Integer::sum);
                if (trainUsers == 0) {
                    throw new IllegalArgumentException("the training data: no user (userCol '" + $(userCol)
                            + "') has two rows, so there is no next item to learn");
                }
                SequenceEncoder trained = SequentialModels.create(config, catalogue.size(), new Rng(config.seed()));
                SequentialRecipe recipe = SequentialRecipe.of(UUID.randomUUID().toString(), config, counts);
                DataParallelTraining.Result result = SequentialTraining.fit(sc, rows, trainUsers, recipe, trained,
                        SequentialModels.optimizer(config));
                trained.setTraining(false);
                lastTraining = result;
                return new Trained(config, trained, served, result, partitions);
            } finally {
                rows.unpersist(false);
            }
        } finally {
            sequences.unpersist(false);
        }
    }

    /** The last fit's per-epoch mean losses (over the users' real steps), or null before any fit. */
    public List<Double> lastEpochLosses() {
        return lastTraining == null ? null : lastTraining.epochLosses();
    }

    /** Wall seconds of each step of the last fit, in order, or null before any fit. */
    public double[] lastStepSeconds() {
        return lastTraining == null ? null : lastTraining.stepSeconds().clone();
    }

    @Override
    public EmbedrecSequential copy(ParamMap extra) {
        return (EmbedrecSequential) defaultCopy(extra);
    }
}
