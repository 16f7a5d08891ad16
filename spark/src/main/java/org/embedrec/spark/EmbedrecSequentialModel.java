package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;

/**
 * A trained embedrec next-item model (gru4rec or sasrec) in Spark. Each known user is answered
 * from their saved history (their last {@code maxLength} items): {@link #recommendForAllUsers}
 * and {@link #recommendForUserSubset} give the top {@code k} next items they have not seen (Spark
 * ALS's shape, with a {@code score} per item: the dot product of the state after the history and
 * the item's embedding). {@link #transform} adds to a frame with an item column the score of each
 * (user, item) row, NaN for a user or item the model does not know; to a frame of users alone it
 * adds each user's top {@link #k()} items, null for an unknown user. Every answer comes from a
 * {@link Recommender} of the model's saved directory, loaded once per executor JVM, so it is the
 * single-process recommender's. Saved with {@code write().save(path)}: {@code path/metadata}
 * (Spark's parameters) and {@code path/embedrec}, a next-item model directory that
 * {@link Recommender#load}, {@code embedrec recommend} and {@code embedrec serve} read as they are.
 */
public final class EmbedrecSequentialModel extends Model<EmbedrecSequentialModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Where, under a saved model's path, the embedrec model directory is. */
    public static final String EMBEDREC_DIR = EmbedrecRatingModel.EMBEDREC_DIR;

    private final String uid;
    private final ModelArtifact artifact;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> predictionCol;
    private final IntParam k;

    EmbedrecSequentialModel(String uid, ModelArtifact artifact) {
        this.uid = uid;
        this.artifact = artifact;
        userCol = new Param<>(this, "userCol", "column of user ids");
        itemCol = new Param<>(this, "itemCol", "column of item ids; when the frame has none, transform recommends");
        predictionCol = new Param<>(this, "predictionCol", "output column: scores, or recommendations");
        k = new IntParam(this, "k", "items transform recommends to each user of a frame without itemCol",
                ParamValidators.inRange(1, Query.MAX_K));
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(k, 10);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public IntParam k() { return k; }

    public EmbedrecSequentialModel setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecSequentialModel setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecSequentialModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    public EmbedrecSequentialModel setK(int value) { set(k, value); return this; }

    /** The single-process recommender of this model (the driver's copy). */
    public Recommender recommender() {
        return artifact.recommender();
    }

    /** Whether {@link #transform} scores (user, item) rows of a frame of {@code schema}, rather than recommending. */
    private boolean scores(StructType schema) {
        return Arrays.asList(schema.fieldNames()).contains($(itemCol));
    }

    /** The type of a recommendations column: an array of (itemCol, score). */
    private DataType recommendationsType() {
        StructType item = new StructType().add($(itemCol), DataTypes.StringType, false)
                .add("score", DataTypes.FloatType, false);
        return DataTypes.createArrayType(item, false);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        DataColumns.requireId(schema, "userCol", $(userCol));
        DataColumns.requireAbsent(schema, "predictionCol", $(predictionCol));
        if (scores(schema)) {
            DataColumns.requireId(schema, "itemCol", $(itemCol));
            return schema.add($(predictionCol), DataTypes.FloatType, false);
        }
        return schema.add($(predictionCol), recommendationsType(), true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> data) {
        StructType out = transformSchema(data.schema());
        boolean scoring = scores(data.schema());
        int user = data.schema().fieldIndex($(userCol));
        int item = scoring ? data.schema().fieldIndex($(itemCol)) : -1;
        int topK = (Integer) $(k);
        return RecommendationFrames.withAnswers(data, out, artifact, (r, row) -> scoring
                ? EmbedrecRatingModel.predict(r, row.get(user), row.get(item))
                : recommendations(r, row.get(user), topK));
    }

    /** {@code user}'s top {@code k} as rows (item, score); null for a user the model does not know. */
    private static Row[] recommendations(Recommender r, Object user, int k) {
        if (user == null || !r.knowsUser(user.toString())) {
            return null;
        }
        List<RecommendedItem> items = r.recommend(Query.user(user.toString()).k(k).build()).items();
        Row[] out = new Row[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = RowFactory.create(items.get(i).itemId(), items.get(i).score());
        }
        return out;
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

    @Override
    public EmbedrecSequentialModel copy(ParamMap extra) {
        EmbedrecSequentialModel copied = new EmbedrecSequentialModel(uid, artifact);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ArtifactPersistence.writer(this, artifact);
    }

    public static MLReader<EmbedrecSequentialModel> read() {
        return ArtifactPersistence.reader(EmbedrecSequentialModel.class, EmbedrecSequentialModel::new);
    }

    public static EmbedrecSequentialModel load(String path) {
        return read().load(path);
    }
}
