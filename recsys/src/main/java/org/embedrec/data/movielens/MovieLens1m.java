package org.embedrec.data.movielens;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.LineProblems;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Users;

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
    private static final FieldLines LINES = new FieldLines("::", "'::'-separated", CHARSET);
    private static final RatingLines RATINGS = new RatingLines(LINES);

    private MovieLens1m() {
    }

    /** The files {@link #read} reads, in order: movies.dat and users.dat when present, ratings.dat. */
    static List<Path> filesRead(Path dir) {
        List<Path> files = new ArrayList<>();
        for (String side : List.of("movies.dat", "users.dat")) {
            if (Files.isRegularFile(dir.resolve(side))) {
                files.add(dir.resolve(side));
            }
        }
        files.add(dir.resolve("ratings.dat"));
        return files;
    }

    static RatingsData read(Path dir, BadLinePolicy policy, ReadProgress progress) throws IOException {
        LineProblems problems = new LineProblems(policy);
        SideTable<Items> items = SideTable.readIfPresent(dir.resolve("movies.dat"),
                file -> readMovies(file, problems, progress));
        SideTable<Users> users = SideTable.readIfPresent(dir.resolve("users.dat"),
                file -> readUsers(file, problems, progress));
        Interactions.Builder rows = Interactions.builder();
        RATINGS.read(dir.resolve("ratings.dat"), problems, users.ids(), items.ids(), rows, progress);
        Interactions interactions = rows.build(users.ids().build(), items.ids().build());
        return new RatingsData("ml-1m", interactions, items.rows(), users.rows(), dir, problems.skipped(),
                problems.reasons());
    }

    private static SideTable<Items> readMovies(Path file, LineProblems problems, ReadProgress progress)
            throws IOException {
        ItemRows movies = new ItemRows(null);
        return SideTable.read(LINES, file, "movie", 3, "movie id, title, genres", problems, progress, f -> {
            movies.add(f[1], f[2]);
            return null;
        }, movies::build);
    }

    private static SideTable<Users> readUsers(Path file, LineProblems problems, ReadProgress progress)
            throws IOException {
        Users.Builder users = Users.builder();
        String layout = "user id, gender, age, occupation, zip";
        return SideTable.read(LINES, file, "user", 5, layout, problems, progress, f -> {
            int age;
            int occupation;
            try {
                age = Integer.parseInt(f[2].trim());
                occupation = Integer.parseInt(f[3].trim());
            } catch (NumberFormatException e) {
                return "expected integer age and occupation codes in fields 3 and 4";
            }
            if (occupation < 0 || occupation >= OCCUPATIONS.size()) {
                return "expected an occupation code 0-" + (OCCUPATIONS.size() - 1) + " in field 4, got " + occupation;
            }
            users.add(age, f[1].trim(), OCCUPATIONS.get(occupation), f[4].trim());
            return null;
        }, users::build);
    }
}
