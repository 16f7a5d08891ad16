package org.embedrec.spark;

import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks that the columns an estimator or model is told to read are in a data frame, with a
 * message naming the parameter, the column and the columns there are.
 */
final class DataColumns {
    private DataColumns() {}

    /** {@code column}'s field; an IllegalArgumentException naming {@code param} when absent. */
    static StructField require(StructType schema, String param, String column) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f;
            }
        }
        throw new IllegalArgumentException(param + " '" + column + "': no such column in the data; its columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    /** An id column: strings, integers or longs (read as their decimal text). */
    static void requireId(StructType schema, String param, String column) {
        DataType t = require(schema, param, column).dataType();
        if (!(t.equals(DataTypes.StringType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType))) {
            throw new IllegalArgumentException(param + " '" + column + "': an id column must be string, int or long, "
                    + "got " + t.simpleString());
        }
    }

    /** A numeric column. */
    static void requireNumeric(StructType schema, String param, String column) {
        DataType t = require(schema, param, column).dataType();
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException(param + " '" + column + "': ratings must be numeric, got "
                    + t.simpleString());
        }
    }

    /** Refuses an output column that would overwrite one already there. */
    static void requireAbsent(StructType schema, String param, String column) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + " '" + column + "': the data already has a column of that name");
        }
    }
}
