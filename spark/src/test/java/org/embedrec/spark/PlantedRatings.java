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
 * Ratings with planted structure for the Spark tests: two taste groups of users and two kinds
 * of items; a user rates items of their own kind 4 or 5 and the others 1 or 2. Each user rates
 * a seeded random subset of items.
 */
final class PlantedRatings {
    static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("movie", DataTypes.IntegerType, false)
            .add("stars", DataTypes.DoubleType, false);

    private PlantedRatings() {}

    static List<Row> rows(int users, int items, double density, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rng.nextDouble() < density) {
                    boolean likes = (u % 2) == (i % 2);
                    double stars = likes ? 4 + rng.nextInt(2) : 1 + rng.nextInt(2);
                    rows.add(RowFactory.create("u" + u, 100 + i, stars));
                }
            }
        }
        return rows;
    }

    static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions) {
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    static SparkSession localSpark(String name) {
        return SparkSession.builder().master("local[2]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                // Small data: compiling query plans to bytecode costs more than it saves.
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
    }
}
