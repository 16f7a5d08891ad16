package org.embedrec.recommend;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;

/**
 * What each user did in training, as recommending needs it: the time of their latest training
 * interaction (the default time of their query) and the catalogue rows they interacted with.
 *
 * <p>The rows are held in compressed sparse row form: user {@code u}'s distinct rows are
 * {@code items[offsets[u] .. offsets[u + 1])}, ascending, so "has u seen item i" is a binary
 * search over u's own rows, with no allocation, which is what an index's exclusion predicate
 * asks once per candidate it considers. Only users with at least one training interaction are
 * present: exactly the users a two-tower model has a trained embedding for.
 */
public final class UserHistory {
    private final IdMapping users;
    private final long[] latestTimestamps;
    private final int[] offsets;
    private final int[] items;
    private final int catalogueSize;

    private UserHistory(IdMapping users, long[] latestTimestamps, int[] offsets, int[] items, int catalogueSize) {
        this.users = users;
        this.latestTimestamps = latestTimestamps;
        this.offsets = offsets;
        this.items = items;
        this.catalogueSize = catalogueSize;
    }

    /**
     * The history of the users of {@code train}, in dense user order; dense item {@code i} is
     * catalogue row {@code i}.
     */
    public static UserHistory of(Interactions train) {
        Objects.requireNonNull(train, "train");
        int numUsers = train.numUsers();
        int[] counts = train.countsPerUser();
        int[] rowOf = new int[numUsers];
        IdMapping.Builder present = new IdMapping.Builder();
        for (int u = 0; u < numUsers; u++) {
            rowOf[u] = counts[u] > 0 ? present.add(train.users().rawId(u)) : -1;
        }
        int n = present.size();
        int[] start = new int[n + 1];
        for (int u = 0; u < numUsers; u++) {
            if (rowOf[u] >= 0) {
                start[rowOf[u] + 1] = counts[u];
            }
        }
        for (int r = 0; r < n; r++) {
            start[r + 1] += start[r];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] all = new int[train.size()];
        long[] latest = new long[n];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int k = 0; k < train.size(); k++) {
            int r = rowOf[train.user(k)];
            all[fill[r]++] = train.item(k);
            latest[r] = Math.max(latest[r], train.timestamp(k));
        }
        // Sort each user's rows and drop repeats (a user may rate an item twice), compacting in place.
        int[] offsets = new int[n + 1];
        int kept = 0;
        for (int r = 0; r < n; r++) {
            Arrays.sort(all, start[r], start[r + 1]);
            for (int k = start[r]; k < start[r + 1]; k++) {
                if (k == start[r] || all[k] != all[k - 1]) {
                    all[kept++] = all[k];
                }
            }
            offsets[r + 1] = kept;
        }
        return new UserHistory(present.build(), latest, offsets, Arrays.copyOf(all, kept), train.numItems());
    }

    /**
     * A history from its columns, as {@link #offsets()} and {@link #items()} give them:
     * {@code latestTimestamps[u]} and {@code offsets[u]} per user of {@code userIds}, plus a final
     * offset; each user's rows ascending and distinct, within {@code [0, catalogueSize)}.
     *
     * @throws IllegalArgumentException naming the user and position when the columns disagree
     */
    public static UserHistory of(List<String> userIds, long[] latestTimestamps, int[] offsets, int[] items,
                                 int catalogueSize) {
        int n = userIds.size();
        if (latestTimestamps.length != n || offsets.length != n + 1) {
            throw new IllegalArgumentException("user history: " + n + " users, " + latestTimestamps.length
                    + " latest timestamps and " + offsets.length + " offsets; expected " + n + ", " + n + " and "
                    + (n + 1));
        }
        if (offsets[0] != 0 || offsets[n] != items.length) {
            throw new IllegalArgumentException("user history: offsets run from " + offsets[0] + " to " + offsets[n]
                    + "; expected 0 to " + items.length + " (the number of item rows)");
        }
        for (int u = 0; u < n; u++) {
            if (offsets[u + 1] < offsets[u] || offsets[u + 1] > items.length) {
                throw new IllegalArgumentException("user history: offsets[" + (u + 1) + "] = " + offsets[u + 1]
                        + " is outside [offsets[" + u + "], number of item rows] = [" + offsets[u] + ", "
                        + items.length + "]");
            }
            for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                if (items[k] < 0 || items[k] >= catalogueSize) {
                    throw new IllegalArgumentException("user history: item row " + items[k] + " at position " + k
                            + " (user '" + userIds.get(u) + "') is outside the catalogue [0, " + catalogueSize + ")");
                }
                if (k > offsets[u] && items[k] <= items[k - 1]) {
                    throw new IllegalArgumentException("user history: the rows of user '" + userIds.get(u)
                            + "' are not ascending and distinct at position " + k);
                }
            }
        }
        return new UserHistory(IdMapping.of(userIds), latestTimestamps.clone(), offsets.clone(), items.clone(),
                catalogueSize);
    }

    /** Number of users. */
    public int size() {
        return users.size();
    }

    /** The raw user ids, in row order. */
    public List<String> userIds() {
        return users.rawIds();
    }

    /** The row of a raw user id, or -1 when the user has no training interaction. */
    public int row(String userId) {
        return users.denseId(userId);
    }

    /** The raw id of user row {@code user}. */
    public String userId(int user) {
        return users.rawId(user);
    }

    /** The timestamp of user row {@code user}'s latest training interaction. */
    public long latestTimestamp(int user) {
        return latestTimestamps[user];
    }

    /** The number of distinct items user row {@code user} interacted with. */
    public int seenCount(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** Whether user row {@code user} interacted with catalogue row {@code item} in training. */
    public boolean hasSeen(int user, int item) {
        return Arrays.binarySearch(items, offsets[user], offsets[user + 1], item) >= 0;
    }

    /** The catalogue rows user row {@code user} interacted with, ascending, in a new array. */
    public int[] seen(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    /** The catalogue size the item rows index. */
    public int catalogueSize() {
        return catalogueSize;
    }

    /** Per user, its latest training timestamp, in a new array. */
    public long[] latestTimestamps() {
        return latestTimestamps.clone();
    }

    /** The start of each user's rows in {@link #items()}, plus the end, in a new array. */
    public int[] offsets() {
        return offsets.clone();
    }

    /** Every user's rows, user after user, in a new array. */
    public int[] items() {
        return items.clone();
    }

    @Override
    public String toString() {
        return "UserHistory[users=" + size() + ", items seen=" + items.length + ", catalogue=" + catalogueSize + "]";
    }
}
