package org.embedrec.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
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
        return read(file, mapping, policy, ReadProgress.NONE);
    }

    /** As {@link #read(Path, ColumnMapping, BadLinePolicy)}, telling {@code progress} the bytes read. */
    public static RatingsData read(Path file, ColumnMapping mapping, BadLinePolicy policy, ReadProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress must not be null; pass ReadProgress.NONE for none");
        }
        LineProblems problems = new LineProblems(policy);
        IdResolver users = IdResolver.open();
        IdResolver items = IdResolver.open();
        Interactions.Builder rows = Interactions.builder();
        String fileName = file.getFileName().toString();
        progress.begin(fileName, size(file), ReadProgress.Unit.BYTES);
        try {
            readInto(file, mapping, problems, users, items, rows, progress);
        } finally {
            progress.end();
        }
        String name = fileName;
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        return new RatingsData(name, rows.build(users.build(), items.build()), null, null, null, problems.skipped(),
                problems.reasons());
    }

    /**
     * Reads the rows of {@code file} into {@code out}, resolving ids through the given resolvers and
     * advancing {@code progress} by the bytes read (its begin and end are the caller's).
     */
    public static void readInto(Path file, ColumnMapping mapping, LineProblems problems, IdResolver users, IdResolver items,
            Interactions.Builder out, ReadProgress progress) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        String source = file.getFileName().toString();
        CsvReader.CsvReaderBuilder builder = CsvReader.builder().fieldSeparator(mapping.delimiter())
                .ignoreDifferentFieldCount(true).skipEmptyLines(true);
        try (CsvReader<CsvRecord> csv = builder.ofCsvRecord(countedReader(file, mapping.charset(), progress))) {
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
            throw LineLengthLimit.cause(e).orElseGet(() ->
                    new DataFormatException(source, 0, "malformed CSV (" + e.getMessage() + ")", null));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e.getCause());
        }
    }

    /**
     * The reader FastCSV opens for {@code ofCsvRecord(file, charset)} (an InputStreamReader, whose
     * decoder replaces malformed input), with the file's bytes counted under it and its lines
     * capped at {@link LineLengthLimit#MAX_LINE_CHARS}.
     */
    static Reader countedReader(Path file, Charset charset, ReadProgress progress) throws IOException {
        return new LineLengthLimit(new InputStreamReader(ProgressInputStream.open(file, progress), charset),
                file.getFileName().toString());
    }

    private static long size(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }
}
