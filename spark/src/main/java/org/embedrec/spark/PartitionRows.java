package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One partition's training rows, held column by column in an executor's memory for the whole
 * fit (a cached RDD of one element per partition): raw user and item ids, ratings, and each
 * row's batch key. The rows encoded for the model, and which of them fall in each batch of the
 * current epoch, are computed on the executor on first use and kept beside them (transient:
 * rebuilt if the block is ever recomputed).
 *
 * <p>Batches: in epoch {@code e} a row belongs to batch {@code mix(seed, e, key) mod B}, its key
 * a hash of its user and item. Every row is visited once per epoch, batches are about
 * {@code batchSize} rows, and which rows meet in a batch depends on the data alone, never on how
 * it is partitioned: that is what makes one global batch the same over 1 or 2 partitions.
 */
final class PartitionRows implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final String[] users;
    final String[] items;
    final float[] ratings;
    final long[] keys;
    private transient Object encoded;
    private transient int batchesEpoch = -1;
    private transient int[][] batches;

    private PartitionRows(int index, String[] users, String[] items, float[] ratings) {
        this.index = index;
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.keys = new long[users.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = rowKey(users[r], items[r]);
        }
    }

    /** The rows of {@code it}, whose columns are (user string, item string, rating float), already validated. */
    static PartitionRows of(int index, Iterator<Row> it) {
        List<Row> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        int n = rows.size();
        String[] u = new String[n];
        String[] i = new String[n];
        float[] r = new float[n];
        for (int k = 0; k < n; k++) {
            Row row = rows.get(k);
            u[k] = row.getString(0);
            i[k] = row.getString(1);
            r[k] = row.getFloat(2);
        }
        return new PartitionRows(index, u, i, r);
    }

    int size() {
        return users.length;
    }

    /** The model inputs of these rows, made once by {@code encode} and kept. */
    @SuppressWarnings("unchecked")
    synchronized <T> T encoded(java.util.function.Function<PartitionRows, T> encode) {
        if (encoded == null) {
            encoded = encode.apply(this);
        }
        return (T) encoded;
    }

    /** The rows (positions in this partition, ascending) of batch {@code batch} of epoch {@code epoch}. */
    synchronized int[] batch(long seed, int epoch, int batch, int numBatches) {
        if (batchesEpoch != epoch || batches == null || batches.length != numBatches) {
            batches = split(keys, seed, epoch, numBatches);
            batchesEpoch = epoch;
        }
        return batches[batch];
    }

    /**
     * Rows of keys {@code keys} by batch in epoch {@code epoch}: entry b the positions (ascending)
     * of the rows that fall in batch b.
     */
    static int[][] split(long[] keys, long seed, int epoch, int numBatches) {
        int[] of = new int[keys.length];
        for (int r = 0; r < keys.length; r++) {
            of[r] = batchOf(seed, epoch, keys[r], numBatches);
        }
        return group(of, numBatches);
    }

    /** Positions {@code 0..of.length} by batch, {@code of[r]} the batch of position r: entry b the positions (ascending) in batch b. */
    static int[][] group(int[] of, int numBatches) {
        int[] counts = new int[numBatches];
        for (int b : of) {
            counts[b]++;
        }
        int[][] out = new int[numBatches][];
        for (int b = 0; b < numBatches; b++) {
            out[b] = new int[counts[b]];
        }
        int[] fill = new int[numBatches];
        for (int r = 0; r < of.length; r++) {
            out[of[r]][fill[of[r]]++] = r;
        }
        return out;
    }

    /** The batch a row of key {@code key} falls in during {@code epoch}. */
    static int batchOf(long seed, int epoch, long key, int numBatches) {
        return (int) Long.remainderUnsigned(epochHash(seed, epoch, key), numBatches);
    }

    /** A hash of the seed, the epoch and a row's key: where the row falls in that epoch. */
    static long epochHash(long seed, int epoch, long key) {
        return mix(mix(seed ^ 0x5350415243484B45L) + epoch * 0x9E3779B97F4A7C15L + key);
    }

    /** A 64-bit hash of the (user, item) pair, the same on every JVM (FNV-1a over the chars, then mixed). */
    static long rowKey(String user, String item) {
        long h = 0xcbf29ce484222325L;
        for (int c = 0; c < user.length(); c++) {
            h = (h ^ user.charAt(c)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L;
        for (int c = 0; c < item.length(); c++) {
            h = (h ^ item.charAt(c)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
