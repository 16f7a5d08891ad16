package org.embedrec.models.sequential;

import org.embedrec.data.UserSequences;

/**
 * Held-out next items to rank: for each user, the history before it (oldest first) and the item
 * itself. The items of the history are the ones excluded from that user's ranking.
 */
public record NextItemQueries(int[] users, int[][] histories, int[] targets) {

    public NextItemQueries {
        if (users.length != histories.length || users.length != targets.length) {
            throw new IllegalArgumentException("next-item queries: " + users.length + " users, " + histories.length
                    + " histories and " + targets.length + " targets; expected as many of each");
        }
    }

    public int size() {
        return users.length;
    }

    /**
     * The queries of every user whose sequence in {@code after} is one item longer than in
     * {@code before}: the history is the {@code before} sequence and the target the extra item.
     */
    static NextItemQueries between(UserSequences before, UserSequences after) {
        int n = 0;
        for (int u = 0; u < after.numUsers(); u++) {
            if (after.length(u) == before.length(u) + 1 && before.length(u) > 0) {
                n++;
            }
        }
        int[] users = new int[n];
        int[][] histories = new int[n][];
        int[] targets = new int[n];
        int k = 0;
        for (int u = 0; u < after.numUsers(); u++) {
            if (after.length(u) == before.length(u) + 1 && before.length(u) > 0) {
                users[k] = u;
                histories[k] = before.items(u);
                targets[k] = after.item(u, after.length(u) - 1);
                k++;
            }
        }
        return new NextItemQueries(users, histories, targets);
    }
}
