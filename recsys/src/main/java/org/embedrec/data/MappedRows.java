package org.embedrec.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Turns rows of string values into interactions under a resolved {@link ColumnMapping}; shared
 * by the CSV and JDBC readers so both validate and report the same way.
 */
final class MappedRows {
    private final ColumnMapping.Resolved columns;
    private final String source;
    private final String unit;
    private final LineProblems problems;
    private final IdResolver users;
    private final IdResolver items;
    private final Interactions.Builder out;
    private final int columnCount;
    private final String[] extraValues;

    MappedRows(ColumnMapping.Resolved columns, String source, String unit, LineProblems problems, IdResolver users,
            IdResolver items, Interactions.Builder out) {
        this.columns = columns;
        this.source = source;
        this.unit = unit;
        this.problems = problems;
        this.users = users;
        this.items = items;
        this.out = out;
        this.columnCount = columns.columnNames().size();
        this.extraValues = new String[columns.extraIndices().length];
        out.extraColumns(columns.extraNames());
        out.hasRatings(columns.rating() >= 0);
        out.hasTimestamps(columns.timestamp() >= 0);
    }

    /**
     * Adds one row, or reports it to the bad-line policy.
     * @param values the row's values by column index (nulls allowed for SQL NULL)
     * @param fieldCount how many fields the row has
     * @param text the row as text, for messages
     */
    void add(long position, String[] values, int fieldCount, String text) {
        if (fieldCount != columnCount) {
            report(position, "expected " + columnCount + " fields " + columns.columnNames() + ", got " + fieldCount,
                    text);
            return;
        }
        String userRaw = trimmed(values[columns.user()]);
        String itemRaw = trimmed(values[columns.item()]);
        if (userRaw.isEmpty()) {
            report(position, "expected a user id in column '" + columns.nameOf(columns.user()) + "'", text);
            return;
        }
        if (itemRaw.isEmpty()) {
            report(position, "expected an item id in column '" + columns.nameOf(columns.item()) + "'", text);
            return;
        }
        float rating = 1f;
        if (columns.rating() >= 0) {
            String r = trimmed(values[columns.rating()]);
            rating = r.isEmpty() ? Float.NaN : Interactions.parseRating(r);
            if (Float.isNaN(rating)) {
                report(position, "expected a number in column '" + columns.nameOf(columns.rating()) + "', got '" + r
                        + "'", text);
                return;
            }
        }
        long timestamp = 0;
        if (columns.timestamp() >= 0) {
            String t = trimmed(values[columns.timestamp()]);
            timestamp = parseTimestamp(t);
            if (timestamp == Long.MIN_VALUE) {
                report(position, "expected a timestamp (integer seconds or ISO-8601) in column '"
                        + columns.nameOf(columns.timestamp()) + "', got '" + t + "'", text);
                return;
            }
        }
        if (!users.knows(userRaw)) {
            report(position, "unknown user id '" + userRaw + "' (not in " + users.table() + ")", text);
            return;
        }
        if (!items.knows(itemRaw)) {
            report(position, "unknown item id '" + itemRaw + "' (not in " + items.table() + ")", text);
            return;
        }
        int[] extra = columns.extraIndices();
        for (int k = 0; k < extra.length; k++) {
            extraValues[k] = values[extra[k]];
        }
        out.add(users.resolve(userRaw), items.resolve(itemRaw), rating, timestamp, extraValues);
    }

    private void report(long position, String problem, String text) {
        problems.report(new DataFormatException(source, unit, position, problem, text));
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    /** Seconds since the epoch, or Long.MIN_VALUE if the text is no timestamp we know. */
    static long parseTimestamp(String t) {
        if (t.isEmpty()) {
            return Long.MIN_VALUE;
        }
        char first = t.charAt(0);
        boolean digits = true;
        for (int k = (first == '-' ? 1 : 0); k < t.length() && digits; k++) {
            digits = Character.isDigit(t.charAt(k));
        }
        if (digits && t.length() > (first == '-' ? 1 : 0)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        try {
            return Instant.parse(t).getEpochSecond();
        } catch (DateTimeParseException e) {
            // not an instant; try the local forms
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
