package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.UserSequences;
import org.embedrec.engine.Rng;
import org.embedrec.models.sequential.NextItemQueries;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.nn.Parameter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedrecSequentialTest {
    private static SparkSession spark;
    private static List<Row> rows;

    @BeforeAll
    static void start() {
        spark = PlantedRatings.localSpark("EmbedrecSequentialTest");
        rows = PlantedSequences.rows(60, 11);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A small sasrec with the planted frame's column names. */
    private static EmbedrecSequential estimator() {
        return new EmbedrecSequential().setItemCol("movie").setTimestampCol("time").setModel("sasrec")
                .setEmbeddingDim(16).setLayers(1).setHeads(2).setMaxLength(16);
    }

    private static double largestDifference(List<Parameter> a, List<Parameter> b) {
        assertThat(a).hasSameSizeAs(b);
        double largest = 0;
        for (int p = 0; p < a.size(); p++) {
            assertThat(a.get(p).name()).isEqualTo(b.get(p).name());
            float[] x = a.get(p).value().data();
            float[] y = b.get(p).value().data();
            for (int k = 0; k < x.length; k++) {
                largest = Math.max(largest, Math.abs(x[k] - y[k]));
            }
        }
        return largest;
    }

    @Test
    void oneGlobalBatchOverOneOrTwoPartitionsGivesTheSameParametersAfterFiftySteps() {
        Dataset<Row> one = PlantedSequences.frame(spark, rows, 1);
        Dataset<Row> two = PlantedSequences.frame(spark, rows, 2);
        assertThat(two.rdd().getNumPartitions()).isEqualTo(2);
        // Dropout and bce negatives (sasrec), the sampled softmax's candidates (gru4rec): every random
        // stream is seeded per user or per step, so each sees the same draws over 1 or 2 partitions.
        // Adam divides each gradient by its own running size, so a gradient near 0 whose last bits
        // differ would move its weight by a visible fraction of the rate: each user's gradient is
        // summed in double, so the last bits do not depend on which users share a partition. At
        // the models' default rate, 0.001, and at ten times it.
        for (EmbedrecSequential e : List.of(
                estimator().setLoss("bce").setDropout(0.2),
                estimator().setModel("gru4rec").setLoss("sampled-softmax").setSampledNegatives(8).setDropout(0.2),
                estimator().setLoss("softmax").setDropout(0.2).setLearningRate(0.01))) {
            e.setBatchSize(64).setEpochs(50);
            EmbedrecSequential.Trained a = e.train(one);
            EmbedrecSequential.Trained b = e.train(two);
            assertThat(a.partitions()).isEqualTo(1);
            assertThat(b.partitions()).isEqualTo(2);
            assertThat(a.result().steps()).isEqualTo(50);
            List<Double> losses = a.result().epochLosses();
            assertThat(losses.get(49)).as(e.config().toString()).isLessThan(losses.get(0));
            SequenceEncoder initial = SequentialModels.create(e.config(), PlantedSequences.ITEMS, new Rng(42));
            assertThat(largestDifference(a.model().parameters(), initial.parameters())).isGreaterThan(5e-3);
            assertThat(largestDifference(a.model().parameters(), b.model().parameters()))
                    .as(e.config().toString()).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void fullBatchStepsWithoutDropoutEqualTheSingleProcessTrainer() {
        EmbedrecSequential e = estimator().setLoss("softmax").setDropout(0).setBatchSize(64).setEpochs(10)
                .setLearningRate(0.001);
        EmbedrecSequential.Trained spark2 = e.train(PlantedSequences.frame(spark, rows, 2));

        // The same histories, users and items numbered in sorted order of their ids as the estimator numbers them.
        TreeSet<String> users = new TreeSet<>();
        TreeSet<String> items = new TreeSet<>();
        for (Row r : rows) {
            users.add(r.getString(0));
            items.add(String.valueOf(r.getInt(1)));
        }
        IdMapping userIds = IdMapping.of(new ArrayList<>(users));
        IdMapping itemIds = IdMapping.of(new ArrayList<>(items));
        Interactions.Builder b = Interactions.builder().hasRatings(false).hasTimestamps(true);
        for (Row r : rows) {
            b.add(userIds.denseId(r.getString(0)), itemIds.denseId(String.valueOf(r.getInt(1))), 0f, r.getLong(2));
        }
        NextItemQueries none = new NextItemQueries(new int[0], new int[0][], new int[0]);
        NextItemSplit all = new NextItemSplit(UserSequences.of(b.build(userIds, itemIds)), none, none);
        SequentialModels.Result local = SequentialModels.fit(e.config(), all, 1);

        SequentialModels.Result oneEpoch = SequentialModels.fit(e.copy(new ParamMap()).setEpochs(1).config(), all, 1);
        assertThat(largestDifference(local.model().parameters(), oneEpoch.model().parameters())).isGreaterThan(5e-3);
        assertThat(largestDifference(spark2.model().parameters(), local.model().parameters()))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void learnsThePlantedWalksAndRecommendsAsTheSavedRecommenderDoesForEveryUser(@TempDir Path dir) throws Exception {
        // Leave-last-out: each user's newest row is held out.
        Map<String, Row> last = new HashMap<>();
        for (Row r : rows) {
            last.merge(r.getString(0), r, (x, y) -> x.getLong(2) >= y.getLong(2) ? x : y);
        }
        List<Row> train = new ArrayList<>(rows);
        train.removeAll(last.values());
        EmbedrecSequentialModel model = estimator().setBatchSize(32).setEpochs(20).setLearningRate(0.01)
                .fit(PlantedSequences.frame(spark, train, 2));
        String path = dir.resolve("sasrec").toString();
        model.write().save(path);
        Recommender single = Recommender.load(dir.resolve("sasrec").resolve(EmbedrecSequentialModel.EMBEDREC_DIR));

        List<Row> got = EmbedrecSequentialModel.load(path).recommendForAllUsers(10).collectAsList();
        assertThat(got).hasSize(60);
        int hits = 0;
        for (Row row : got) {
            String user = row.getString(0);
            List<RecommendedItem> expected = single.recommend(Query.user(user).k(10).build()).items();
            List<Row> items = row.getList(1);
            assertThat(items).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(items.get(i).getString(0)).isEqualTo(expected.get(i).itemId());
                assertThat(items.get(i).getFloat(1)).isEqualTo(expected.get(i).score());
                hits += items.get(i).getString(0).equals(String.valueOf(last.get(user).getInt(1))) ? 1 : 0;
            }
        }
        double hr = hits / 60.0;
        double pop = popularityHitRate(train, last);
        assertThat(hr).as("HR@10 %.3f against popularity's %.3f", hr, pop).isGreaterThanOrEqualTo(0.8)
                .isGreaterThan(pop + 0.3);

        List<Row> subset = model.recommendForUserSubset(spark.createDataFrame(List.of(
                RowFactory.create("u3", 0, 0L), RowFactory.create("stranger", 0, 0L)), PlantedSequences.SCHEMA), 5)
                .collectAsList();
        assertThat(subset).hasSize(1);
        assertThat(subset.get(0).getString(0)).isEqualTo("u3");

        List<Row> scored = model.transform(spark.createDataFrame(List.of(
                RowFactory.create("u1", 101, 0L), RowFactory.create("stranger", 101, 0L)), PlantedSequences.SCHEMA))
                .collectAsList();
        assertThat(scored.get(0).getFloat(3)).isEqualTo(single.score("u1", List.of("101")).items().get(0).score());
        assertThat(scored.get(1).getFloat(3)).isNaN();

        List<Row> recommended = model.setK(3).transform(spark.createDataFrame(List.of(
                RowFactory.create("u1"), RowFactory.create("stranger")),
                new StructType().add("user", "string"))).collectAsList();
        List<Row> top = recommended.get(0).getList(1);
        assertThat(top).hasSize(3);
        assertThat(top.get(0).getString(0)).isEqualTo(single.recommend(Query.user("u1").k(3).build()).items().get(0)
                .itemId());
        assertThat(recommended.get(1).isNullAt(1)).isTrue();
    }

    /** HR@10 of ranking each user's unseen items by their training count, ties by id. */
    private static double popularityHitRate(List<Row> train, Map<String, Row> last) {
        Map<Integer, Integer> counts = new HashMap<>();
        Map<String, TreeSet<Integer>> seen = new HashMap<>();
        for (Row r : train) {
            counts.merge(r.getInt(1), 1, Integer::sum);
            seen.computeIfAbsent(r.getString(0), u -> new TreeSet<>()).add(r.getInt(1));
        }
        List<Integer> byCount = new ArrayList<>(counts.keySet());
        byCount.sort(Comparator.comparing((Integer i) -> -counts.get(i)).thenComparing(i -> i));
        int hits = 0;
        for (Map.Entry<String, Row> e : last.entrySet()) {
            int shown = 0;
            for (int item : byCount) {
                if (shown == 10) {
                    break;
                }
                if (!seen.get(e.getKey()).contains(item)) {
                    shown++;
                    hits += item == e.getValue().getInt(1) ? 1 : 0;
                }
            }
        }
        return hits / (double) last.size();
    }

    @Test
    void badColumnsAndOptionsAreRefusedByName() {
        Dataset<Row> train = PlantedSequences.frame(spark, rows, 2);
        assertThatThrownBy(() -> estimator().setUserCol("usr").fit(train))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userCol 'usr': no such column")
                .hasMessageContaining("[user, movie, time]");
        assertThatThrownBy(() -> estimator().setTimestampCol("user").fit(train))
                .hasMessageContaining("timestampCol 'user': timestamps must be numeric");
        assertThatThrownBy(() -> estimator().setHeads(3).fit(train))
                .hasMessageContaining("heads (3) must divide embeddingDim (16)");
        assertThatThrownBy(() -> estimator().setLoss("bce").setExcludeSeen(true).fit(train))
                .hasMessageContaining("excludeSeen applies to the softmax loss only");
        assertThatThrownBy(() -> estimator().setModel("pop"))
                .hasMessageContaining("model given invalid value pop");
        assertThatThrownBy(() -> estimator().setDropout(1.0)).hasMessageContaining("dropout given invalid value");
        StructType nullable = new StructType().add("user", DataTypes.StringType, true)
                .add("movie", DataTypes.IntegerType, true).add("time", DataTypes.LongType, true);
        Dataset<Row> nulls = spark.createDataFrame(List.of(RowFactory.create("u1", 101, 1L),
                RowFactory.create("u1", null, 2L)), nullable);
        assertThatThrownBy(() -> estimator().fit(nulls))
                .hasMessageContaining("itemCol 'movie': a null value");
        List<Row> single = List.of(RowFactory.create("u1", 101, 1L), RowFactory.create("u2", 102, 2L));
        assertThatThrownBy(() -> estimator().fit(spark.createDataFrame(single, PlantedSequences.SCHEMA)))
                .hasMessageContaining("no user (userCol 'user') has two rows");
    }
}
