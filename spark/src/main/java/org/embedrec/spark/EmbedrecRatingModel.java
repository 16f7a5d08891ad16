package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.recommend.Recommender;

/**
 * A trained embedrec rating model in Spark: {@link #transform} adds the predicted rating of each
 * (user, item) row, {@link #recommendForAllUsers} and {@link #recommendForUserSubset} give each
 * user's top {@code k} items in the shape of Spark ALS's output. Ratings are clipped to the
 * training ratings' range {@code [min, max]}, exactly as embedrec's RMSE and MAE clip them, so
 * Spark's {@code RegressionEvaluator} over {@code transform} gives embedrec's metrics directly
 * (a model saved before the range was kept gives them unclipped). Every answer comes from a
 * {@link Recommender} of the model's saved directory, loaded once per executor JVM, so it is the
 * single-process recommender's answer.
 *
 * <p>A user or item the model was not trained on gets a NaN prediction (ALS's
 * {@code coldStartStrategy = "nan"}), or its row is dropped with {@code "drop"}. Saved with
 * {@code write().save(path)}: {@code path/metadata} (Spark's parameters) and {@code path/embedrec},
 * a model directory that {@link Recommender#load} and {@code embedrec serve} read as they are.
 */
public final class EmbedrecRatingModel extends Model<EmbedrecRatingModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Where, under a saved model's path, the embedrec model directory is. */
    public static final String EMBEDREC_DIR = "embedrec";

    private final String uid;
    private final ModelArtifact artifact;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> predictionCol;
    private final Param<String> coldStartStrategy;

    EmbedrecRatingModel(String uid, ModelArtifact artifact) {
        this.uid = uid;
        this.artifact = artifact;
        userCol = new Param<>(this, "userCol", "column of user ids");
        itemCol = new Param<>(this, "itemCol", "column of item ids");
        predictionCol = new Param<>(this, "predictionCol", "output column of predicted ratings");
        coldStartStrategy = new Param<>(this, "coldStartStrategy", "rows whose user or item the model does not know: "
                + "'nan' predicts NaN, 'drop' leaves them out", ParamValidators.inArray(new String[] {"nan", "drop"}));
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(coldStartStrategy, "nan");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> coldStartStrategy() { return coldStartStrategy; }

    public EmbedrecRatingModel setUserCol(String value) { set(userCol, value); return this; }
    public EmbedrecRatingModel setItemCol(String value) { set(itemCol, value); return this; }
    public EmbedrecRatingModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    public EmbedrecRatingModel setColdStartStrategy(String value) { set(coldStartStrategy, value); return this; }

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
        Dataset<Row> result = RecommendationFrames.withAnswers(data, out, artifact,
                (r, row) -> predict(r, row.get(user), row.get(item)));
        return $(coldStartStrategy).equals("drop") ? result.filter(functionsNotNaN($(predictionCol))) : result;
    }

    private static org.apache.spark.sql.Column functionsNotNaN(String column) {
        return org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.isnan(col(column)));
    }

    /** The recommender's score (a clipped rating) of {@code item} for {@code user}; NaN when either is null or unknown. */
    static float predict(Recommender r, Object user, Object item) {
        if (user == null || item == null) {
            return Float.NaN;
        }
        String u = user.toString();
        String i = item.toString();
        if (!r.knowsUser(u) || r.catalogue().row(i) < 0) {
            return Float.NaN;
        }
        return r.score(u, List.of(i)).items().get(0).score();
    }

    /** Every known user's top {@code k} items: columns userCol and {@code recommendations} [{itemCol, rating}]. */
    public Dataset<Row> recommendForAllUsers(int k) {
        RecommendationFrames.checkK(k);
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.active();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> users = sc.parallelize(recommender().userIds(), sc.defaultParallelism());
        return recommend(spark, sc, users, k);
    }

    /** {@link #recommendForAllUsers} for the distinct users of {@code users}' userCol who the model knows. */
    public Dataset<Row> recommendForUserSubset(Dataset<?> users, int k) {
        RecommendationFrames.checkK(k);
        DataColumns.requireId(users.schema(), "userCol", $(userCol));
        JavaRDD<String> ids = users.select(col($(userCol)).cast("string")).distinct().toDF().javaRDD()
                .filter(row -> !row.isNullAt(0)).map(row -> row.getString(0));
        return recommend(users.sparkSession(), RecommendationFrames.context(users), ids, k);
    }

    private Dataset<Row> recommend(org.apache.spark.sql.SparkSession spark, JavaSparkContext sc, JavaRDD<String> users,
                                   int k) {
        return RecommendationFrames.recommend(spark, sc, artifact, users, k, $(userCol), $(itemCol), "rating");
    }

    @Override
    public EmbedrecRatingModel copy(ParamMap extra) {
        EmbedrecRatingModel copied = new EmbedrecRatingModel(uid, artifact);
        return copyValues(copied, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ArtifactPersistence.writer(this, artifact);
    }

    public static MLReader<EmbedrecRatingModel> read() {
        return ArtifactPersistence.reader(EmbedrecRatingModel.class, EmbedrecRatingModel::new);
    }

    public static EmbedrecRatingModel load(String path) {
        return read().load(path);
    }
}
