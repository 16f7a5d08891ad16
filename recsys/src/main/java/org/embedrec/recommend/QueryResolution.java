package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Query}'s asker checked against the model and resolved to what the model reads: the
 * known user's history row, each feature by the column it names, the time; and from that, what
 * the answer is based on ({@link #source}).
 */
final class QueryResolution {
    private QueryResolution() {}

    /**
     * The asker of {@code query}; {@code prefix} goes before field names in messages (the
     * query's position in a batch).
     *
     * @throws IllegalArgumentException naming a feature the query tower does not read
     */
    static Asker resolve(Query query, QueryModel model, UserHistory history, Catalogue catalogue, long defaultTime,
                         String prefix) {
        int user = query.userId() == null ? -1 : history.row(query.userId());
        Map<String, String> columns = query.features().isEmpty() ? Map.of() : new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query.features().entrySet()) {
            String name = e.getKey();
            String column = model.queryColumns().contains(name) ? name : model.columnOfFeature(name);
            if (column == null) {
                throw new IllegalArgumentException(prefix + "features['" + name + "']: " + unknown(name, model));
            }
            String earlier = columns.put(column, e.getValue());
            if (earlier != null && !earlier.equals(e.getValue())) {
                throw new IllegalArgumentException(prefix + "features['" + name + "']: '" + e.getValue()
                        + "', but another feature of column '" + column + "' was given '" + earlier + "'");
            }
        }
        long latest = user >= 0 ? history.latestTimestamp(user) : defaultTime;
        long time = query.time().orElse(latest);
        boolean defaults = user >= 0 && columns.isEmpty() && (time == latest || !model.readsTime());
        if (query.history().isEmpty()) {
            return new Asker(user, query.userId(), columns, time, defaults);
        }
        if (!model.readsHistory()) {
            throw new IllegalArgumentException(prefix + "history: the " + model.kind() + " model '" + model.name()
                    + "' reads no history; only the next-item models (gru4rec, sasrec, pop) do");
        }
        int[] rows = new int[query.history().size()];
        int n = 0;
        List<String> unknown = new ArrayList<>();
        for (String id : query.history()) {
            int row = catalogue.row(id);
            if (row >= 0) {
                rows[n++] = row;
            } else {
                unknown.add(id);
            }
        }
        return new Asker(user, query.userId(), columns, time, defaults && n == 0, Arrays.copyOf(rows, n), unknown);
    }

    private static String unknown(String name, QueryModel model) {
        if (name.equals(model.userColumn())) {
            return "the user id is the query's user, not a feature";
        }
        if (name.equals(model.timeColumn())) {
            return "the time is the query's time, not a feature";
        }
        List<String> known = model.queryColumns();
        return "the model's query tower reads no such feature; "
                + (known.isEmpty() ? "it reads only the user id" + (model.readsTime() ? " and the time" : "")
                : "it reads " + String.join(", ", known) + " (besides the user id and the time)");
    }

    /**
     * A known user is answered by the model, anyone else with a history or features from them, the
     * rest by popularity.
     */
    static Recommendations.Source source(Asker asker, QueryModel model) {
        if (asker.userRow() >= 0) {
            return Recommendations.Source.USER;
        }
        if (model.readsHistory()) {
            return asker.history().length > 0 ? Recommendations.Source.HISTORY : Recommendations.Source.POPULARITY;
        }
        return model.hasFeatures(asker) ? Recommendations.Source.FEATURES : Recommendations.Source.POPULARITY;
    }
}
