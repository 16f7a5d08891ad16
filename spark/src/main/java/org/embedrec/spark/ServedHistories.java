package org.embedrec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.recommend.UserHistory;

/**
 * What a saved next-item model answers known users from, gathered from the histories Spark built:
 * per user their latest time, the distinct items they saw (excluded from their recommendations)
 * and their most recent {@code max_length} items (all the model reads), plus each item's
 * interactions. The driver receives these per-user summaries, not the rows: for a user with
 * repeated items or a history longer than max_length they are smaller than the rows, but they grow
 * with the distinct (user, item) pairs, as the saved model itself does.
 */
final class ServedHistories {
    private ServedHistories() {}

    /** One user's part of the saved model. */
    private record Summary(String user, long latest, int[] seen, int[] recent) implements Serializable {}

    /** Each item's interactions over all of {@code sequences}' histories. */
    static int[] itemCounts(JavaRDD<SequenceColumns.UserSequence> sequences, int numItems) {
        return sequences.treeAggregate(new int[numItems], (counts, s) -> {
            for (int item : s.items()) {
                counts[item]++;
            }
            return counts;
        }, (a, b) -> {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            return a;
        }, 2);
    }

    /**
     * The saved model's contents: every user of {@code sequences} in sorted order of their ids,
     * their recent items cut to {@code keep}; {@code counts} each item's interactions.
     */
    static SequentialModelFiles.Served collect(JavaRDD<SequenceColumns.UserSequence> sequences, List<String> catalogue,
                                               int keep, int[] counts) {
        List<Summary> summaries = new ArrayList<>(sequences.map(s -> {
            int[] items = s.items();
            int[] seen = Arrays.stream(items).distinct().sorted().toArray();
            int[] recent = items.length <= keep ? items : Arrays.copyOfRange(items, items.length - keep, items.length);
            return new Summary(s.user(), s.latest(), seen, recent);
        }).collect());
        summaries.sort(Comparator.comparing(Summary::user));
        int n = summaries.size();
        List<String> users = new ArrayList<>(n);
        long[] latest = new long[n];
        int[] offsets = new int[n + 1];
        int[][] recent = new int[n][];
        for (int u = 0; u < n; u++) {
            Summary s = summaries.get(u);
            users.add(s.user());
            latest[u] = s.latest();
            offsets[u + 1] = offsets[u] + s.seen().length;
            recent[u] = s.recent();
        }
        int[] seen = new int[offsets[n]];
        for (int u = 0; u < n; u++) {
            System.arraycopy(summaries.get(u).seen(), 0, seen, offsets[u], summaries.get(u).seen().length);
        }
        long rows = 0;
        long[] interactions = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            interactions[i] = counts[i];
            rows += counts[i];
        }
        UserHistory history = UserHistory.of(users, latest, offsets, seen, catalogue.size());
        return new SequentialModelFiles.Served("a Spark data frame", "none (every row trained)", null, rows,
                catalogue, null, interactions, history, recent);
    }
}
