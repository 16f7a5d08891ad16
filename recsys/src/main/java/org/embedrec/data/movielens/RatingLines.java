package org.embedrec.data.movielens;

import java.io.IOException;
import java.nio.file.Path;
import org.embedrec.data.IdResolver;
import org.embedrec.data.Interactions;
import org.embedrec.data.LineProblems;
import org.embedrec.data.ReadProgress;

/**
 * Reads the MovieLens rating files of the form {@code user SEP item SEP rating SEP timestamp}
 * ({@code u.data}, {@code u1.base}, {@code ratings.dat}) into an {@link Interactions.Builder}.
 */
final class RatingLines {
    private final FieldLines lines;

    RatingLines(FieldLines lines) {
        this.lines = lines;
    }

    void read(Path file, LineProblems problems, IdResolver users, IdResolver items, Interactions.Builder out,
            ReadProgress progress) throws IOException {
        lines.read(file, 4, "user, item, rating, timestamp", problems, progress, f -> addRow(f, users, items, out));
    }

    /** Adds one row, or returns what is wrong with it. */
    private static String addRow(String[] f, IdResolver users, IdResolver items, Interactions.Builder out) {
        String userRaw = f[0].trim();
        String itemRaw = f[1].trim();
        if (userRaw.isEmpty() || itemRaw.isEmpty()) {
            return "expected non-empty user and item ids (fields 1 and 2)";
        }
        float rating = Interactions.parseRating(f[2]);
        if (Float.isNaN(rating)) {
            return "expected a number for the rating (field 3), got '" + f[2] + "'";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(f[3].trim());
        } catch (NumberFormatException e) {
            return "expected an integer number of seconds for the timestamp (field 4), got '" + f[3] + "'";
        }
        // Check both ids before resolving either, so a skipped line adds no id to an open vocabulary.
        if (!users.knows(userRaw)) {
            return "unknown user id '" + userRaw + "' (not in " + users.table() + ")";
        }
        if (!items.knows(itemRaw)) {
            return "unknown item id '" + itemRaw + "' (not in " + items.table() + ")";
        }
        out.add(users.resolve(userRaw), items.resolve(itemRaw), rating, timestamp);
        return null;
    }
}
