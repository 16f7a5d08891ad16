package org.embedrec.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the MovieLens rating files of the form {@code user SEP item SEP rating SEP timestamp}
 * ({@code u.data}, {@code u1.base}, {@code ratings.dat}) into an {@link Interactions.Builder}.
 */
final class RatingLines {
    private final String separator;
    private final String separatorName;
    private final Charset charset;

    /**
     * @param separator "\t" or "::"
     * @param separatorName how messages name it: "tab-separated", "'::'-separated"
     */
    RatingLines(String separator, String separatorName, Charset charset) {
        this.separator = separator;
        this.separatorName = separatorName;
        this.charset = charset;
    }

    void read(Path file, LineProblems problems, IdResolver users, IdResolver items, Interactions.Builder out)
            throws IOException {
        String name = file.getFileName().toString();
        String[] f = new String[4];
        char sepChar = separator.length() == 1 ? separator.charAt(0) : 0;
        try (BufferedReader in = Files.newBufferedReader(file, charset)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (DelimitedLine.isBlank(line)) {
                    continue;
                }
                int n = sepChar != 0 ? DelimitedLine.split(line, sepChar, f) : DelimitedLine.split(line, separator, f);
                if (n != 4) {
                    problems.report(new DataFormatException(name, lineNo, "expected 4 " + separatorName
                            + " fields (user, item, rating, timestamp), got " + n, line));
                    continue;
                }
                DataFormatException bad = addRow(name, lineNo, line, f, users, items, out);
                if (bad != null) {
                    problems.report(bad);
                }
            }
        }
    }

    /** Adds one row, or returns what is wrong with it. */
    private static DataFormatException addRow(String name, long lineNo, String line, String[] f, IdResolver users,
            IdResolver items, Interactions.Builder out) {
        String userRaw = f[0].trim();
        String itemRaw = f[1].trim();
        if (userRaw.isEmpty() || itemRaw.isEmpty()) {
            return new DataFormatException(name, lineNo, "expected non-empty user and item ids (fields 1 and 2)", line);
        }
        float rating = parseRating(f[2]);
        if (Float.isNaN(rating)) {
            return new DataFormatException(name, lineNo, "expected a number for the rating (field 3), got '"
                    + f[2] + "'", line);
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(f[3].trim());
        } catch (NumberFormatException e) {
            return new DataFormatException(name, lineNo,
                    "expected an integer number of seconds for the timestamp (field 4), got '" + f[3] + "'", line);
        }
        // Check both ids before resolving either, so a skipped line adds no id to an open vocabulary.
        if (!users.knows(userRaw)) {
            return new DataFormatException(name, lineNo, "unknown user id '" + userRaw + "' (not in " + users.table()
                    + ")", line);
        }
        if (!items.knows(itemRaw)) {
            return new DataFormatException(name, lineNo, "unknown item id '" + itemRaw + "' (not in " + items.table()
                    + ")", line);
        }
        int user = users.resolve(userRaw);
        int item = items.resolve(itemRaw);
        out.add(user, item, rating, timestamp);
        return null;
    }

    /** The rating, or NaN if the text is not a finite number. Single digits skip the general parser. */
    static float parseRating(String text) {
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
}
