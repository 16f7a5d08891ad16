package org.embedrec.data.movielens;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.ColumnMapping;
import org.embedrec.data.CsvRatingsReader;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.IdMapping;
import org.embedrec.data.IdResolver;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.LineLengthLimit;
import org.embedrec.data.LineProblems;
import org.embedrec.data.ParallelRatingsCsv;
import org.embedrec.data.ProgressInputStream;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;

/**
 * The MovieLens CSV releases (ml-latest, ml-latest-small, ml-20m, ml-25m), UTF-8 with a header:
 * {@code ratings.csv} (userId,movieId,rating,timestamp) and {@code movies.csv}
 * (movieId,title,genres; titles with commas are quoted, genres '|'-separated or
 * "(no genres listed)"). There is no user table.
 */
final class MovieLensCsv {
    private static final List<String> MOVIES_HEADER = List.of("movieId", "title", "genres");

    private MovieLensCsv() {
    }

    /** The files {@link #read} reads, in order: movies.csv when present, ratings.csv. */
    static List<Path> filesRead(Path dir) {
        Path movies = dir.resolve("movies.csv");
        Path ratings = dir.resolve("ratings.csv");
        return Files.isRegularFile(movies) ? List.of(movies, ratings) : List.of(ratings);
    }

    static RatingsData read(Path dir, BadLinePolicy policy, ReadProgress progress) throws IOException {
        LineProblems problems = new LineProblems(policy);
        IdResolver itemIds = IdResolver.open();
        Items items = null;
        IdMapping itemTable = null;
        Path movieFile = dir.resolve("movies.csv");
        if (Files.isRegularFile(movieFile)) {
            IdMapping.Builder mapping = new IdMapping.Builder();
            items = readMovies(movieFile, mapping, problems, progress);
            itemIds = IdResolver.closed(mapping, "movies.csv");
            itemTable = mapping.build();
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String dataName = name == null ? "movielens-csv" : name.toString();
        Path ratings = dir.resolve("ratings.csv");
        // The common, clean file on all cores; anything else line by line, which names the line at fault.
        ParallelRatingsCsv.CountingProgress counted = new ParallelRatingsCsv.CountingProgress(progress);
        Optional<ParallelRatingsCsv.Columns> fast = Files.isRegularFile(ratings)
                ? ParallelRatingsCsv.read(ratings, itemTable, counted) : Optional.empty();
        if (fast.isPresent()) {
            return new RatingsData(dataName, fast.get().interactions(), items, null, dir, problems.skipped(),
                    problems.reasons());
        }
        IdResolver userIds = IdResolver.open();
        Interactions.Builder rows = Interactions.builder();
        CsvRatingsReader.readInto(ratings, ColumnMapping.movieLensCsv(), problems, userIds, itemIds, rows,
                counted.rest());
        return new RatingsData(dataName, rows.build(userIds.build(), itemIds.build()), items, null, dir,
                problems.skipped(), problems.reasons());
    }

    private static Items readMovies(Path file, IdMapping.Builder mapping, LineProblems problems,
            ReadProgress progress) throws IOException {
        ItemRows rows = new ItemRows("(no genres listed)");
        // As CsvRatingsReader reads a file: FastCSV over an InputStreamReader, the bytes counted under it.
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true)
                .ofCsvRecord(new LineLengthLimit(new InputStreamReader(ProgressInputStream.open(file, progress),
                        StandardCharsets.UTF_8), "movies.csv"))) {
            boolean header = true;
            for (CsvRecord record : csv) {
                long lineNo = record.getStartingLineNumber();
                String text = String.join(",", record.getFields());
                if (header) {
                    header = false;
                    if (!record.getFields().equals(MOVIES_HEADER)) {
                        throw new DataFormatException("movies.csv", lineNo, "expected the header movieId,title,genres",
                                text);
                    }
                    continue;
                }
                if (record.getFieldCount() != 3) {
                    problems.report(new DataFormatException("movies.csv", lineNo,
                            "expected 3 comma-separated fields (movieId, title, genres), got " + record.getFieldCount(),
                            text));
                    continue;
                }
                String id = record.getField(0).trim();
                if (id.isEmpty() || mapping.denseId(id) >= 0) {
                    problems.report(new DataFormatException("movies.csv", lineNo,
                            id.isEmpty() ? "expected a movie id in field 1" : "duplicate movie id '" + id + "'", text));
                    continue;
                }
                mapping.add(id);
                rows.add(record.getField(1), record.getField(2));
            }
        } catch (CsvParseException e) {
            throw LineLengthLimit.cause(e).orElseGet(() ->
                    new DataFormatException("movies.csv", 0, "malformed CSV (" + e.getMessage() + ")", null));
        }
        return rows.build();
    }
}
