package org.embedrec.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.features.FeatureStatistics;
import scala.Tuple2;

/**
 * What adapting the preprocessing needs of the training rows, computed by Spark jobs where the
 * rows are, so that the driver receives vocabularies and counts, never the rows: the distinct
 * users and items with their counts (numbered in sorted order of their ids, so the numbering does
 * not depend on the partitioning, as a single process numbers them), the labels' mean and range,
 * and each query feature's {@link FeatureStatistics} over every row (each partition's, merged in
 * partition order). The rows are checked on the way (no null id, rating or timestamp; finite
 * ratings); a bad row is named by its position in the data frame.
 */
final class InteractionStatistics {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> userIds;
    final int[] userCounts;
    final List<String> itemIds;
    final int[] itemCounts;
    final long rows;
    final float meanLabel;
    final float minLabel;
    final float maxLabel;
    /** Per query feature of the spec, by name, its statistics over every row. */
    final Map<String, FeatureStatistics> queryFeatures;

    private InteractionStatistics(List<String> userIds, int[] userCounts, List<String> itemIds, int[] itemCounts,
                                  long rows, float meanLabel, float minLabel, float maxLabel,
                                  Map<String, FeatureStatistics> queryFeatures) {
        this.userIds = userIds;
        this.userCounts = userCounts;
        this.itemIds = itemIds;
        this.itemCounts = itemCounts;
        this.rows = rows;
        this.meanLabel = meanLabel;
        this.minLabel = minLabel;
        this.maxLabel = maxLabel;
        this.queryFeatures = queryFeatures;
    }

    /** The statistics of {@code rows} (laid out as {@code layout} says) for {@code spec}'s query features. */
    static InteractionStatistics of(Dataset<Row> rows, RowLayout layout, FeatureSpec spec) {
        Row totals = rows.agg(count(lit(1)), sum(when(bad(rows, layout), 1).otherwise(0)),
                sum(layout.ratings() ? col(rows.columns()[2]).cast("double") : lit(0.0)),
                min(layout.ratings() ? col(rows.columns()[2]) : lit(0f)),
                max(layout.ratings() ? col(rows.columns()[2]) : lit(0f))).first();
        long n = totals.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        if (totals.getLong(1) > 0) {
            throw firstBadRow(rows, layout);
        }
        float mean = layout.ratings() ? (float) (totals.getDouble(2) / n) : 0f;
        float lo = layout.ratings() ? totals.getFloat(3) : 0f;
        float hi = layout.ratings() ? totals.getFloat(4) : 0f;
        List<Tuple2<String, Long>> users = counts(rows, 0);
        List<Tuple2<String, Long>> items = counts(rows, 1);
        return new InteractionStatistics(ids(users), countsOf(users), ids(items), countsOf(items), n, mean, lo, hi,
                queryFeatures(rows, layout, spec));
    }

    /**
     * The encoder of {@code spec} adapted on these rows: query features on their statistics here,
     * candidate features on {@code catalogue}'s values (one per catalogue item; only the rows'
     * items, each once, for a feature that adapts on training items), as a single process adapts it.
     */
    FeatureEncoder encoder(FeatureSpec spec, FeatureSource catalogue) {
        Map<String, FeatureStatistics> all = new LinkedHashMap<>(queryFeatures);
        for (FeatureDefinition f : spec.features(FeatureDefinition.CANDIDATE)) {
            String[] values = catalogue.candidateValues(f);
            int n = f.adaptsOnCatalogue() ? values.length : itemIds.size();
            FeatureStatistics s = FeatureStatistics.of(f);
            for (int i = 0; i < n; i++) {
                s.add(f, values[i], (f.adaptsOnCatalogue() ? "item " : "training item ") + (i + 1));
            }
            all.put(f.name(), s);
        }
        return FeatureEncoder.adapt(spec, all);
    }

    /** A row with a null id, a null rating or timestamp, or a rating that is not finite. */
    private static Column bad(Dataset<Row> rows, RowLayout layout) {
        String[] c = rows.columns();
        Column bad = col(c[0]).isNull().or(col(c[1]).isNull());
        if (layout.fixedColumns() == 3) {
            bad = bad.or(col(c[2]).isNull());
        }
        if (layout.ratings()) {
            // Spark orders NaN above every number, so this is false for NaN and the infinities.
            bad = bad.or(abs(col(c[2])).leq(Float.MAX_VALUE).unary_$bang());
        }
        return bad;
    }

    /** The first bad row's error, naming its column and its position (a second job, run only when there is one). */
    private static IllegalArgumentException firstBadRow(Dataset<Row> rows, RowLayout layout) {
        Tuple2<Row, Long> first = rows.javaRDD().zipWithIndex().filter(t -> problem(t._1(), layout) != null).first();
        String[] problem = problem(first._1(), layout);
        return new IllegalArgumentException(problem[0] + " in row " + (first._2() + 1) + " " + first._1() + problem[1]);
    }

    /** What is wrong with {@code row} and what to do, or null. */
    private static String[] problem(Row row, RowLayout layout) {
        for (int c = 0; c < layout.fixedColumns(); c++) {
            if (row.isNullAt(c)) {
                return new String[] {layout.names().get(c) + ": a null value", "; drop or fill such rows first"};
            }
        }
        if (layout.ratings() && !Float.isFinite(row.getFloat(2))) {
            return new String[] {layout.names().get(2) + ": rating " + row.getFloat(2), ", expected a finite number"};
        }
        return null;
    }

    /** Each distinct value of column {@code column} with its count, sorted by value in Java's String order. */
    private static List<Tuple2<String, Long>> counts(Dataset<Row> rows, int column) {
        List<Tuple2<String, Long>> out = new ArrayList<>();
        for (Row r : rows.groupBy(col(rows.columns()[column])).count().collectAsList()) {
            out.add(new Tuple2<>(r.getString(0), r.getLong(1)));
        }
        // Sorted here rather than by Spark, whose string order (UTF-8 bytes) is not String.compareTo's.
        out.sort(Comparator.comparing(Tuple2::_1));
        return out;
    }

    private static List<String> ids(List<Tuple2<String, Long>> counts) {
        List<String> out = new ArrayList<>(counts.size());
        for (Tuple2<String, Long> c : counts) {
            out.add(c._1());
        }
        return Collections.unmodifiableList(out);
    }

    private static int[] countsOf(List<Tuple2<String, Long>> counts) {
        int[] out = new int[counts.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.toIntExact(counts.get(k)._2());
        }
        return out;
    }

    /** Each query feature's statistics: one set per partition, merged on the driver in partition order. */
    private static Map<String, FeatureStatistics> queryFeatures(Dataset<Row> rows, RowLayout layout, FeatureSpec spec) {
        String specJson = spec.toJsonString();
        List<Tuple2<Integer, FeatureStatistics[]>> parts = rows.javaRDD().mapPartitionsWithIndex((index, it) -> {
            List<FeatureDefinition> features = readSpec(specJson).features(FeatureDefinition.QUERY);
            FeatureSpec.Data roles = readSpec(specJson).data();
            FeatureStatistics[] stats = new FeatureStatistics[features.size()];
            int[] columns = new int[features.size()];
            for (int f = 0; f < stats.length; f++) {
                stats[f] = FeatureStatistics.of(features.get(f));
                columns[f] = column(features.get(f).column(), roles, layout);
            }
            long r = 0;
            while (it.hasNext()) {
                Row row = it.next();
                r++;
                for (int f = 0; f < stats.length; f++) {
                    Object v = row.get(columns[f]);
                    stats[f].add(features.get(f), v == null ? "" : v.toString(),
                            "training row " + r + " of partition " + index);
                }
            }
            return Collections.singletonList(new Tuple2<>(index, stats)).iterator();
        }, true).collect();
        List<Tuple2<Integer, FeatureStatistics[]>> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        Map<String, FeatureStatistics> out = new LinkedHashMap<>();
        for (Tuple2<Integer, FeatureStatistics[]> part : ordered) {
            for (FeatureStatistics s : part._2()) {
                FeatureStatistics before = out.get(s.feature());
                out.put(s.feature(), before == null ? s : before.merge(s));
            }
        }
        return out;
    }

    /** The position in the rows of the column a query feature reads. */
    static int column(String column, FeatureSpec.Data roles, RowLayout layout) {
        if (column.equals(roles.user())) {
            return 0;
        }
        if (column.equals(roles.item())) {
            return 1;
        }
        if (column.equals(roles.timestamp()) && layout.timestamps()) {
            return 2;
        }
        return layout.extraColumn(column);
    }

    static FeatureSpec readSpec(String json) {
        try {
            return FeatureSpec.fromJson(JSON.readTree(json), "the fitted spec");
        } catch (IOException e) {
            throw new UncheckedIOException("the spec's JSON is unreadable", e);
        }
    }
}
