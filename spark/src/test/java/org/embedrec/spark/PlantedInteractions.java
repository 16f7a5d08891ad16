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
 * Interactions with planted structure for the retrieval tests: users of group {@code u % 2}
 * watch items of kind {@code i % 2} (titles "drama ..." or "comedy ..."), each a seeded random
 * subset of their kind's items, at increasing timestamps; and an items frame with the titles,
 * including {@code extraItems} items no one has watched.
 */
final class PlantedInteractions {
    static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("movie", DataTypes.IntegerType, false)
            .add("time", DataTypes.LongType, false)
            .add("title", DataTypes.StringType, false);
    static final StructType ITEMS = new StructType()
            .add("movie", DataTypes.IntegerType, false)
            .add("title", DataTypes.StringType, false);

    private PlantedInteractions() {}

    static String title(int item) {
        return (item % 2 == 0 ? "drama story " : "comedy laugh ") + item;
    }

    static List<Row> rows(int users, int items, double density, long seed) {
        Rng rng = new Rng(seed);
        List<Row> rows = new ArrayList<>();
        long time = 880_000_000L;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (i % 2 == u % 2 && rng.nextDouble() < density) {
                    time += 1 + rng.nextInt(5000);
                    rows.add(RowFactory.create("u" + u, 100 + i, time, title(i)));
                }
            }
        }
        return rows;
    }

    static List<Row> items(int items, int extraItems) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < items + extraItems; i++) {
            out.add(RowFactory.create(100 + i, title(i)));
        }
        return out;
    }

    static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions) {
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }
}
