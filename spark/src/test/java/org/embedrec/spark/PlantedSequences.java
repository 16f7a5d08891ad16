package org.embedrec.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embedrec.engine.Rng;

/**
 * Histories with planted order for the sequential tests: {@link #ITEMS} items on a cycle; a user
 * of group {@code u % 2} walks it from a seeded start in steps of 1 (group 0) or 7 (group 1), for
 * a seeded 6 to 12 items, at increasing times. Which item comes next is set by the last item and
 * the step, which only the history's order tells; every item is about as popular as any other.
 * Rows are emitted newest first within a user, so nothing but the timestamps gives the order.
 */
final class PlantedSequences {
    static final int ITEMS = 31;
    static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("movie", DataTypes.IntegerType, false)
            .add("time", DataTypes.LongType, false);

    private PlantedSequences() {}

    /** Item {@code k} of user {@code u}'s walk, its first at {@code start}. */
    static int item(int u, int start, int k) {
        return 100 + Math.floorMod(start + k * (u % 2 == 0 ? 1 : 7), ITEMS);
    }

    /** The rows of {@code users} walks, each user's newest first. */
    static List<Row> rows(int users, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int start = rng.nextInt(ITEMS);
            int length = 6 + rng.nextInt(7);
            long time = 880_000_000L + rng.nextInt(100_000);
            List<Row> walk = new ArrayList<>();
            for (int k = 0; k < length; k++) {
                time += 1 + rng.nextInt(5000);
                walk.add(RowFactory.create("u" + u, item(u, start, k), time));
            }
            for (int k = walk.size() - 1; k >= 0; k--) {
                rows.add(walk.get(k));
            }
        }
        return rows;
    }

    static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions) {
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }
}
