package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;

/**
 * The models' answers as data frames, computed on the executors by the {@link Recommender} of a
 * saved model (loaded once per JVM), so each answer is the single-process recommender's: a column
 * added to the rows ({@code transform}), and users' top-k items in the shape of Spark ALS's
 * {@code recommendForAllUsers}, one row per known user, {@code recommendations: [{item, score}]}.
 */
final class RecommendationFrames {
    private RecommendationFrames() {}

    /** The Java view of the Spark context {@code data} belongs to. */
    static JavaSparkContext context(Dataset<?> data) {
        return JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    }

    /** What a model adds to one input row: its answer, from the executor's recommender. */
    @FunctionalInterface
    interface RowAnswer extends Serializable {
        Object answer(Recommender recommender, Row row);
    }

    /**
     * {@code data} with one column more, the last of {@code schema}: each row's {@code answer},
     * computed on the executors by the model's {@link Recommender} (loaded once per JVM).
     */
    static Dataset<Row> withAnswers(Dataset<?> data, StructType schema, ModelArtifact artifact, RowAnswer answer) {
        Broadcast<ModelArtifact> model = context(data).broadcast(artifact);
        JavaRDD<Row> rows = data.toDF().javaRDD().mapPartitions(it -> {
            Recommender r = model.value().recommender();
            List<Row> answered = new ArrayList<>();
            while (it.hasNext()) {
                Row row = it.next();
                Object[] values = new Object[row.length() + 1];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                values[row.length()] = answer.answer(r, row);
                answered.add(RowFactory.create(values));
            }
            return answered.iterator();
        });
        return data.sparkSession().createDataFrame(rows, schema);
    }

    static void checkK(int k) {
        if (k < 1 || k > Query.MAX_K) {
            throw new IllegalArgumentException("k: " + k + ", expected 1 to " + Query.MAX_K);
        }
    }

    /**
     * The top {@code k} of each of {@code users} the model knows (others are left out): columns
     * {@code userCol} and {@code recommendations}, an array of ({@code itemCol}, {@code scoreField}).
     */
    static Dataset<Row> recommend(SparkSession spark, JavaSparkContext sc, ModelArtifact artifact, JavaRDD<String> users,
                                  int k, String userCol, String itemCol, String scoreField) {
        Broadcast<ModelArtifact> model = sc.broadcast(artifact);
        JavaRDD<Row> rows = users.mapPartitions((Iterator<String> it) -> {
            Recommender r = model.value().recommender();
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                String user = it.next();
                if (!r.knowsUser(user)) {
                    continue;
                }
                List<Row> items = new ArrayList<>();
                for (RecommendedItem item : r.recommend(Query.user(user).k(k).build()).items()) {
                    items.add(RowFactory.create(item.itemId(), item.score()));
                }
                out.add(RowFactory.create(user, items.toArray()));
            }
            return out.iterator();
        });
        StructType item = new StructType().add(itemCol, DataTypes.StringType, false)
                .add(scoreField, DataTypes.FloatType, false);
        StructType schema = new StructType().add(userCol, DataTypes.StringType, false)
                .add("recommendations", DataTypes.createArrayType(item, false), false);
        return spark.createDataFrame(rows, schema);
    }
}
