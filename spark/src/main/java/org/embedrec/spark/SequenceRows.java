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
 * item. In epoch {@code e} the users are ordered by a hash of the seed, the epoch and their key
 * and cut into batches of {@code batchSize} ({@link #batch}), so which users meet in a batch
 * depends on the data alone, never on how it is partitioned.
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

    /**
     * The users (positions here, ascending) of batch {@code batch} of epoch {@code epoch}, batches
     * of exactly {@code batchSize} users but the last, as single-process training cuts them:
     * all users' keys {@code everyone} (over every partition) are ordered by their hash with the
     * seed and epoch, and a user's batch is its place in that order divided by {@code batchSize}.
     * No batch depends on the partitioning.
     */
    synchronized int[] batch(long[] everyone, long seed, int epoch, int batch, int batchSize) {
        if (batchesEpoch != epoch || batches == null) {
            batches = cut(keys, everyone, seed, epoch, batchSize);
            batchesEpoch = epoch;
        }
        return batches[batch];
    }

    /**
     * Positions of {@code mine} by batch: each key's rank among {@code everyone}'s epoch hashes,
     * divided by {@code batchSize}. Two users of one 64-bit hash (a chance of about n^2 / 2^65)
     * share a rank, which only moves a user between neighbouring batches.
     */
    static int[][] cut(long[] mine, long[] everyone, long seed, int epoch, int batchSize) {
        long[] sorted = new long[everyone.length];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = PartitionRows.epochHash(seed, epoch, everyone[k]);
        }
        Arrays.sort(sorted);
        int[] of = new int[mine.length];
        for (int u = 0; u < mine.length; u++) {
            int rank = Arrays.binarySearch(sorted, PartitionRows.epochHash(seed, epoch, mine[u]));
            if (rank < 0) {
                throw new IllegalStateException("user key " + mine[u] + " is not among the fit's users");
            }
            of[u] = rank / batchSize;
        }
        return PartitionRows.group(of, numBatches(everyone.length, batchSize));
    }

    /** Batches an epoch of {@code users} users takes: at least one. */
    static int numBatches(long users, int batchSize) {
        return (int) Math.max(1, (users + batchSize - 1) / batchSize);
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
