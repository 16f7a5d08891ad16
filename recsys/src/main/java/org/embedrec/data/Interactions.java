package org.embedrec.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-item interactions stored by column: dense user and item ids (see {@link IdMapping}),
 * ratings, timestamps in seconds, and any extra input columns as strings. Row {@code i} is
 * {@code (user(i), item(i), rating(i), timestamp(i))}.
 *
 * <p>Ratings may be absent (implicit feedback): then {@link #hasRatings()} is false and every
 * rating reads as 1. Timestamps may be absent: then {@link #hasTimestamps()} is false and every
 * timestamp reads as 0. Immutable: subsets made by {@link #select(int[])} share the id mappings.
 */
public final class Interactions {
    private final IdMapping users;
    private final IdMapping items;
    private final int[] userIds;
    private final int[] itemIds;
    private final float[] ratings;
    private final long[] timestamps;
    private final boolean hasRatings;
    private final boolean hasTimestamps;
    private final Map<String, String[]> extras;

    private Interactions(IdMapping users, IdMapping items, int[] userIds, int[] itemIds, float[] ratings,
            long[] timestamps, boolean hasRatings, boolean hasTimestamps, Map<String, String[]> extras) {
        this.users = users;
        this.items = items;
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.hasRatings = hasRatings;
        this.hasTimestamps = hasTimestamps;
        this.extras = extras;
    }

    /**
     * The rating written in {@code text}, or NaN if it is not a finite number: how every reader
     * parses a rating field. Single digits skip the general parser.
     */
    public static float parseRating(String text) {
        if (text.length() == 1) {
            char c = text.charAt(0);
            return c >= '0' && c <= '9' ? c - '0' : Float.NaN;
        }
        try {
            float r = Float.parseFloat(text.trim());
            return Float.isFinite(r) ? r : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** A builder of rows of dense ids; the id mappings are given at {@link Builder#build}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Interactions over the given columns (row-aligned, all with ratings and timestamps), which are
     * kept, not copied: the caller hands them over. Every dense id is checked against its mapping.
     */
    public static Interactions ofColumns(IdMapping users, IdMapping items, int[] userIds, int[] itemIds,
            float[] ratings, long[] timestamps) {
        int n = userIds.length;
        if (itemIds.length != n || ratings.length != n || timestamps.length != n) {
            throw new IllegalArgumentException("columns of unequal lengths: " + n + " users, " + itemIds.length
                    + " items, " + ratings.length + " ratings, " + timestamps.length + " timestamps");
        }
        int numUsers = users.size();
        int numItems = items.size();
        for (int k = 0; k < n; k++) {
            if (userIds[k] < 0 || userIds[k] >= numUsers) {
                throw new IllegalArgumentException("row " + k + ": user " + userIds[k] + " outside [0, " + numUsers + ")");
            }
            if (itemIds[k] < 0 || itemIds[k] >= numItems) {
                throw new IllegalArgumentException("row " + k + ": item " + itemIds[k] + " outside [0, " + numItems + ")");
            }
        }
        return new Interactions(users, items, userIds, itemIds, ratings, timestamps, true, true, Map.of());
    }

    public int size() {
        return userIds.length;
    }

    public IdMapping users() {
        return users;
    }

    public IdMapping items() {
        return items;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    public int user(int row) {
        return userIds[row];
    }

    public int item(int row) {
        return itemIds[row];
    }

    public float rating(int row) {
        return ratings[row];
    }

    public long timestamp(int row) {
        return timestamps[row];
    }

    public boolean hasRatings() {
        return hasRatings;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** A copy of the dense user id column. */
    public int[] userIds() {
        return userIds.clone();
    }

    /** A copy of the dense item id column. */
    public int[] itemIds() {
        return itemIds.clone();
    }

    /** A copy of the rating column. */
    public float[] ratings() {
        return ratings.clone();
    }

    /** A copy of the timestamp column (seconds). */
    public long[] timestamps() {
        return timestamps.clone();
    }

    /** Names of the extra string columns kept from the input, in input order. */
    public List<String> extraColumnNames() {
        return List.copyOf(extras.keySet());
    }

    /** One extra column as a read-only list, row-aligned with the interactions. */
    public List<String> extraColumn(String name) {
        String[] column = extras.get(name);
        if (column == null) {
            throw new IllegalArgumentException("no extra column '" + name + "'; have " + extras.keySet());
        }
        return Collections.unmodifiableList(Arrays.asList(column));
    }

    /** The rows at {@code rows}, in that order, sharing this table's id mappings. */
    public Interactions select(int[] rows) {
        int n = rows.length;
        int[] u = new int[n];
        int[] it = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            int row = rows[k];
            if (row < 0 || row >= userIds.length) {
                throw new IndexOutOfBoundsException("row " + row + " outside [0, " + userIds.length + ")");
            }
            u[k] = userIds[row];
            it[k] = itemIds[row];
            r[k] = ratings[row];
            t[k] = timestamps[row];
        }
        Map<String, String[]> ex = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : extras.entrySet()) {
            String[] src = e.getValue();
            String[] dst = new String[n];
            for (int k = 0; k < n; k++) {
                dst[k] = src[rows[k]];
            }
            ex.put(e.getKey(), dst);
        }
        return new Interactions(users, items, u, it, r, t, hasRatings, hasTimestamps, ex);
    }

    /** Number of interactions of each dense user. */
    public int[] countsPerUser() {
        int[] counts = new int[users.size()];
        for (int u : userIds) {
            counts[u]++;
        }
        return counts;
    }

    /** Number of interactions of each dense item. */
    public int[] countsPerItem() {
        int[] counts = new int[items.size()];
        for (int i : itemIds) {
            counts[i]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Interactions[size=" + size() + ", users=" + users.size() + ", items=" + items.size()
                + ", ratings=" + hasRatings + ", timestamps=" + hasTimestamps + "]";
    }

    /** Appends rows of dense ids; grows its columns geometrically. */
    public static final class Builder {
        private int[] u = new int[1024];
        private int[] it = new int[1024];
        private float[] r = new float[1024];
        private long[] t = new long[1024];
        private String[][] ex = new String[0][];
        private List<String> extraNames = List.of();
        private int size;
        private boolean hasRatings = true;
        private boolean hasTimestamps = true;

        private Builder() {
        }

        /** Declares the extra string columns each row carries (before the first row). */
        public Builder extraColumns(List<String> names) {
            if (size > 0) {
                throw new IllegalStateException("declare extra columns before adding rows");
            }
            if (new HashSet<>(names).size() != names.size()) {
                throw new IllegalArgumentException("duplicate extra column names " + names);
            }
            extraNames = List.copyOf(names);
            ex = new String[names.size()][1024];
            return this;
        }

        public Builder hasRatings(boolean value) {
            hasRatings = value;
            return this;
        }

        public Builder hasTimestamps(boolean value) {
            hasTimestamps = value;
            return this;
        }

        public Builder add(int user, int item, float rating, long timestamp) {
            if (ex.length > 0) {
                throw new IllegalStateException("rows need values for extra columns " + extraNames);
            }
            return add(user, item, rating, timestamp, null);
        }

        /** Adds a row; {@code extraValues} holds one value per declared extra column (or null if none). */
        public Builder add(int user, int item, float rating, long timestamp, String[] extraValues) {
            if (user < 0 || item < 0) {
                throw new IllegalArgumentException("dense ids must be non-negative, got user " + user + ", item " + item);
            }
            if (size == u.length) {
                grow();
            }
            u[size] = user;
            it[size] = item;
            r[size] = rating;
            t[size] = timestamp;
            for (int c = 0; c < ex.length; c++) {
                ex[c][size] = extraValues[c];
            }
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        private void grow() {
            int cap = u.length * 2;
            u = Arrays.copyOf(u, cap);
            it = Arrays.copyOf(it, cap);
            r = Arrays.copyOf(r, cap);
            t = Arrays.copyOf(t, cap);
            for (int c = 0; c < ex.length; c++) {
                ex[c] = Arrays.copyOf(ex[c], cap);
            }
        }

        /** The table, checking every dense id against its mapping. */
        public Interactions build(IdMapping users, IdMapping items) {
            for (int k = 0; k < size; k++) {
                if (u[k] >= users.size()) {
                    throw new IllegalArgumentException("row " + k + ": user " + u[k] + " outside [0, " + users.size() + ")");
                }
                if (it[k] >= items.size()) {
                    throw new IllegalArgumentException("row " + k + ": item " + it[k] + " outside [0, " + items.size() + ")");
                }
            }
            Map<String, String[]> extras = new LinkedHashMap<>();
            for (int c = 0; c < ex.length; c++) {
                extras.put(extraNames.get(c), Arrays.copyOf(ex[c], size));
            }
            float[] ratings = Arrays.copyOf(r, size);
            if (!hasRatings) {
                Arrays.fill(ratings, 1f);
            }
            long[] timestamps = Arrays.copyOf(t, size);
            if (!hasTimestamps) {
                Arrays.fill(timestamps, 0L);
            }
            return new Interactions(users, items, Arrays.copyOf(u, size), Arrays.copyOf(it, size), ratings,
                    timestamps, hasRatings, hasTimestamps, extras);
        }
    }
}
