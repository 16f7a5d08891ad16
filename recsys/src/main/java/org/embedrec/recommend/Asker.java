package org.embedrec.recommend;

import java.util.Map;

/**
 * A query's asker resolved against the model: the known user's history row (or -1), the raw id,
 * the features given (by column) and the time the model is asked at. {@code defaults} is true
 * when nothing but a known user was given, so that the user's stored embedding answers.
 */
record Asker(int userRow, String userId, Map<String, String> columns, long time, boolean defaults) {}
