package org.embedrec.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads interactions from any delimited text file (CSV, TSV, ...) under a
 * {@link ColumnMapping}, with FastCSV so that quoted fields with delimiters, quotes and line
 * breaks inside are read correctly. The first row fixes the number of columns (the header if
 * there is one); a row with another count is a bad line. User and item vocabularies are built
 * in order of first appearance.
 */
public final class CsvRatingsReader {
    private CsvRatingsReader() {
    }

    public static RatingsData read(Path file, ColumnMapping mapping) {
        return read(file, mapping, BadLinePolicy.FAIL);
    }

    /** Reads {@code file}; the data set is named after the file without its extension. */
    public static RatingsData read(Path file, ColumnMapping mapping, BadLinePolicy policy) {
        LineProblems problems = new LineProblems(policy);
        IdResolver users = IdResolver.open();
        IdResolver items = IdResolver.open();
        Interactions.Builder rows = Interactions.builder();
        readInto(file, mapping, problems, users, items, rows);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        return new RatingsData(name, rows.build(users.build(), items.build()), null, null, null, problems.skipped(),
                problems.reasons());
    }

    /** Reads the rows of {@code file} into {@code out}, resolving ids through the given resolvers. */
    static void readInto(Path file, ColumnMapping mapping, LineProblems problems, IdResolver users, IdResolver items,
            Interactions.Builder out) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        String source = file.getFileName().toString();
        CsvReader.CsvReaderBuilder builder = CsvReader.builder().fieldSeparator(mapping.delimiter())
                .ignoreDifferentFieldCount(true).skipEmptyLines(true);
        try (CsvReader<CsvRecord> csv = builder.ofCsvRecord(file, mapping.charset())) {
            MappedRows mapped = null;
            String[] values = new String[0];
            for (CsvRecord record : csv) {
                int n = record.getFieldCount();
                if (mapped == null) {
                    List<String> names = mapping.header() ? record.getFields() : null;
                    mapped = new MappedRows(mapping.resolve(names, n, source), source, "line", problems, users, items,
                            out);
                    values = new String[n];
                    if (mapping.header()) {
                        continue;
                    }
                }
                for (int k = 0; k < Math.min(n, values.length); k++) {
                    values[k] = record.getField(k);
                }
                mapped.add(record.getStartingLineNumber(), values, n,
                        String.join(String.valueOf(mapping.delimiter()), record.getFields()));
            }
            if (mapped == null) {
                throw new DataFormatException(source, 0, "expected " + (mapping.header() ? "a header row" : "rows")
                        + ", the file is empty", null);
            }
        } catch (CsvParseException e) {
            throw new DataFormatException(source, 0, "malformed CSV (" + e.getMessage() + ")", null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e.getCause());
        }
    }
}
