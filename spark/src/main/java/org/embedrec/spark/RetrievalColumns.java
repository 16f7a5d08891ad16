package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureSpec;

/**
 * Where a retrieval spec's columns are in the data frames a user gives {@link EmbedrecRetrieval}:
 * the spec's user, item and timestamp roles are the estimator's {@code userCol}, {@code itemCol}
 * and {@code timestampCol}; every other column a feature reads is a column of that name, a query
 * feature's in the interactions, a candidate feature's in the items frame when there is one and
 * it has the column, else in the interactions (the item's first row, as the single-process
 * reader takes it). Checked before any work, with messages naming the parameter or feature.
 *
 * @param queryColumns the query features' columns other than the roles (carried by every row)
 * @param rowCandidateColumns candidate features' columns read from the interactions
 * @param tableCandidateColumns candidate features' columns read from the items frame
 */
record RetrievalColumns(FeatureSpec spec, String userCol, String itemCol, String timestampCol,
                        List<String> queryColumns, List<String> rowCandidateColumns,
                        List<String> tableCandidateColumns) {

    /** The columns of {@code spec} in {@code data} and the optional {@code items} frame, checked. */
    static RetrievalColumns of(FeatureSpec spec, StructType data, StructType items, String userCol, String itemCol,
                               String timestampCol) {
        FeatureSpec.Data roles = spec.data();
        DataColumns.requireId(data, "userCol", userCol);
        DataColumns.requireId(data, "itemCol", itemCol);
        if (roles.timestamp() != null) {
            DataType t = DataColumns.require(data, "timestampCol", timestampCol).dataType();
            if (!(t instanceof NumericType || t.equals(DataTypes.TimestampType))) {
                throw new IllegalArgumentException("timestampCol '" + timestampCol + "': timestamps must be numeric "
                        + "(seconds) or a timestamp, got " + t.simpleString());
            }
        }
        if (items != null) {
            DataColumns.requireId(items, "itemCol (in the items frame)", itemCol);
        }
        Set<String> query = new LinkedHashSet<>();
        Set<String> fromRows = new LinkedHashSet<>();
        Set<String> fromTable = new LinkedHashSet<>();
        for (FeatureDefinition f : spec.features()) {
            String c = f.column();
            String param = "feature '" + f.name() + "' column";
            boolean isQuery = f.tower().equals(FeatureDefinition.QUERY);
            if (c.equals(roles.user()) || c.equals(roles.item()) || c.equals(roles.timestamp())) {
                if (!isQuery && !c.equals(roles.item())) {
                    throw new IllegalArgumentException(param + " '" + c + "': a candidate feature reads the item's "
                            + "columns; the user and the timestamp are the query's");
                }
                continue;
            }
            if (isQuery) {
                DataColumns.require(data, param, c);
                query.add(c);
            } else if (items != null && Arrays.asList(items.fieldNames()).contains(c)) {
                fromTable.add(c);
            } else if (Arrays.asList(data.fieldNames()).contains(c)) {
                fromRows.add(c);
            } else {
                throw new IllegalArgumentException(param + " '" + c + "': no such column in the data "
                        + Arrays.toString(data.fieldNames()) + (items == null ? " and no items frame was given"
                        : " or the items frame " + Arrays.toString(items.fieldNames())));
            }
        }
        return new RetrievalColumns(spec, userCol, itemCol, timestampCol, List.copyOf(query), List.copyOf(fromRows),
                List.copyOf(fromTable));
    }

    boolean hasTimestamps() {
        return spec.data().timestamp() != null;
    }

    /** The interactions' columns as the partitions read them: user, item (strings), timestamp (long), query columns. */
    Dataset<Row> partitionRows(Dataset<?> data) {
        List<Column> cols = new ArrayList<>(List.of(col(userCol).cast("string"), col(itemCol).cast("string")));
        if (hasTimestamps()) {
            cols.add(col(timestampCol).cast("long"));
        }
        for (String c : queryColumns) {
            cols.add(col(c).cast("string"));
        }
        return data.select(cols.toArray(new Column[0]));
    }

    /**
     * The interactions collected on the driver: users and items numbered in sorted order of their
     * ids (so the numbering does not depend on the partitioning), the timestamp, and the query
     * and row-read candidate columns as extra columns under their own names.
     */
    Interactions interactions(Dataset<?> data) {
        List<Column> cols = new ArrayList<>(List.of(col(userCol).cast("string"), col(itemCol).cast("string")));
        if (hasTimestamps()) {
            cols.add(col(timestampCol).cast("long"));
        }
        List<String> extra = new ArrayList<>(queryColumns);
        extra.addAll(rowCandidateColumns);
        for (String c : extra) {
            cols.add(col(c).cast("string"));
        }
        List<Row> rows = data.select(cols.toArray(new Column[0])).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        int first = hasTimestamps() ? 3 : 2;
        String[] names = {"userCol", "itemCol", "timestampCol"};
        Set<String> users = new TreeSet<>();
        Set<String> items = new TreeSet<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            for (int c = 0; c < first; c++) {
                if (row.isNullAt(c)) {
                    throw new IllegalArgumentException(names[c] + ": a null value in row " + (r + 1) + " " + row
                            + "; drop or fill such rows first");
                }
            }
            users.add(row.getString(0));
            items.add(row.getString(1));
        }
        IdMapping userIds = IdMapping.of(new ArrayList<>(users));
        IdMapping itemIds = IdMapping.of(new ArrayList<>(items));
        Interactions.Builder b = Interactions.builder().hasRatings(false).hasTimestamps(hasTimestamps())
                .extraColumns(extra);
        for (Row row : rows) {
            String[] values = new String[extra.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = row.isNullAt(first + c) ? "" : row.getString(first + c);
            }
            b.add(userIds.denseId(row.getString(0)), itemIds.denseId(row.getString(1)), 0f,
                    hasTimestamps() ? row.getLong(2) : 0L, extra.isEmpty() ? null : values);
        }
        return b.build(userIds, itemIds);
    }

    /** The items frame as the spec's item table (its id column named as the spec's item role); null without one. */
    AttributeTable itemTable(Dataset<?> items) {
        if (items == null) {
            return null;
        }
        List<Column> cols = new ArrayList<>(List.of(col(itemCol).cast("string")));
        for (String c : tableCandidateColumns) {
            cols.add(col(c).cast("string"));
        }
        List<String[]> values = new ArrayList<>();
        List<Row> rows = items.select(cols.toArray(new Column[0])).collectAsList();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException("itemCol (in the items frame): a null value in row " + (r + 1)
                        + " " + row);
            }
            String[] v = new String[cols.size()];
            for (int c = 0; c < v.length; c++) {
                v[c] = row.isNullAt(c) ? "" : row.getString(c);
            }
            values.add(v);
        }
        List<String> names = new ArrayList<>(List.of(spec.data().item()));
        names.addAll(tableCandidateColumns);
        return AttributeTable.of("the items frame", names, spec.data().item(), values);
    }
}
