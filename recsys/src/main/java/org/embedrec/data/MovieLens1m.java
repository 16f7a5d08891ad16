package org.embedrec.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The MovieLens 1M files, '::'-separated and ISO-8859-1: {@code ratings.dat}
 * (UserID::MovieID::Rating::Timestamp), {@code movies.dat} (MovieID::Title::Genres, genres
 * '|'-separated) and {@code users.dat} (UserID::Gender::Age::Occupation::Zip-code, the
 * occupation a code 0-20 turned into its name from the 1M README).
 */
final class MovieLens1m {
    static final Charset CHARSET = StandardCharsets.ISO_8859_1;
    static final List<String> OCCUPATIONS = List.of("other", "academic/educator", "artist", "clerical/admin",
            "college/grad student", "customer service", "doctor/health care", "executive/managerial", "farmer",
            "homemaker", "K-12 student", "lawyer", "programmer", "retired", "sales/marketing", "scientist",
            "self-employed", "technician/engineer", "tradesman/craftsman", "unemployed", "writer");
    private static final RatingLines RATINGS = new RatingLines("::", "'::'-separated", CHARSET);

    private MovieLens1m() {
    }

    static RatingsData read(Path dir, BadLinePolicy policy) throws IOException {
        LineProblems problems = new LineProblems(policy);
        IdResolver itemIds = IdResolver.open();
        Items items = null;
        Path movieFile = dir.resolve("movies.dat");
        if (Files.isRegularFile(movieFile)) {
            IdMapping.Builder mapping = new IdMapping.Builder();
            items = readMovies(movieFile, mapping, problems);
            itemIds = IdResolver.closed(mapping, "movies.dat");
        }
        IdResolver userIds = IdResolver.open();
        Users users = null;
        Path userFile = dir.resolve("users.dat");
        if (Files.isRegularFile(userFile)) {
            IdMapping.Builder mapping = new IdMapping.Builder();
            users = readUsers(userFile, mapping, problems);
            userIds = IdResolver.closed(mapping, "users.dat");
        }
        Interactions.Builder rows = Interactions.builder();
        RATINGS.read(dir.resolve("ratings.dat"), problems, userIds, itemIds, rows);
        Interactions interactions = rows.build(userIds.build(), itemIds.build());
        return new RatingsData("ml-1m", interactions, items, users, dir, problems.skipped(), problems.reasons());
    }

    private static Items readMovies(Path file, IdMapping.Builder mapping, LineProblems problems) throws IOException {
        ItemRows rows = new ItemRows(null);
        String[] f = new String[3];
        try (BufferedReader in = Files.newBufferedReader(file, CHARSET)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (DelimitedLine.isBlank(line)) {
                    continue;
                }
                int n = DelimitedLine.split(line, "::", f);
                if (n != 3) {
                    problems.report(new DataFormatException("movies.dat", lineNo,
                            "expected 3 '::'-separated fields (movie id, title, genres), got " + n, line));
                    continue;
                }
                String id = f[0].trim();
                if (id.isEmpty() || mapping.denseId(id) >= 0) {
                    problems.report(new DataFormatException("movies.dat", lineNo,
                            id.isEmpty() ? "expected a movie id in field 1" : "duplicate movie id '" + id + "'", line));
                    continue;
                }
                mapping.add(id);
                rows.add(f[1], f[2]);
            }
        }
        return rows.build();
    }

    private static Users readUsers(Path file, IdMapping.Builder mapping, LineProblems problems) throws IOException {
        Users.Builder users = Users.builder();
        String[] f = new String[5];
        try (BufferedReader in = Files.newBufferedReader(file, CHARSET)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (DelimitedLine.isBlank(line)) {
                    continue;
                }
                int n = DelimitedLine.split(line, "::", f);
                if (n != 5) {
                    problems.report(new DataFormatException("users.dat", lineNo,
                            "expected 5 '::'-separated fields (user id, gender, age, occupation, zip), got " + n, line));
                    continue;
                }
                String id = f[0].trim();
                if (id.isEmpty() || mapping.denseId(id) >= 0) {
                    problems.report(new DataFormatException("users.dat", lineNo,
                            id.isEmpty() ? "expected a user id in field 1" : "duplicate user id '" + id + "'", line));
                    continue;
                }
                int age;
                int occupation;
                try {
                    age = Integer.parseInt(f[2].trim());
                    occupation = Integer.parseInt(f[3].trim());
                } catch (NumberFormatException e) {
                    problems.report(new DataFormatException("users.dat", lineNo,
                            "expected integer age and occupation codes in fields 3 and 4", line));
                    continue;
                }
                if (occupation < 0 || occupation >= OCCUPATIONS.size()) {
                    problems.report(new DataFormatException("users.dat", lineNo, "expected an occupation code 0-"
                            + (OCCUPATIONS.size() - 1) + " in field 4, got " + occupation, line));
                    continue;
                }
                mapping.add(id);
                users.add(age, f[1].trim(), OCCUPATIONS.get(occupation), f[4].trim());
            }
        }
        return users.build();
    }
}
