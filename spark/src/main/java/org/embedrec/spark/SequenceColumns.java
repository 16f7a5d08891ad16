package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The three columns a sequential estimator reads (user, item, timestamp), checked by parameter
 * name, and each user's time-ordered history built where the rows are: the rows are grouped by
 * user and sorted by (timestamp, input position) in Spark, so equal timestamps keep their input
 * order as {@link org.embedrec.data.UserSequences} keeps it. The driver sees the distinct items
 * (the catalogue) and never a row.
 */
final class SequenceColumns {
    private static final String USER = "u";
    private static final String ITEM = "i";
    private static final String TIME = "t";
    private static final String ORDER = "o";

    private final String userCol;
    private final String itemCol;
    private final String timestampCol;

    private SequenceColumns(String userCol, String itemCol, String timestampCol) {
        this.userCol = userCol;
        this.itemCol = itemCol;
        this.timestampCol = timestampCol;
    }

    /** One user's whole history, oldest first (item rows of the catalogue), and the time of its latest row. */
    record UserSequence(String user, int[] items, long latest) implements Serializable {}

    /** Checks {@code schema}: the id columns strings, ints or longs, the timestamp numeric (seconds) or a timestamp. */
    static SequenceColumns of(StructType schema, String userCol, String itemCol, String timestampCol) {
        DataColumns.requireId(schema, "userCol", userCol);
        DataColumns.requireId(schema, "itemCol", itemCol);
        DataType t = DataColumns.require(schema, "timestampCol", timestampCol).dataType();
        if (!(t instanceof NumericType || t.equals(DataTypes.TimestampType))) {
            throw new IllegalArgumentException("timestampCol '" + timestampCol + "': timestamps must be numeric "
                    + "(seconds) or a timestamp, got " + t.simpleString());
        }
        return new SequenceColumns(userCol, itemCol, timestampCol);
    }

    /** The rows as (user, item) strings, timestamp long and input position; a null in any of the three is refused. */
    private Dataset<Row> events(Dataset<?> data) {
        Dataset<Row> events = data.select(col(userCol).cast("string").as(USER), col(itemCol).cast("string").as(ITEM),
                col(timestampCol).cast("long").as(TIME), monotonically_increasing_id().as(ORDER));
        List<Row> bad = events.filter(col(USER).isNull().or(col(ITEM).isNull()).or(col(TIME).isNull()))
                .limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row row = bad.get(0);
            String param = row.isNullAt(0) ? "userCol" : row.isNullAt(1) ? "itemCol" : "timestampCol";
            String column = row.isNullAt(0) ? userCol : row.isNullAt(1) ? itemCol : timestampCol;
            throw new IllegalArgumentException(param + " '" + column + "': a null value in the row (" + userCol + " "
                    + row.get(0) + ", " + itemCol + " " + row.get(1) + ", " + timestampCol + " " + row.get(2)
                    + "); drop or fill such rows first");
        }
        return events;
    }

    /** The catalogue: the distinct items of {@code data}, in sorted order of their ids (whatever the partitioning). */
    List<String> items(Dataset<?> data) {
        List<String> items = new ArrayList<>();
        for (Row row : data.select(col(itemCol).cast("string")).distinct().collectAsList()) {
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException("itemCol '" + itemCol + "': a null value; drop or fill such rows "
                        + "first");
            }
            items.add(row.getString(0));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        items.sort(null);
        return items;
    }

    /**
     * Every user's history, over {@code partitions} partitions (users hashed to them), items as
     * rows of {@code catalogue}, which must hold every item of {@code data}.
     */
    JavaRDD<UserSequence> sequences(Dataset<?> data, List<String> catalogue, int partitions) {
        Dataset<Row> grouped = events(data).groupBy(col(USER))
                .agg(sort_array(collect_list(struct(col(TIME), col(ORDER), col(ITEM)))).as("events"))
                .repartition(partitions, col(USER));
        Map<String, Integer> rows = new HashMap<>(catalogue.size() * 2);
        for (int i = 0; i < catalogue.size(); i++) {
            rows.put(catalogue.get(i), i);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        Broadcast<Map<String, Integer>> itemRows = sc.broadcast(rows);
        return grouped.javaRDD().map(row -> {
            List<Row> events = row.getList(1);
            int[] items = new int[events.size()];
            for (int k = 0; k < items.length; k++) {
                Integer item = itemRows.value().get(events.get(k).getString(2));
                if (item == null) {
                    throw new IllegalStateException("item '" + events.get(k).getString(2) + "' of user '"
                            + row.getString(0) + "' is not in the catalogue the driver collected");
                }
                items[k] = item;
            }
            return new UserSequence(row.getString(0), items, events.get(items.length - 1).getLong(0));
        });
    }
}
