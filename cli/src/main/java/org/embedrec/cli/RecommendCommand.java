package org.embedrec.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.TwoTowerRecommender.IndexKind;
import org.embedrec.recommend.TwoTowerRecommender.Recommendation;
import org.embedrec.recommend.UserHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedrec recommend}: the top K items for a user, or the items nearest to an item, from
 * a two-tower model saved by {@code train --model two-tower --save}. Reads only the model
 * directory: the catalogue, its embeddings and the users' training history are saved with it.
 *
 * <p>A user the model has no trained embedding for (no training interaction) is an error, not
 * a silent fall-back to the never-trained out-of-vocabulary embedding.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend items to a user, or list the items nearest to an item, with a saved two-tower model.")
final class RecommendCommand implements Callable<Integer> {
    /** Timestamps below this (2100-01-01) are shown as dates too; larger ones are probably not in seconds. */
    private static final long LAST_PLAUSIBLE_SECOND = 4_102_444_800L;

    @Option(names = "--model-dir", paramLabel = "DIR", required = true,
            description = "A directory written by train --model two-tower --save.")
    Path modelDir;

    @Option(names = "--user", paramLabel = "ID", description = "Recommend to this user (the id in the training data).")
    String user;

    @Option(names = "--similar-to", paramLabel = "ITEM",
            description = "List the items nearest to this one (its id, or a title only one item has), "
                    + "by the cosine of their candidate embeddings.")
    String similarTo;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--exclude-seen", description = "Leave out the items the user interacted with in training.")
    boolean excludeSeen;

    @Option(names = "--at", paramLabel = "TIME",
            description = "The time of the query: seconds since 1970, a date (1998-04-01) or an instant "
                    + "(1998-04-01T12:00:00Z). Default: the user's latest training interaction.")
    String at;

    @Option(names = "--index", paramLabel = "brute|hnsw", defaultValue = "brute",
            description = "Exact search over every item (brute, default) or an approximate HNSW graph (hnsw).")
    String index;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        IndexKind kind = switch (index) {
            case "brute" -> IndexKind.BRUTE_FORCE;
            case "hnsw" -> IndexKind.HNSW;
            default -> throw new IllegalArgumentException("--index " + index + ": expected brute or hnsw");
        };
        if ((user == null) == (similarTo == null)) {
            throw new IllegalArgumentException(user == null
                    ? "give --user ID to recommend to a user, or --similar-to ITEM to list the items nearest to an item"
                    : "give either --user or --similar-to, not both");
        }
        if (similarTo != null && (excludeSeen || at != null)) {
            throw new IllegalArgumentException((excludeSeen ? "--exclude-seen" : "--at") + " applies to --user, "
                    + "not to --similar-to");
        }
        Long time = at == null ? null : parseTime(at);
        TwoTowerModelFiles.Loaded loaded = TwoTowerModelFiles.load(modelDir);
        TwoTowerRecommender recommender = loaded.recommender().withIndex(kind);
        PrintStream out = System.out;
        if (user != null) {
            forUser(out, recommender, time);
        } else {
            similar(out, recommender);
        }
        return 0;
    }

    private void forUser(PrintStream out, TwoTowerRecommender recommender, Long time) {
        UserHistory history = recommender.history();
        List<Recommendation> found = time == null
                ? recommender.recommend(user, k, excludeSeen)
                : recommender.recommend(user, time, k, excludeSeen);
        int row = history.row(user);
        long when = time == null ? history.latestTimestamp(row) : time;
        out.printf(Locale.ROOT, "top %d for user %s at %s%s; %s%n", found.size(), user, describeTime(when),
                time == null ? ", the user's latest training interaction" : "",
                excludeSeen ? "the " + history.seenCount(row) + " items seen in training left out"
                        : "items seen in training marked (seen)");
        table(out, "score", found, r -> !excludeSeen && history.hasSeen(row, r.row()));
    }

    private void similar(PrintStream out, TwoTowerRecommender recommender) {
        int row = recommender.itemRow(similarTo);
        List<Recommendation> found = recommender.similarTo(row, k);
        out.printf(Locale.ROOT, "%d items nearest to item %s '%s' by the cosine of their candidate embeddings%n",
                found.size(), recommender.catalogue().itemId(row), recommender.catalogue().title(row));
        table(out, "cosine", found, r -> false);
    }

    private static void table(PrintStream out, String scoreName, List<Recommendation> found,
                              Predicate<Recommendation> seen) {
        int idWidth = "item".length();
        for (Recommendation r : found) {
            idWidth = Math.max(idWidth, r.itemId().length());
        }
        out.printf(Locale.ROOT, "%5s  %8s  %" + idWidth + "s  %s%n", "rank", scoreName, "item", "title");
        for (int i = 0; i < found.size(); i++) {
            Recommendation r = found.get(i);
            out.printf(Locale.ROOT, "%5d  %8.4f  %" + idWidth + "s  %s%s%n", i + 1, r.score(), r.itemId(), r.title(),
                    seen.test(r) ? "  (seen)" : "");
        }
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
