package org.embedrec.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSpec;

/**
 * The single-process reference the Spark tests hold the estimators to: the planted frames' rows
 * collected in the frame's order (a test may collect; the estimators may not) and read as a
 * single process reads them, users and items numbered in sorted order of their ids, then
 * prepared by {@link FeatureExperiment#prepare}.
 */
final class SingleProcess {
    private SingleProcess() {}

    /** Rows of {@link PlantedRatings#SCHEMA} (user, movie, stars) as rated interactions. */
    static Interactions ratings(List<Row> rows) {
        Set<String> users = new TreeSet<>();
        Set<String> items = new TreeSet<>();
        for (Row row : rows) {
            users.add(row.getString(0));
            items.add(Integer.toString(row.getInt(1)));
        }
        IdMapping userIds = IdMapping.of(new ArrayList<>(users));
        IdMapping itemIds = IdMapping.of(new ArrayList<>(items));
        Interactions.Builder b = Interactions.builder().hasTimestamps(false);
        for (Row row : rows) {
            b.add(userIds.denseId(row.getString(0)), itemIds.denseId(Integer.toString(row.getInt(1))),
                    (float) row.getDouble(2), 0L);
        }
        return b.build(userIds, itemIds);
    }

    /** Rows of {@link PlantedInteractions#SCHEMA} (user, movie, time, title) as timed interactions with a title column. */
    static Interactions interactions(List<Row> rows) {
        Set<String> users = new TreeSet<>();
        Set<String> items = new TreeSet<>();
        for (Row row : rows) {
            users.add(row.getString(0));
            items.add(Integer.toString(row.getInt(1)));
        }
        IdMapping userIds = IdMapping.of(new ArrayList<>(users));
        IdMapping itemIds = IdMapping.of(new ArrayList<>(items));
        Interactions.Builder b = Interactions.builder().hasRatings(false).hasTimestamps(true)
                .extraColumns(List.of("title"));
        for (Row row : rows) {
            b.add(userIds.denseId(row.getString(0)), itemIds.denseId(Integer.toString(row.getInt(1))), 0f,
                    row.getLong(2), new String[] {row.getString(3)});
        }
        return b.build(userIds, itemIds);
    }

    /** The items frame's rows (movie, title) as the spec's item table, its id column the spec's item. */
    static AttributeTable items(FeatureSpec spec, List<Row> rows) {
        List<String[]> values = new ArrayList<>();
        for (Row row : rows) {
            values.add(new String[] {Integer.toString(row.getInt(0)), row.getString(1)});
        }
        return AttributeTable.of("the items frame", List.of(spec.data().item(), "title"), spec.data().item(), values);
    }

    /** {@code all} prepared for {@code spec}, every row training (none held out). */
    static FeatureExperiment.Prepared prepare(FeatureSpec spec, Interactions all, AttributeTable items) {
        return FeatureExperiment.prepare(spec, all, new Split(all, all.select(new int[0])), items, null);
    }

    /** {@code all} prepared for {@code spec}, rows {@code test} held out. */
    static FeatureExperiment.Prepared prepare(FeatureSpec spec, Interactions all, int[] train, int[] test,
                                              AttributeTable items) {
        return FeatureExperiment.prepare(spec, all, new Split(all.select(train), all.select(test)), items, null);
    }

    /**
     * The encoders hold the same vocabularies and buckets, and normalisations equal to the
     * rounding of merging partitions' moments (Welford's update, partition by partition).
     */
    static void assertSameEncoder(FeatureEncoder spark, FeatureEncoder single) {
        JsonNode a = spark.toJson().get("features");
        JsonNode b = single.toJson().get("features");
        assertThat(a.size()).isEqualTo(b.size());
        b.fieldNames().forEachRemaining(name -> {
            assertThat(a.get(name).get("lookup")).as(name).isEqualTo(b.get(name).get("lookup"));
            assertThat(a.get(name).get("discretization")).as(name).isEqualTo(b.get(name).get("discretization"));
            if (b.get(name).has("normalization")) {
                for (String field : List.of("mean", "variance")) {
                    double x = b.get(name).get("normalization").get(field).get(0).asDouble();
                    double y = a.get(name).get("normalization").get(field).get(0).asDouble();
                    assertThat(Math.abs(x - y)).as(name + " " + field).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(x)));
                }
            } else {
                assertThat(a.get(name).has("normalization")).as(name).isFalse();
            }
        });
        assertThat(spark.toJson().get("crosses")).isEqualTo(single.toJson().get("crosses"));
    }
}
