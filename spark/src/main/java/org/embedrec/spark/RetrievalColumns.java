package org.embedrec.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.embedrec.data.AttributeTable;
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

    /** The rows' layout ({@link #rows}): user, item, timestamp when the spec reads one, query and row-read candidate columns. */
    RowLayout layout() {
        List<String> extra = new ArrayList<>(queryColumns);
        extra.addAll(rowCandidateColumns);
        return new RowLayout(false, hasTimestamps(), extra, List.of("userCol", "itemCol", "timestampCol"));
    }

    /**
     * The interactions' columns the fit reads, as {@link #layout} lays them out: user, item
     * (strings), timestamp (long), the query columns, then the candidate columns read from the
     * rows (strings). Its first columns are {@link #partitionRows}'s.
     */
    Dataset<Row> rows(Dataset<?> data) {
        List<Column> cols = new ArrayList<>(List.of(col(userCol).cast("string").as(RowLayout.USER),
                col(itemCol).cast("string").as(RowLayout.ITEM)));
        if (hasTimestamps()) {
            cols.add(col(timestampCol).cast("long").as(RowLayout.TIME));
        }
        for (String c : layout().extraColumns()) {
            cols.add(col(c).cast("string"));
        }
        return data.select(cols.toArray(new Column[0]));
    }

    /**
     * The catalogue as one table, the spec's item id column then every candidate column (read
     * from the rows, then from the items frame): first the rows' items ({@code rowItems}, with
     * their first row's values {@code firstRowValues}), then the items frame's other items in its
     * order, as a single process orders the catalogue. A value the item lacks is blank.
     */
    AttributeTable catalogueTable(List<String> rowItems, Map<String, String[]> firstRowValues, AttributeTable items) {
        List<String> names = new ArrayList<>(List.of(spec.data().item()));
        names.addAll(rowCandidateColumns);
        names.addAll(tableCandidateColumns);
        List<String[]> rows = new ArrayList<>();
        java.util.Set<String> inRows = new java.util.HashSet<>(rowItems);
        List<String> ids = new ArrayList<>(rowItems);
        if (items != null) {
            for (String id : items.ids()) {
                if (!inRows.contains(id)) {
                    ids.add(id);
                }
            }
        }
        for (String id : ids) {
            String[] row = new String[names.size()];
            row[0] = id;
            String[] first = firstRowValues.get(id);
            for (int c = 0; c < rowCandidateColumns.size(); c++) {
                row[1 + c] = first == null ? "" : first[c];
            }
            for (int c = 0; c < tableCandidateColumns.size(); c++) {
                String v = items == null ? null : items.value(id, tableCandidateColumns.get(c));
                row[1 + rowCandidateColumns.size() + c] = v == null ? "" : v;
            }
            rows.add(row);
        }
        return AttributeTable.of("the catalogue", names, spec.data().item(), rows);
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
