package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureSpec;
import org.embedrec.recommend.TrainingSummary;
import org.embedrec.recommend.UserHistory;

/**
 * The saved model's {@link TrainingSummary} computed by Spark aggregations where the rows are:
 * per (user, item) pair its latest row, then per user their distinct items (what exclude-seen
 * needs: the one part whose size is the number of distinct pairs, as ints, on the driver), their
 * 20 latest distinct items, their latest time and latest query values. "Latest" is the greatest
 * (timestamp, position in the data frame), the later row winning a tie, as the single-process
 * recommender reads its rows in order. Each user's row is turned into ints on the executors (the
 * numbering broadcast) and the driver collects those arrays in one job.
 *
 * <p>The data fingerprint is the sum modulo 2^256 of every row's SHA-256 (the row's fields
 * length-prefixed as the single-process fingerprint writes them), so it is the same however the
 * data is partitioned or ordered; it is labelled {@code sha256-sum:}, as it is not the
 * single-process {@code sha256:} of the rows in sequence.
 */
final class TrainingSummaries {
    /** What a user's recent items are cut to (the recommender's own bound). */
    private static final int RECENT = 20;
    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private TrainingSummaries() {}

    /**
     * The summary of {@code rows} (laid out as {@code layout}), users and items numbered as
     * {@code stats} numbers them, over a catalogue of {@code catalogueSize} items (the rows'
     * items first); {@code latestColumns} are the query columns whose latest values each user keeps.
     */
    static TrainingSummary of(Dataset<Row> rows, RowLayout layout, InteractionStatistics stats, int catalogueSize,
                              List<String> latestColumns, FeatureSpec.Data roles) {
        String[] c = rows.columns();
        List<Column> last = new ArrayList<>(List.of(layout.timestamps() ? col(c[2]) : lit(0L), col(RowLayout.POSITION),
                col(c[1])));
        for (String name : latestColumns) {
            last.add(col(c[InteractionStatistics.column(name, roles, layout)]));
        }
        Dataset<Row> pairs = rows.withColumn(RowLayout.POSITION, monotonically_increasing_id())
                .groupBy(col(c[0]).as("user"), col(c[1]).as("item"))
                .agg(max(struct(last.toArray(new Column[0]))).as("last"));
        Dataset<Row> users = pairs.groupBy(col("user")).agg(max(col("last")).as("latest"),
                collect_list(col("item")).as("seen"),
                slice(sort_array(collect_list(col("last")), false), 1, RECENT).as("recent"));

        // Each user's row becomes ints on the executors (the id numbering travels as a broadcast),
        // so the driver receives the compact arrays it keeps, in one job.
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<HashMap<String, Integer>> userRow = sc.broadcast(index(stats.userIds));
        Broadcast<HashMap<String, Integer>> itemRow = sc.broadcast(index(stats.itemIds));
        int values = latestColumns.size();
        List<UserRow> perUser;
        try {
            perUser = users.javaRDD().map(u -> UserRow.of(u, userRow.value(), itemRow.value(), values)).collect();
        } finally {
            userRow.destroy();
            itemRow.destroy();
        }
        int n = stats.userIds.size();
        long[] latest = new long[n];
        int[][] seen = new int[n][];
        int[][] recent = new int[n][];
        String[][] latestValues = new String[values][n];
        for (UserRow u : perUser) {
            latest[u.user()] = u.latest();
            seen[u.user()] = u.seen();
            recent[u.user()] = u.recent();
            for (int k = 0; k < values; k++) {
                latestValues[k][u.user()] = u.latestValues()[k];
            }
        }
        int[] seenOffsets = new int[n + 1];
        int[] recentOffsets = new int[n + 1];
        long latestOfAll = Long.MIN_VALUE;
        for (int u = 0; u < n; u++) {
            seenOffsets[u + 1] = seenOffsets[u] + seen[u].length;
            recentOffsets[u + 1] = recentOffsets[u] + recent[u].length;
            latestOfAll = Math.max(latestOfAll, latest[u]);
        }
        int[] seenItems = new int[seenOffsets[n]];
        int[] recentItems = new int[recentOffsets[n]];
        for (int u = 0; u < n; u++) {
            System.arraycopy(seen[u], 0, seenItems, seenOffsets[u], seen[u].length);
            System.arraycopy(recent[u], 0, recentItems, recentOffsets[u], recent[u].length);
        }
        Map<String, String[]> latestByColumn = new LinkedHashMap<>();
        for (int k = 0; k < latestColumns.size(); k++) {
            latestByColumn.put(latestColumns.get(k), latestValues[k]);
        }
        long[] itemCounts = new long[catalogueSize];
        for (int i = 0; i < stats.itemCounts.length; i++) {
            itemCounts[i] = stats.itemCounts[i];
        }
        UserHistory history = UserHistory.of(stats.userIds, latest, seenOffsets, seenItems, catalogueSize);
        return new TrainingSummary(history, recentOffsets, recentItems, latestByColumn, itemCounts, latestOfAll,
                fingerprint(rows, layout), stats.rows, stats.rows);
    }

    /** The query columns whose latest values a user keeps: every query feature's but the user id's and the time's. */
    static List<String> latestColumns(FeatureSpec spec) {
        List<String> out = new ArrayList<>();
        for (FeatureDefinition f : spec.features(FeatureDefinition.QUERY)) {
            String c = f.column();
            if (!c.equals(spec.data().user()) && !c.equals(spec.data().timestamp()) && !out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Per item of the rows, the values of {@code columns} (extra columns) in its first row (the
     * least position in the data frame), as a single process reads an item's features from the
     * interactions; blank for a null.
     */
    static Map<String, String[]> firstRowValues(Dataset<Row> rows, RowLayout layout, List<String> columns) {
        Map<String, String[]> out = new HashMap<>();
        if (columns.isEmpty()) {
            return out;
        }
        String[] c = rows.columns();
        List<Column> first = new ArrayList<>(List.of(col(RowLayout.POSITION)));
        for (String name : columns) {
            first.add(col(c[layout.extraColumn(name)]));
        }
        Dataset<Row> items = rows.withColumn(RowLayout.POSITION, monotonically_increasing_id()).groupBy(col(c[1]))
                .agg(min(struct(first.toArray(new Column[0]))));
        for (Row r : items.collectAsList()) {
            Row values = r.getStruct(1);
            String[] v = new String[columns.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = values.isNullAt(1 + k) ? "" : values.getString(1 + k);
            }
            out.put(r.getString(0), v);
        }
        return out;
    }

    /** {@code sha256-sum:} and 64 hex digits: see the class comment. */
    static String fingerprint(Dataset<Row> rows, RowLayout layout) {
        BigInteger sum = rows.javaRDD().mapPartitions(it -> {
            MessageDigest sha = sha256();
            BigInteger s = BigInteger.ZERO;
            ByteBuffer numbers = ByteBuffer.allocate(12);
            while (it.hasNext()) {
                Row row = it.next();
                text(sha, row.getString(0));
                text(sha, row.getString(1));
                numbers.clear();
                numbers.putFloat(layout.rating(row)).putLong(layout.timestamp(row));
                sha.update(numbers.array());
                for (int k = 0; k < layout.extraColumns().size(); k++) {
                    text(sha, layout.extra(row, k));
                }
                s = s.add(new BigInteger(1, sha.digest()));
            }
            return List.of(s.mod(MODULUS)).iterator();
        }).fold(BigInteger.ZERO, (a, b) -> a.add(b).mod(MODULUS));
        String hex = sum.toString(16);
        return "sha256-sum:" + "0".repeat(64 - hex.length()) + hex;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void text(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }

    /** One user's part of the summary: row, latest time, seen items (ascending), recent items (newest first), latest values. */
    private record UserRow(int user, long latest, int[] seen, int[] recent, String[] latestValues)
            implements Serializable {
        /** From a row (user, latest struct (time, position, item, values...), seen item ids, recent structs). */
        static UserRow of(Row u, Map<String, Integer> users, Map<String, Integer> items, int values) {
            Row newest = u.getStruct(1);
            String[] v = new String[values];
            for (int k = 0; k < values; k++) {
                Object x = newest.get(3 + k);
                v[k] = x == null ? "" : x.toString();
            }
            List<String> seenIds = u.getList(2);
            int[] seen = new int[seenIds.size()];
            for (int k = 0; k < seen.length; k++) {
                seen[k] = items.get(seenIds.get(k));
            }
            Arrays.sort(seen);
            List<Row> newestFirst = u.getList(3);
            int[] recent = new int[newestFirst.size()];
            for (int k = 0; k < recent.length; k++) {
                recent[k] = items.get(newestFirst.get(k).getString(2));
            }
            return new UserRow(users.get(u.getString(0)), newest.getLong(0), seen, recent, v);
        }
    }

    private static HashMap<String, Integer> index(List<String> ids) {
        HashMap<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            m.put(ids.get(i), i);
        }
        return m;
    }
}
