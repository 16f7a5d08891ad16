package org.embedrec.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads interactions from the result of a SQL query on any JDBC source, under a
 * {@link ColumnMapping} whose names are the result's column labels (indices are 0-based, as
 * for files). Values are read as strings, except that SQL timestamps and dates become epoch
 * seconds (UTC) and numbers their integer value. Bad rows are reported as "row N" of the query.
 */
public final class JdbcReader {
    private static final int FETCH_SIZE = 10_000;

    private JdbcReader() {
    }

    public static RatingsData read(String jdbcUrl, String sql, ColumnMapping mapping) {
        return read(jdbcUrl, new Properties(), sql, mapping, BadLinePolicy.FAIL);
    }

    /** Connects with {@code properties} (user, password, ...), runs {@code sql}, and reads the rows. */
    public static RatingsData read(String jdbcUrl, Properties properties, String sql, ColumnMapping mapping,
            BadLinePolicy policy) {
        return read(jdbcUrl, properties, sql, mapping, policy, ReadProgress.NONE);
    }

    /** As the same read without {@code progress}, telling it the rows read (see the Connection overload). */
    public static RatingsData read(String jdbcUrl, Properties properties, String sql, ColumnMapping mapping,
            BadLinePolicy policy, ReadProgress progress) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
            return read(connection, describe(jdbcUrl), sql, mapping, policy, progress);
        } catch (SQLException e) {
            throw new IllegalArgumentException("query on " + describe(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code sql} on an open connection (left open); {@code name} names the data set and messages. */
    public static RatingsData read(Connection connection, String name, String sql, ColumnMapping mapping,
            BadLinePolicy policy) {
        return read(connection, name, sql, mapping, policy, ReadProgress.NONE);
    }

    /**
     * As {@link #read(Connection, String, String, ColumnMapping, BadLinePolicy)}, telling
     * {@code progress} of one read named {@code name} whose unit is rows and whose total is unknown
     * (a result set has no size until it is read); rows are reported a fetch (10,000) at a time.
     */
    public static RatingsData read(Connection connection, String name, String sql, ColumnMapping mapping,
            BadLinePolicy policy, ReadProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress must not be null; pass ReadProgress.NONE for none");
        }
        String source = "query on " + name;
        LineProblems problems = new LineProblems(policy);
        IdResolver users = IdResolver.open();
        IdResolver items = IdResolver.open();
        Interactions.Builder rows = Interactions.builder();
        progress.begin(name, -1, ReadProgress.Unit.ROWS);
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                List<String> names = new ArrayList<>(n);
                for (int k = 1; k <= n; k++) {
                    names.add(meta.getColumnLabel(k));
                }
                ColumnMapping.Resolved resolved = mapping.resolve(names, n, source);
                MappedRows mapped = new MappedRows(resolved, source, "row", problems, users, items, rows);
                String[] values = new String[n];
                long row = 0;
                while (rs.next()) {
                    row++;
                    for (int k = 0; k < n; k++) {
                        values[k] = k == resolved.timestamp() ? timestampText(rs.getObject(k + 1))
                                : rs.getString(k + 1);
                    }
                    mapped.add(row, values, n, rowText(values));
                    if (row % FETCH_SIZE == 0) {
                        progress.advance(FETCH_SIZE);
                    }
                }
                if (row % FETCH_SIZE != 0) {
                    progress.advance(row % FETCH_SIZE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(source + " failed: " + e.getMessage(), e);
        } finally {
            progress.end();
        }
        return new RatingsData(name, rows.build(users.build(), items.build()), null, null, null, problems.skipped(),
                problems.reasons());
    }

    /** Epoch seconds as text for SQL date and time values and numbers; other values as their text. */
    private static String timestampText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp ts) {
            // A SQL TIMESTAMP has no zone; read it as UTC rather than in the JVM's default zone.
            return Long.toString(ts.toLocalDateTime().toEpochSecond(ZoneOffset.UTC));
        }
        if (value instanceof java.sql.Date d) {
            return Long.toString(d.toLocalDate().atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        }
        if (value instanceof LocalDateTime t) {
            return Long.toString(t.toEpochSecond(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime t) {
            return Long.toString(t.toEpochSecond());
        }
        if (value instanceof LocalDate d) {
            return Long.toString(d.atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        }
        if (value instanceof Number num) {
            return Long.toString(num.longValue());
        }
        return value.toString();
    }

    private static String rowText(String[] values) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < values.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(values[k]);
        }
        return sb.toString();
    }

    /** The URL without its parameters, which may hold credentials. */
    private static String describe(String jdbcUrl) {
        int cut = jdbcUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int at = jdbcUrl.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return jdbcUrl.substring(0, cut);
    }
}
