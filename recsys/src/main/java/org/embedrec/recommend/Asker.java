package org.embedrec.recommend;

import java.util.List;
import java.util.Map;

/**
 * A query's asker resolved against the model: the known user's history row (or -1), the raw id,
 * the features given (by column) and the time the model is asked at. {@code defaults} is true
 * when nothing but a known user was given, so that the user's stored embedding answers.
 * {@code history} is the catalogue rows of the query's history (oldest first, unknown ids left
 * out, for a next-item model), {@code unknownHistory} the ids left out.
 */
record Asker(int userRow, String userId, Map<String, String> columns, long time, boolean defaults, int[] history,
             List<String> unknownHistory) {
    private static final int[] NONE = new int[0];

    /** An asker without a history (the models that read none). */
    Asker(int userRow, String userId, Map<String, String> columns, long time, boolean defaults) {
        this(userRow, userId, columns, time, defaults, NONE, List.of());
    }
}
