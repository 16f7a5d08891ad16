package org.embedrec.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The columns of the training rows an estimator selects from the user's data frame, by
 * position: 0 the user id and 1 the item id (strings); 2 the rating (float) when the rows have
 * ratings, or the timestamp (long, seconds) when they have timestamps; then the extra columns
 * (strings), by name. {@code names} are the estimator's parameters for the first columns, for
 * messages ("userCol: a null value in row 3").
 */
record RowLayout(boolean ratings, boolean timestamps, List<String> extraColumns, List<String> names)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The first columns' names in the rows frame (unlikely to be an extra column's name). */
    static final String USER = "__embedrec_user";
    static final String ITEM = "__embedrec_item";
    static final String RATING = "__embedrec_rating";
    static final String TIME = "__embedrec_time";
    /** A row's position in the data frame, added where "first" and "latest" rows are chosen. */
    static final String POSITION = "__embedrec_position";

    RowLayout {
        if (ratings && timestamps) {
            throw new IllegalArgumentException("rows carry a rating or a timestamp in column 2, not both");
        }
        extraColumns = List.copyOf(extraColumns);
        names = List.copyOf(names);
    }

    /** Columns before the extra ones: user, item and the rating or timestamp. */
    int fixedColumns() {
        return ratings || timestamps ? 3 : 2;
    }

    /** Position of extra column {@code name}. */
    int extraColumn(String name) {
        int k = extraColumns.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException("no column '" + name + "' among the rows' extra columns " + extraColumns);
        }
        return fixedColumns() + k;
    }

    long timestamp(Row row) {
        return timestamps ? row.getLong(2) : 0L;
    }

    float rating(Row row) {
        return ratings ? row.getFloat(2) : 0f;
    }

    /** Extra column {@code k}'s value in {@code row}; a null reads as blank (a missing value). */
    String extra(Row row, int k) {
        int c = fixedColumns() + k;
        return row.isNullAt(c) ? "" : row.getString(c);
    }
}
