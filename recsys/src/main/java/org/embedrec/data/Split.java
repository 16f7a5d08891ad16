package org.embedrec.data;

import java.util.Arrays;
import org.embedrec.engine.Rng;

/**
 * A train/test split of one {@link Interactions} table. Both parts share the id mappings of
 * the table they came from, so a dense id means the same user or item on both sides. Each part
 * keeps its rows in their original relative order.
 */
public record Split(Interactions train, Interactions test) {

    public Split {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test must not be null");
        }
        if (train.users() != test.users() || train.items() != test.items()) {
            throw new IllegalArgumentException("train and test must share their id mappings");
        }
    }

    /**
     * This split with its test part cut to the rows of {@code users} test users drawn by a
     * permutation from {@code seed} (all of them when there are no more), for a quick, sampled
     * evaluation; the train part is unchanged. Test rows keep their order.
     */
    public Split sampleTestUsers(int users, long seed) {
        if (users < 1) {
            throw new IllegalArgumentException("the sample of test users must be >= 1, got " + users);
        }
        int[] testUsers = Arrays.stream(test.userIds()).distinct().sorted().toArray();
        if (users >= testUsers.length) {
            return this;
        }
        int[] perm = new Rng(seed).permutation(testUsers.length);
        boolean[] chosen = new boolean[test.numUsers()];
        for (int k = 0; k < users; k++) {
            chosen[testUsers[perm[k]]] = true;
        }
        int[] rows = new int[test.size()];
        int n = 0;
        for (int row = 0; row < test.size(); row++) {
            if (chosen[test.user(row)]) {
                rows[n++] = row;
            }
        }
        return new Split(train, test.select(Arrays.copyOf(rows, n)));
    }

    /** The number of distinct users in the test part. */
    public int testUserCount() {
        return (int) Arrays.stream(test.userIds()).distinct().count();
    }

    /**
     * Each row goes to train with probability {@code trainRatio}: exactly
     * {@code round(trainRatio * size)} rows, chosen by a permutation from {@code seed}.
     */
    public static Split random(Interactions data, double trainRatio, long seed) {
        checkRatio(trainRatio);
        int n = data.size();
        int[] perm = new Rng(seed).permutation(n);
        return firstAndRest(data, perm, cut(trainRatio, n));
    }

    /**
     * Train is the rows {@code order[0..cut)}, test the rest, each kept in input order; {@code order}
     * is a permutation of the rows. One pass over a membership array gives the two sorted index
     * arrays that sorting both parts gave, without the sorts (a tenth of a 25M-row load).
     */
    private static Split firstAndRest(Interactions data, int[] order, int cut) {
        int n = order.length;
        boolean[] inTrain = new boolean[n];
        for (int i = 0; i < cut; i++) {
            inTrain[order[i]] = true;
        }
        int[] train = new int[cut];
        int[] test = new int[n - cut];
        int a = 0;
        int b = 0;
        for (int r = 0; r < n; r++) {
            if (inTrain[r]) {
                train[a++] = r;
            } else {
                test[b++] = r;
            }
        }
        return new Split(data.select(train), data.select(test));
    }

    /**
     * The earliest {@code round(trainRatio * size)} rows by timestamp go to train, the rest to
     * test; rows with equal timestamps are ordered by their position in the input, so the cut is
     * deterministic. Every train timestamp is at most every test timestamp.
     */
    public static Split temporal(Interactions data, double trainRatio) {
        checkRatio(trainRatio);
        requireTimestamps(data, "a temporal split");
        int n = data.size();
        return firstAndRest(data, chronologicalOrder(data), cut(trainRatio, n));
    }

    /**
     * Each user's latest interaction goes to test (on equal timestamps, the later in the input;
     * without timestamps, the last in the input); a user with a single interaction stays wholly
     * in train, so test users are always known from training.
     */
    public static Split leaveLastOut(Interactions data) {
        int n = data.size();
        int[] last = new int[data.numUsers()];
        int[] count = new int[data.numUsers()];
        Arrays.fill(last, -1);
        for (int i = 0; i < n; i++) {
            int u = data.user(i);
            count[u]++;
            if (last[u] < 0 || data.timestamp(i) >= data.timestamp(last[u])) {
                last[u] = i;
            }
        }
        boolean[] toTest = new boolean[n];
        int testSize = 0;
        for (int u = 0; u < last.length; u++) {
            if (count[u] >= 2) {
                toTest[last[u]] = true;
                testSize++;
            }
        }
        int[] train = new int[n - testSize];
        int[] test = new int[testSize];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (toTest[i]) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new Split(data.select(train), data.select(test));
    }

    /** Row indices sorted by timestamp, ties in input order (a stable merge sort on ints). */
    static int[] chronologicalOrder(Interactions data) {
        int n = data.size();
        long[] ts = new long[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            ts[i] = data.timestamp(i);
            idx[i] = i;
        }
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // <= keeps equal timestamps in input order: that is the stability.
                    tmp[k++] = ts[idx[i]] <= ts[idx[j]] ? idx[i++] : idx[j++];
                }
                while (i < mid) {
                    tmp[k++] = idx[i++];
                }
                while (j < hi) {
                    tmp[k++] = idx[j++];
                }
                System.arraycopy(tmp, lo, idx, lo, hi - lo);
            }
        }
        return idx;
    }

    private static int cut(double ratio, int n) {
        return (int) Math.round(ratio * n);
    }

    private static void checkRatio(double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("train ratio must be in (0, 1), got " + ratio);
        }
    }

    private static void requireTimestamps(Interactions data, String what) {
        if (!data.hasTimestamps()) {
            throw new IllegalArgumentException(what + " needs timestamps, and these interactions have none");
        }
    }
}
