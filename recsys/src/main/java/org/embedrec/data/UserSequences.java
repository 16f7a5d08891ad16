package org.embedrec.data;

import java.util.Arrays;

/**
 * Each user's items in time order: the histories sequential recommenders read. Rows with equal
 * timestamps keep their input order, as {@link Split#leaveLastOut} breaks its ties, so the last
 * item of a user's sequence here is the one that split holds out. Users with no interaction have
 * an empty sequence. Immutable.
 */
public final class UserSequences {
    private final int numItems;
    private final int[][] items;

    private UserSequences(int numItems, int[][] items) {
        this.numItems = numItems;
        this.items = items;
    }

    /** The sequences of every user of {@code data}'s id mapping. */
    public static UserSequences of(Interactions data) {
        int[] order = Split.chronologicalOrder(data);
        int[] counts = data.countsPerUser();
        int[][] items = new int[data.numUsers()][];
        for (int u = 0; u < items.length; u++) {
            items[u] = new int[counts[u]];
        }
        int[] filled = new int[items.length];
        for (int row : order) {
            int u = data.user(row);
            items[u][filled[u]++] = data.item(row);
        }
        return new UserSequences(data.numItems(), items);
    }

    public int numUsers() {
        return items.length;
    }

    /** The size of the item catalogue (ids {@code 0 .. numItems - 1}). */
    public int numItems() {
        return numItems;
    }

    /** User {@code user}'s items, oldest first (a copy). */
    public int[] items(int user) {
        return items[user].clone();
    }

    /** The length of user {@code user}'s sequence. */
    public int length(int user) {
        return items[user].length;
    }

    /** Item {@code position} (0 the oldest) of user {@code user}'s sequence, without a copy. */
    public int item(int user, int position) {
        return items[user][position];
    }

    /** How often each item occurs over all sequences. */
    public int[] itemCounts() {
        int[] counts = new int[numItems];
        for (int[] seq : items) {
            for (int item : seq) {
                counts[item]++;
            }
        }
        return counts;
    }

    @Override
    public String toString() {
        long total = Arrays.stream(items).mapToLong(s -> s.length).sum();
        return "UserSequences[" + items.length + " users, " + numItems + " items, " + total + " interactions]";
    }
}
