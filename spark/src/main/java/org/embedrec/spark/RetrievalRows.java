package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One partition's retrieval training rows, held column by column in an executor's memory for the
 * whole fit (a cached RDD of one element per partition): raw user and item ids, timestamps, the
 * values of the query features' other columns, and each row's batch key. The rows' encoded query
 * features are computed on the executor on first use and kept (transient: rebuilt if the block is
 * recomputed). Batches are chosen as {@link PartitionRows} chooses them, by hashing the user and
 * item, so they do not depend on the partitioning.
 */
final class RetrievalRows implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final String[] users;
    final String[] items;
    /** Null when the spec reads no timestamp. */
    final long[] timestamps;
    /** Per query column (the recipe's {@code queryColumns}), one value per row. */
    final String[][] queryColumns;
    final long[] keys;
    private transient Object encoded;
    private transient int batchesEpoch = -1;
    private transient int[][] batches;

    private RetrievalRows(int index, String[] users, String[] items, long[] timestamps, String[][] queryColumns) {
        this.index = index;
        this.users = users;
        this.items = items;
        this.timestamps = timestamps;
        this.queryColumns = queryColumns;
        this.keys = new long[users.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = PartitionRows.rowKey(users[r], items[r]);
        }
    }

    /**
     * The rows of {@code it}, whose columns are user (string), item (string), the timestamp (long)
     * when {@code hasTimestamps}, then {@code queryColumns} strings; already validated on the driver.
     */
    static RetrievalRows of(int index, Iterator<Row> it, boolean hasTimestamps, int queryColumns) {
        List<Row> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        int n = rows.size();
        String[] u = new String[n];
        String[] i = new String[n];
        long[] t = hasTimestamps ? new long[n] : null;
        String[][] extra = new String[queryColumns][n];
        int first = hasTimestamps ? 3 : 2;
        for (int k = 0; k < n; k++) {
            Row row = rows.get(k);
            u[k] = row.getString(0);
            i[k] = row.getString(1);
            if (hasTimestamps) {
                t[k] = row.getLong(2);
            }
            for (int c = 0; c < queryColumns; c++) {
                extra[c][k] = row.isNullAt(first + c) ? "" : row.getString(first + c);
            }
        }
        return new RetrievalRows(index, u, i, t, extra);
    }

    int size() {
        return users.length;
    }

    /** The model inputs of these rows, made once by {@code encode} and kept. */
    @SuppressWarnings("unchecked")
    synchronized <T> T encoded(java.util.function.Function<RetrievalRows, T> encode) {
        if (encoded == null) {
            encoded = encode.apply(this);
        }
        return (T) encoded;
    }

    /** The rows (positions in this partition, ascending) of batch {@code batch} of epoch {@code epoch}. */
    synchronized int[] batch(long seed, int epoch, int batch, int numBatches) {
        if (batchesEpoch != epoch || batches == null || batches.length != numBatches) {
            batches = PartitionRows.split(keys, seed, epoch, numBatches);
            batchesEpoch = epoch;
        }
        return batches[batch];
    }
}
