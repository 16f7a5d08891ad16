package org.embedrec.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A side table of attributes keyed by id: an item table (category, price, tags) or a user table
 * (country, age), read from a CSV file with a header row. Every row has the header's number of
 * fields and a unique, non-empty id; values are kept as text, and the reader of a column decides
 * what they mean.
 */
public final class AttributeTable {
    private final String source;
    private final List<String> columns;
    private final Map<String, String[]> rows;

    private AttributeTable(String source, List<String> columns, Map<String, String[]> rows) {
        this.source = source;
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    /** Reads {@code file}, keyed by the column {@code idColumn}. */
    public static AttributeTable read(Path file, String idColumn) {
        String source = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), 0, "no such file (the side table keyed by '" + idColumn + "')", null);
        }
        long lastLine = 0;
        try (Reader in = new LineLengthLimit(Files.newBufferedReader(file, StandardCharsets.UTF_8), source);
             CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(in)) {
            List<String> header = null;
            int idIndex = -1;
            Map<String, String[]> rows = new LinkedHashMap<>();
            for (CsvRecord record : csv) {
                long line = record.getStartingLineNumber();
                lastLine = line;
                if (header == null) {
                    header = record.getFields();
                    idIndex = header.indexOf(idColumn);
                    if (idIndex < 0) {
                        throw new DataFormatException(source, line, "no column '" + idColumn + "' in the header "
                                + header + " (the id column the spec names)", null);
                    }
                    continue;
                }
                if (record.getFieldCount() != header.size()) {
                    throw new DataFormatException(source, line, "expected " + header.size() + " fields " + header
                            + ", got " + record.getFieldCount(), null);
                }
                String id = record.getField(idIndex).trim();
                if (id.isEmpty()) {
                    throw new DataFormatException(source, line, "empty id in column '" + idColumn + "'", null);
                }
                if (rows.put(id, record.getFields().toArray(new String[0])) != null) {
                    throw new DataFormatException(source, line, "duplicate id '" + id + "'", null);
                }
            }
            if (header == null) {
                throw new DataFormatException(source, 0, "empty file, expected a header row", null);
            }
            return new AttributeTable(source, header, rows);
        } catch (CsvParseException e) {
            throw LineLengthLimit.cause(e).orElseGet(() -> new DataFormatException(source, 0, e.getMessage(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // The CSV reader wraps the decoder's complaint; the file's bytes, not the disk, are at fault.
            if (e.getCause() instanceof CharacterCodingException) {
                throw new DataFormatException(source, 0, "bytes that are not UTF-8 text after line " + lastLine
                        + " (side tables are read as UTF-8)", null);
            }
            throw e;
        }
    }

    /** A table built in memory: {@code columns} names, each row's values in that order, keyed by {@code idColumn}. */
    public static AttributeTable of(String source, List<String> columns, String idColumn, List<String[]> rowValues) {
        int id = columns.indexOf(idColumn);
        if (id < 0) {
            throw new IllegalArgumentException(source + ": no column '" + idColumn + "' in " + columns);
        }
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String[] r : rowValues) {
            if (r.length != columns.size() || rows.put(r[id], r.clone()) != null) {
                throw new IllegalArgumentException(source + ": row " + String.join(",", r)
                        + " has the wrong width or a duplicate id");
            }
        }
        return new AttributeTable(source, new ArrayList<>(columns), rows);
    }

    /** The file name (or given name) for messages. */
    public String source() {
        return source;
    }

    public List<String> columns() {
        return columns;
    }

    public boolean hasColumn(String name) {
        return columns.contains(name);
    }

    /** Number of ids in the table. */
    public int size() {
        return rows.size();
    }

    /** The value of {@code column} for {@code id}, or null when the table has no such id. */
    /** The ids of the table's rows, in the file's order. */
    public List<String> ids() {
        return List.copyOf(rows.keySet());
    }

    public String value(String id, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException(source + ": no column '" + column + "'; have " + columns);
        }
        String[] row = rows.get(id);
        return row == null ? null : row[c];
    }
}
