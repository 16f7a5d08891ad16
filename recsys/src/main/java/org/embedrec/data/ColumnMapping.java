package org.embedrec.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which columns of a table hold the user id, the item id, and optionally the rating and the
 * timestamp, each by header name or by 0-based index; whether a delimited file has a header
 * row, its delimiter and charset; and whether the remaining columns are kept as named string
 * columns of the {@link Interactions}. Used by {@link CsvRatingsReader} and {@link JdbcReader}
 * (which ignores header, delimiter and charset and matches names case-insensitively when there
 * is no exact match, since databases often upper-case unquoted names).
 *
 * <p>Timestamps may be integer seconds or ISO-8601 (an instant, a local date-time or a date,
 * the latter two taken as UTC). Without a rating column every rating is 1 (implicit feedback).
 */
public final class ColumnMapping {

    /** A column by name (index -1) or by 0-based index (name null). */
    public record Column(String name, int index) {
        public Column {
            if ((name == null) == (index < 0)) {
                throw new IllegalArgumentException("a column is given by a name or by an index >= 0, not both or neither");
            }
        }

        public static Column named(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("column name must not be blank");
            }
            return new Column(name, -1);
        }

        public static Column at(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("column index must be >= 0, got " + index);
            }
            return new Column(null, index);
        }

        @Override
        public String toString() {
            return name != null ? "'" + name + "'" : "#" + index;
        }
    }

    private final Column user;
    private final Column item;
    private final Column rating;
    private final Column timestamp;
    private final boolean header;
    private final char delimiter;
    private final Charset charset;
    private final boolean keepExtraColumns;

    private ColumnMapping(Builder b) {
        if (b.user == null || b.item == null) {
            throw new IllegalArgumentException("a column mapping needs a user column and an item column");
        }
        this.user = b.user;
        this.item = b.item;
        this.rating = b.rating;
        this.timestamp = b.timestamp;
        this.header = b.header;
        this.delimiter = b.delimiter;
        this.charset = b.charset;
        this.keepExtraColumns = b.keepExtraColumns;
        List<Column> mapped = mappedColumns();
        for (int i = 0; i < mapped.size(); i++) {
            for (int j = i + 1; j < mapped.size(); j++) {
                if (mapped.get(i).equals(mapped.get(j))) {
                    throw new IllegalArgumentException("column " + mapped.get(i) + " is mapped twice");
                }
            }
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The MovieLens CSV releases' ratings.csv: header userId,movieId,rating,timestamp. */
    public static ColumnMapping movieLensCsv() {
        return builder().user("userId").item("movieId").rating("rating").timestamp("timestamp").header(true)
                .delimiter(',').keepExtraColumns(false).build();
    }

    public Column user() {
        return user;
    }

    public Column item() {
        return item;
    }

    public Optional<Column> rating() {
        return Optional.ofNullable(rating);
    }

    public Optional<Column> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    public boolean header() {
        return header;
    }

    public char delimiter() {
        return delimiter;
    }

    public Charset charset() {
        return charset;
    }

    public boolean keepExtraColumns() {
        return keepExtraColumns;
    }

    private List<Column> mappedColumns() {
        List<Column> cols = new ArrayList<>(List.of(user, item));
        if (rating != null) {
            cols.add(rating);
        }
        if (timestamp != null) {
            cols.add(timestamp);
        }
        return cols;
    }

    /** Column positions resolved against one table; -1 for an unmapped rating or timestamp. */
    record Resolved(int user, int item, int rating, int timestamp, int[] extraIndices, List<String> extraNames,
            List<String> columnNames) {
        String nameOf(int index) {
            return columnNames.get(index);
        }
    }

    /**
     * Resolves the mapping against a table's column names (null when the file has no header)
     * and its column count.
     */
    Resolved resolve(List<String> names, int columnCount, String source) {
        List<String> columnNames = new ArrayList<>(columnCount);
        for (int k = 0; k < columnCount; k++) {
            columnNames.add(names != null ? names.get(k) : "column" + k);
        }
        int u = find(user, "user", names, columnCount, source);
        int i = find(item, "item", names, columnCount, source);
        int r = rating == null ? -1 : find(rating, "rating", names, columnCount, source);
        int t = timestamp == null ? -1 : find(timestamp, "timestamp", names, columnCount, source);
        if (u == i || (r >= 0 && (r == u || r == i)) || (t >= 0 && (t == u || t == i || t == r))) {
            throw new IllegalArgumentException(source + ": the mapping " + this + " uses one column for two roles");
        }
        List<Integer> extra = new ArrayList<>();
        List<String> extraNames = new ArrayList<>();
        if (keepExtraColumns) {
            for (int k = 0; k < columnCount; k++) {
                if (k != u && k != i && k != r && k != t) {
                    extra.add(k);
                    extraNames.add(columnNames.get(k));
                }
            }
        }
        int[] extraIdx = extra.stream().mapToInt(Integer::intValue).toArray();
        return new Resolved(u, i, r, t, extraIdx, extraNames, columnNames);
    }

    private static int find(Column c, String role, List<String> names, int columnCount, String source) {
        if (c.index() >= 0) {
            if (c.index() >= columnCount) {
                throw new IllegalArgumentException(source + ": the " + role + " column index " + c.index()
                        + " is out of range, the table has " + columnCount + " columns");
            }
            return c.index();
        }
        if (names == null) {
            throw new IllegalArgumentException(source + ": the " + role + " column is given by name " + c
                    + " but the table has no header; give an index or set header(true)");
        }
        int exact = names.indexOf(c.name());
        if (exact >= 0) {
            return exact;
        }
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k).equalsIgnoreCase(c.name())) {
                return k;
            }
        }
        throw new IllegalArgumentException(source + ": the " + role + " column " + c + " is not among the columns "
                + names);
    }

    @Override
    public String toString() {
        return "ColumnMapping[user=" + user + ", item=" + item + ", rating=" + rating + ", timestamp=" + timestamp
                + ", header=" + header + ", delimiter=" + DataFormatException.escape(String.valueOf(delimiter))
                + ", charset=" + charset + ", keepExtraColumns=" + keepExtraColumns + "]";
    }

    /** Defaults: header, comma, UTF-8, extra columns kept, no rating, no timestamp. */
    public static final class Builder {
        private Column user;
        private Column item;
        private Column rating;
        private Column timestamp;
        private boolean header = true;
        private char delimiter = ',';
        private Charset charset = StandardCharsets.UTF_8;
        private boolean keepExtraColumns = true;

        private Builder() {
        }

        public Builder user(String name) {
            user = Column.named(name);
            return this;
        }

        public Builder user(int index) {
            user = Column.at(index);
            return this;
        }

        public Builder item(String name) {
            item = Column.named(name);
            return this;
        }

        public Builder item(int index) {
            item = Column.at(index);
            return this;
        }

        public Builder rating(String name) {
            rating = Column.named(name);
            return this;
        }

        public Builder rating(int index) {
            rating = Column.at(index);
            return this;
        }

        public Builder timestamp(String name) {
            timestamp = Column.named(name);
            return this;
        }

        public Builder timestamp(int index) {
            timestamp = Column.at(index);
            return this;
        }

        public Builder header(boolean value) {
            header = value;
            return this;
        }

        public Builder delimiter(char value) {
            delimiter = value;
            return this;
        }

        public Builder charset(Charset value) {
            if (value == null) {
                throw new IllegalArgumentException("charset must not be null");
            }
            charset = value;
            return this;
        }

        public Builder keepExtraColumns(boolean value) {
            keepExtraColumns = value;
            return this;
        }

        public ColumnMapping build() {
            return new ColumnMapping(this);
        }
    }
}
