package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's training examples of a next-item model, held in an executor's memory for the
 * whole fit (a cached RDD of one element per partition): the users with at least two items, each
 * with their whole history (oldest first, catalogue rows) and a key hashed from their id.
 *
 * <p>An example is a user, as in single-process training ({@code NextItemExamples}): the input is
 * their most recent {@code maxLength + 1} items but the last, the target at each step the next
 * item. In epoch {@code e} a user belongs to batch {@code mix(seed, e, key) mod B}
 * ({@link PartitionRows#batchOf}), so which users meet in a batch depends on the data alone,
 * never on how it is partitioned.
 */
final class SequenceRows implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final String[] users;
    final int[][] histories;
    final long[] keys;
    private transient int batchesEpoch = -1;
    private transient int[][] batches;

    private SequenceRows(int index, String[] users, int[][] histories) {
        this.index = index;
        this.users = users;
        this.histories = histories;
        this.keys = new long[users.length];
        for (int u = 0; u < keys.length; u++) {
            keys[u] = key(users[u]);
        }
    }

    /** The users of {@code it} with at least two items. */
    static SequenceRows of(int index, Iterator<SequenceColumns.UserSequence> it) {
        List<String> users = new ArrayList<>();
        List<int[]> histories = new ArrayList<>();
        while (it.hasNext()) {
            SequenceColumns.UserSequence s = it.next();
            if (s.items().length >= 2) {
                users.add(s.user());
                histories.add(s.items());
            }
        }
        return new SequenceRows(index, users.toArray(new String[0]), histories.toArray(new int[0][]));
    }

    int size() {
        return users.length;
    }

    /** The user's key: the row key of (user, "") with which batches and random streams are chosen. */
    static long key(String user) {
        return PartitionRows.rowKey(user, "");
    }

    /** The users (positions here, ascending) of batch {@code batch} of epoch {@code epoch}. */
    synchronized int[] batch(long seed, int epoch, int batch, int numBatches) {
        if (batchesEpoch != epoch || batches == null || batches.length != numBatches) {
            batches = PartitionRows.split(keys, seed, epoch, numBatches);
            batchesEpoch = epoch;
        }
        return batches[batch];
    }

    /** User {@code u}'s input: the {@code maxLength} items before their last (fewer when the history is shorter). */
    int[] input(int u, int maxLength) {
        int[] h = histories[u];
        int start = Math.max(0, h.length - 1 - maxLength);
        return Arrays.copyOfRange(h, start, h.length - 1);
    }

    /** User {@code u}'s target at each step of {@link #input}: the item after it. */
    int[] targets(int u, int maxLength) {
        int[] h = histories[u];
        int start = Math.max(0, h.length - 1 - maxLength);
        return Arrays.copyOfRange(h, start + 1, h.length);
    }

    /** The distinct targets of {@code batch}'s users, ascending. */
    int[] distinctTargets(int[] batch, int maxLength, int numItems) {
        boolean[] seen = new boolean[numItems];
        int n = 0;
        for (int u : batch) {
            for (int t : targets(u, maxLength)) {
                if (!seen[t]) {
                    seen[t] = true;
                    n++;
                }
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < numItems; i++) {
            if (seen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
