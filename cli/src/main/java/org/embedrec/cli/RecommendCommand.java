package org.embedrec.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.embedrec.recommend.Catalogue;
import org.embedrec.recommend.IndexSettings;
import org.embedrec.recommend.ItemFilter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedrec recommend}: the top K items for a user or a row of features, the items nearest
 * to an item, or the scores of given items, from a saved model directory (a spec model, the
 * two-tower preset, a rating preset, which only ranks and scores its known users, or a next-item
 * model, which also reads a --history of items). Reads only
 * the model directory and answers through {@link Recommender}, adding nothing to its logic but
 * parsing and printing.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend items to a user or a row of features, list the items nearest to an item, or "
                + "score items, with a saved model.")
final class RecommendCommand implements Callable<Integer> {
    /** Timestamps below this (2100-01-01) are shown as dates too; larger ones are probably not in seconds. */
    private static final long LAST_PLAUSIBLE_SECOND = 4_102_444_800L;

    @Option(names = "--model-dir", paramLabel = "DIR", required = true,
            description = "A directory written by train --save (--spec, --model two-tower, a rating model, or "
                    + "gru4rec, sasrec, pop).")
    Path modelDir;

    @Option(names = "--user", paramLabel = "ID",
            description = "Recommend to this user. A user the model was not trained on is answered from --feature "
                    + "values, or else by popularity.")
    String user;

    @Option(names = "--feature", paramLabel = "COLUMN=VALUE",
            description = "A query feature's raw value (repeatable), by its data column: a new user's features, or "
                    + "one in place of a known user's latest.")
    Map<String, String> features = new LinkedHashMap<>();

    @Option(names = "--history", paramLabel = "ITEM,...", split = ",",
            description = "Next-item models (gru4rec, sasrec, pop): the items the user interacted with, oldest "
                    + "first; a known user's saved history is extended by them, anyone else is answered from them "
                    + "alone. Ids the model does not know are skipped and listed.")
    List<String> history;

    @Option(names = "--similar-to", paramLabel = "ITEM",
            description = "List the items nearest to this one (its id, or a title only one item has), "
                    + "by the cosine of their candidate embeddings.")
    String similarTo;

    @Option(names = "--score", paramLabel = "ITEM,...", split = ",",
            description = "Print the model's scores of these items for the user or features, in this order.")
    List<String> score;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--exclude-seen",
            description = "Leave out the items the user interacted with in training (and those of --history).")
    boolean excludeSeen;

    @Option(names = "--exclude", paramLabel = "ITEM,...", split = ",", description = "Leave out these items.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--only", paramLabel = "ITEM,...", split = ",",
            description = "Rank only these items (an allow-list).")
    List<String> only;

    @Option(names = "--where", paramLabel = "ATTRIBUTE=VALUE",
            description = "Only items whose attribute has this value (repeatable; all must hold).")
    Map<String, String> where = new LinkedHashMap<>();

    @Option(names = "--at", paramLabel = "TIME",
            description = "The time of the query: seconds since 1970, a date (1998-04-01) or an instant "
                    + "(1998-04-01T12:00:00Z). Default: a known user's latest training interaction, else the latest "
                    + "in training.")
    String at;

    @Option(names = "--index", paramLabel = "brute|hnsw",
            description = "Exact search over every item (brute) or an approximate HNSW graph (hnsw); default: as "
                    + "saved with the model.")
    String index;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        IndexSettings settings = index == null ? null : switch (index) {
            case "brute", "exact" -> IndexSettings.EXACT;
            case "hnsw" -> IndexSettings.HNSW;
            default -> throw new IllegalArgumentException("--index " + index + ": expected brute or hnsw");
        };
        boolean asker = user != null || !features.isEmpty() || history != null;
        if (asker == (similarTo != null)) {
            throw new IllegalArgumentException(!asker
                    ? "give --user ID (or --feature COLUMN=VALUE, or --history ITEM,...) to recommend to a user, or "
                            + "--similar-to ITEM to list the items nearest to an item"
                    : "give either --user or --similar-to, not both");
        }
        if (similarTo != null && (excludeSeen || at != null || score != null)) {
            throw new IllegalArgumentException((excludeSeen ? "--exclude-seen" : at != null ? "--at" : "--score")
                    + " applies to --user, not to --similar-to");
        }
        Long time = at == null ? null : parseTime(at);
        Recommender recommender = settings == null ? Recommender.load(modelDir) : Recommender.load(modelDir, settings);
        PrintStream out = System.out;
        if (similarTo != null) {
            similar(out, recommender);
        } else if (score != null) {
            scores(out, recommender, query(time));
        } else {
            recommend(out, recommender, query(time));
        }
        return 0;
    }

    private Query query(Long time) {
        Query.Builder q = Query.builder().user(user).features(features).k(Math.min(k, Query.MAX_K))
                .excludeSeen(excludeSeen).exclude(exclude);
        if (history != null) {
            q.history(history);
        }
        ItemFilter filter = only == null ? ItemFilter.NONE : ItemFilter.allowOnly(only);
        for (Map.Entry<String, String> e : where.entrySet()) {
            filter = filter.and(e.getKey(), e.getValue());
        }
        if (time != null) {
            q.at(time);
        }
        return q.filter(filter).build();
    }

    private void recommend(PrintStream out, Recommender recommender, Query query) {
        Recommendations r = recommender.recommend(query);
        String who = user != null ? "user " + user : "a new user";
        String given = features.isEmpty() ? "" : " with " + describe(features);
        switch (r.source()) {
            case USER -> out.printf(Locale.ROOT, "top %d for user %s%s%s; %s%n", r.items().size(), user, given,
                    r.time().isPresent() ? " at " + describeTime(r.time().getAsLong())
                            + (at == null ? ", the user's latest training interaction" : "") : "",
                    excludeSeen ? "the items seen in training left out" : "items seen in training marked (seen)");
            case FEATURES -> out.printf(Locale.ROOT, "top %d for %s%s%s, from these features by the query tower "
                            + "(not a user the model was trained on)%n", r.items().size(), who, given,
                    r.time().isPresent() ? " at " + describeTime(r.time().getAsLong()) : "");
            case HISTORY -> out.printf(Locale.ROOT, "top %d after the %d items of --history, by the next-item model "
                            + "(not a user the model was trained on); %s%n", r.items().size(),
                    history.size() - r.unknownHistory().size(),
                    excludeSeen ? "those items left out" : "those items marked (seen)");
            case POPULARITY -> out.printf(Locale.ROOT, "top %d by popularity (the most interacted-with items in "
                            + "training): %s is not one the model was trained on, and no %s given%n",
                    r.items().size(), who, history != null ? "item of --history it knows was" : "features were");
            default -> throw new IllegalStateException("a recommendation's source " + r.source());
        }
        if (!r.unknownHistory().isEmpty()) {
            out.printf(Locale.ROOT, "skipped %d --history items the model does not know: %s%n",
                    r.unknownHistory().size(), String.join(", ", r.unknownHistory()));
        }
        ItemTable.print(out, r.source() == Recommendations.Source.POPULARITY ? "share" : "score", r.items());
    }

    private void similar(PrintStream out, Recommender recommender) {
        Catalogue catalogue = recommender.catalogue();
        int row = ItemTable.row(catalogue, similarTo);
        Recommendations r = recommender.similar(catalogue.itemId(row), Math.min(k, Query.MAX_K));
        String title = catalogue.title(row);
        out.printf(Locale.ROOT, "%d items nearest to item %s%s by the cosine of their candidate embeddings%n",
                r.items().size(), catalogue.itemId(row), title == null ? "" : " '" + title + "'");
        ItemTable.print(out, "cosine", r.items());
    }

    private void scores(PrintStream out, Recommender recommender, Query query) {
        Scores s = recommender.score(query, score);
        out.printf(Locale.ROOT, "%s of %d items for %s%s%s%n", switch (s.kind()) {
            case RATING -> "predicted ratings";
            case PROBABILITY -> "predicted probabilities";
            case INNER_PRODUCT -> "retrieval scores (query . candidate)";
            case POPULARITY -> "popularity shares (not a user the model was trained on, and no features)";
        }, s.items().size(), user != null ? "user " + user : "a new user",
                features.isEmpty() ? "" : " with " + describe(features),
                s.clippedTo() != null ? ", clipped to the training ratings' range " + s.clippedTo()
                        : s.kind() == Scores.Kind.RATING ? " (unclipped: the model was saved without its training "
                        + "ratings' range)" : "");
        for (Scores.ItemScore i : s.items()) {
            out.printf(Locale.ROOT, "%10.4f  %s%n", i.score(), i.itemId());
        }
    }

    private static String describe(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((c, v) -> parts.add(c + "=" + v));
        return String.join(", ", parts);
    }

    /** Seconds since 1970, or an ISO-8601 date (midnight UTC) or instant. */
    static long parseTime(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notSeconds) {
            // try the ISO forms
        }
        try {
            return Instant.parse(text.trim()).getEpochSecond();
        } catch (DateTimeParseException notInstant) {
            // try a date
        }
        try {
            return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        } catch (DateTimeParseException notDate) {
            throw new IllegalArgumentException("--at " + text + ": expected seconds since 1970 (893286638), a date "
                    + "(1998-04-23) or an instant (1998-04-23T00:43:58Z)");
        }
    }

    private static String describeTime(long t) {
        return t >= 0 && t < LAST_PLAUSIBLE_SECOND ? t + " (" + Instant.ofEpochSecond(t) + ")" : Long.toString(t);
    }
}
