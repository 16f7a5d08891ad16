package org.embedrec.recommend;

import java.util.Arrays;
import org.embedrec.data.Interactions;

/**
 * Each known user's latest training items, newest first, at most {@value #PER_USER} distinct
 * ones: what a page shows beside their recommendations. Compressed sparse rows as in
 * {@link UserHistory}: user {@code u}'s items are {@code items[offsets[u] .. offsets[u + 1])}.
 */
final class RecentItems {
    static final int PER_USER = 20;

    private final int[] offsets;
    private final int[] items;

    RecentItems(int[] offsets, int[] items) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length) {
            throw new IllegalArgumentException("recent items: offsets run from "
                    + (offsets.length == 0 ? "nothing" : offsets[0] + " to " + offsets[offsets.length - 1])
                    + "; expected 0 to " + items.length);
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("recent items: offsets[" + (u + 1) + "] < offsets[" + u + "]");
            }
        }
        this.offsets = offsets;
        this.items = items;
    }

    /** The recent items of the users of {@code history}, from their rows of {@code train} (ties in time: the later row first). */
    static RecentItems of(Interactions train, UserHistory history) {
        int users = history.size();
        int[] rowOfDenseUser = new int[train.numUsers()];
        for (int d = 0; d < rowOfDenseUser.length; d++) {
            rowOfDenseUser[d] = history.row(train.users().rawId(d));
        }
        // Rows of the training data, newest first: by timestamp descending, then row descending.
        Integer[] order = new Integer[train.size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> train.timestamp(a) != train.timestamp(b)
                ? Long.compare(train.timestamp(b), train.timestamp(a)) : Integer.compare(b, a));
        int[][] kept = new int[users][PER_USER];
        int[] counts = new int[users];
        for (int r : order) {
            int u = rowOfDenseUser[train.user(r)];
            if (u < 0 || counts[u] == PER_USER) {
                continue;
            }
            int item = train.item(r);
            boolean repeat = false;
            for (int k = 0; k < counts[u] && !repeat; k++) {
                repeat = kept[u][k] == item;
            }
            if (!repeat) {
                kept[u][counts[u]++] = item;
            }
        }
        int[] offsets = new int[users + 1];
        for (int u = 0; u < users; u++) {
            offsets[u + 1] = offsets[u] + counts[u];
        }
        int[] items = new int[offsets[users]];
        for (int u = 0; u < users; u++) {
            System.arraycopy(kept[u], 0, items, offsets[u], counts[u]);
        }
        return new RecentItems(offsets, items);
    }

    /** User {@code user}'s recent catalogue rows, newest first, in a new array. */
    int[] of(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    int[] offsets() {
        return offsets;
    }

    int[] items() {
        return items;
    }
}
