package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.recommend.Recommender;
import scala.Tuple2;

/**
 * A trained embedrec two-tower retrieval model in Spark: {@link #recommendForAllUsers} and
 * {@link #recommendForUserSubset} give each user's top {@code k} items (Spark ALS's shape, with a
 * {@code score} per item: the dot product of the user's query embedding and the item's),
 * {@link #transform} adds the score of each (user, item) row, NaN for a user or item the model
 * does not know, and {@link #evaluate} computes factorized top-K metrics of held-out rows on the
 * executors. Every answer comes from a {@link Recommender} of the model's saved directory,
 * loaded once per executor JVM, so it is the single-process recommender's. Saved with
 * {@code write().save(path)}: {@code path/metadata} (Spark's parameters) and {@code path/embedrec},
 * a model directory that {@link Recommender#load} and {@code embedrec serve} read as they are.
 */
public final class EmbedrecRetrievalModel extends Model<EmbedrecRetrievalModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Where, under a saved model's path, the embedrec model directory is. */
    public static final String EMBEDREC_DIR = EmbedrecRatingModel.EMBEDREC_DIR;

    private final String uid;
    private final ModelArtifact artifact;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> predictionCol;
    private final Param<String> timestampCol;

    EmbedrecRetrievalModel(String uid, ModelArtifact artifact) {
        this.uid = uid;
        this.artifact = artifact;
        userCol = new Param<>(this, "userCol", "column of user ids");
        itemCol = new Param<>(this, "itemCol", "column of item ids");
        predictionCol = new Param<>(this, "predictionCol", "output column of scores");
        timestampCol = new Param<>(this, "timestampCol", "column of timestamps (seconds, or a timestamp) of the "
                + "rows evaluate ranks for, when the model reads the time");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(timestampCol, "timestamp");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> timestampCol() { return timestampCol; }

    public EmbedrecRetrievalModel setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecRetrievalModel setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecRetrievalModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    public EmbedrecRetrievalModel setTimestampCol(String value) { set(timestampCol, value); return this; }

    /** The single-process recommender of this model (the driver's copy). */
    public Recommender recommender() {
        return artifact.recommender();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        DataColumns.requireId(schema, "userCol", $(userCol));
        DataColumns.requireId(schema, "itemCol", $(itemCol));
        DataColumns.requireAbsent(schema, "predictionCol", $(predictionCol));
        return schema.add($(predictionCol), DataTypes.FloatType, false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> data) {
        StructType out = transformSchema(data.schema());
        int user = data.schema().fieldIndex($(userCol));
        int item = data.schema().fieldIndex($(itemCol));
        return RecommendationFrames.withAnswers(data, out, artifact,
                (r, row) -> EmbedrecRatingModel.predict(r, row.get(user), row.get(item)));
    }

    /** Every known user's top {@code k} items: columns userCol and {@code recommendations} [{itemCol, score}]. */
    public Dataset<Row> recommendForAllUsers(int k) {
        RecommendationFrames.checkK(k);
        SparkSession spark = SparkSession.active();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> users = sc.parallelize(recommender().userIds(), sc.defaultParallelism());
        return RecommendationFrames.recommend(spark, sc, artifact, users, k, $(userCol), $(itemCol), "score");
    }

    /** {@link #recommendForAllUsers} for the distinct users of {@code users}' userCol who the model knows. */
    public Dataset<Row> recommendForUserSubset(Dataset<?> users, int k) {
        RecommendationFrames.checkK(k);
        DataColumns.requireId(users.schema(), "userCol", $(userCol));
        JavaRDD<String> ids = users.select(col($(userCol)).cast("string")).distinct().toDF().javaRDD()
                .filter(row -> !row.isNullAt(0)).map(row -> row.getString(0));
        return RecommendationFrames.recommend(users.sparkSession(), RecommendationFrames.context(users), artifact, ids, k, $(userCol),
                $(itemCol), "score");
    }

    /**
     * Factorized top-K metrics of the held-out rows {@code test} (userCol, itemCol, the
     * timestampCol when it has one, and the model's other query columns by name), computed on the
     * executors: each row's query, embedded as {@link Recommender#recommend} embeds it (the row's
     * own time and features), ranks the row's item against the whole catalogue, exactly as
     * {@link FactorizedTopK} ranks it in a single process: seen items are not excluded (as in
     * TensorFlow Recommenders' {@code FactorizedTopK}), and ties count in the true item's favour.
     *
     * <p>Keys as {@link FactorizedTopK#computeWithRanks}: {@code top_K_accuracy} per K (the hit
     * rate HR@K, which is recall@K with one held-out item per row), {@code ndcg_at_K} per K and
     * {@code mrr}; and {@code rows}, the rows evaluated, and {@code rows_item_not_in_catalogue},
     * rows whose item the model cannot rank (a miss at every K, counted in the means).
     */
    public Map<String, Double> evaluate(Dataset<?> test, int... ks) {
        FactorizedTopK metric = new FactorizedTopK(ks);
        int[] cutOffs = metric.ks();
        StructType schema = test.schema();
        DataColumns.requireId(schema, "userCol", $(userCol));
        DataColumns.requireId(schema, "itemCol", $(itemCol));
        List<String> others = recommender().info().queryColumns();
        List<Column> cols = new ArrayList<>(List.of(col($(userCol)).cast("string"), col($(itemCol)).cast("string")));
        boolean timed = java.util.Arrays.asList(schema.fieldNames()).contains($(timestampCol));
        cols.add(timed ? col($(timestampCol)).cast("long") : lit(null).cast("long"));
        for (String c : others) {
            DataColumns.require(schema, "the model's query column", c);
            cols.add(col(c).cast("string"));
        }
        Broadcast<ModelArtifact> model = RecommendationFrames.context(test).broadcast(artifact);
        List<Tuple2<Integer, double[]>> parts = test.select(cols.toArray(new Column[0])).javaRDD()
                .mapPartitionsWithIndex((index, it) -> Collections.singletonList(new Tuple2<>(index,
                        RankingSums.of(model.value().recommender(), new FactorizedTopK(cutOffs), others, it)))
                        .iterator(), true)
                .collect();
        List<Tuple2<Integer, double[]>> ordered = new ArrayList<>(parts);
        ordered.sort(java.util.Comparator.comparing(Tuple2::_1));
        double[] total = null;
        for (Tuple2<Integer, double[]> part : ordered) {
            total = total == null ? part._2().clone() : RankingSums.add(total, part._2());
        }
        return RankingSums.means(metric, total);
    }

    @Override
    public EmbedrecRetrievalModel copy(ParamMap extra) {
        EmbedrecRetrievalModel copied = new EmbedrecRetrievalModel(uid, artifact);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ArtifactPersistence.writer(this, artifact);
    }

    public static MLReader<EmbedrecRetrievalModel> read() {
        return ArtifactPersistence.reader(EmbedrecRetrievalModel.class, EmbedrecRetrievalModel::new);
    }

    public static EmbedrecRetrievalModel load(String path) {
        return read().load(path);
    }
}
