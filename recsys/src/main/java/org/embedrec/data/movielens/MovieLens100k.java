package org.embedrec.data.movielens;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.DataFormatException;
import org.embedrec.data.IdMapping;
import org.embedrec.data.IdResolver;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.LineProblems;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.Users;

/**
 * The MovieLens 100K files: {@code u.data} (user TAB item TAB rating TAB timestamp),
 * {@code u.item} (id|title|release date|video release date|IMDb URL|one 0/1 flag per genre),
 * {@code u.genre} (name|index), {@code u.user} (id|age|gender|occupation|zip) and the canonical
 * splits {@code u1.base}/{@code u1.test} ... {@code ub}. All ISO-8859-1.
 */
public final class MovieLens100k {
    static final Charset CHARSET = StandardCharsets.ISO_8859_1;
    public static final List<String> STANDARD_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
    public static final List<String> CANONICAL_SPLITS = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");
    private static final DateTimeFormatter RELEASE_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);
    private static final FieldLines LINES = new FieldLines("|", "pipe-separated", CHARSET);
    private static final RatingLines RATINGS = new RatingLines(new FieldLines("\t", "tab-separated", CHARSET));

    private MovieLens100k() {
    }

    /** The files {@link #read} reads, in order: u.genre (only with u.item), u.item, u.user when present, u.data. */
    static List<Path> filesRead(Path dir) {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("u.item"))) {
            if (Files.isRegularFile(dir.resolve("u.genre"))) {
                files.add(dir.resolve("u.genre"));
            }
            files.add(dir.resolve("u.item"));
        }
        if (Files.isRegularFile(dir.resolve("u.user"))) {
            files.add(dir.resolve("u.user"));
        }
        files.add(dir.resolve("u.data"));
        return files;
    }

    static RatingsData read(Path dir, BadLinePolicy policy, ReadProgress progress) throws IOException {
        LineProblems problems = new LineProblems(policy);
        SideTable<Items> items = SideTable.readIfPresent(dir.resolve("u.item"),
                file -> readItems(file, readGenres(dir.resolve("u.genre"), progress), problems, progress));
        SideTable<Users> users = SideTable.readIfPresent(dir.resolve("u.user"),
                file -> readUsers(file, problems, progress));
        Interactions.Builder rows = Interactions.builder();
        RATINGS.read(dir.resolve("u.data"), problems, users.ids(), items.ids(), rows, progress);
        Interactions interactions = rows.build(users.ids().build(), items.ids().build());
        return new RatingsData("ml-100k", interactions, items.rows(), users.rows(), dir, problems.skipped(),
                problems.reasons());
    }

    /** One canonical split, its ids resolved against the full data's vocabularies. */
    static Split readCanonical(Path dir, RatingsData full, String name, BadLinePolicy policy) throws IOException {
        if (!CANONICAL_SPLITS.contains(name)) {
            throw new IllegalArgumentException("unknown MovieLens 100K split '" + name + "': expected one of "
                    + CANONICAL_SPLITS);
        }
        Interactions all = full.interactions();
        LineProblems problems = new LineProblems(policy);
        Interactions train = readSplitFile(dir.resolve(name + ".base"), all, problems);
        Interactions test = readSplitFile(dir.resolve(name + ".test"), all, problems);
        return new Split(train, test);
    }

    private static Interactions readSplitFile(Path file, Interactions all, LineProblems problems) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("canonical split file " + file + " not found");
        }
        IdResolver users = IdResolver.closed(new IdMapping.Builder(all.users()), "the full data's users");
        IdResolver items = IdResolver.closed(new IdMapping.Builder(all.items()), "the full data's items");
        Interactions.Builder rows = Interactions.builder();
        RATINGS.read(file, problems, users, items, rows, ReadProgress.NONE);
        return rows.build(all.users(), all.items());
    }

    /** Genre names from u.genre in index order, or the standard list when the file is absent. */
    static List<String> readGenres(Path file, ReadProgress progress) throws IOException {
        if (!Files.isRegularFile(file)) {
            return STANDARD_GENRES;
        }
        List<String> names = new ArrayList<>();
        // A genre line that is off would shift every later flag, so it always fails.
        LINES.read(file, 2, new LineProblems(BadLinePolicy.FAIL), progress, (f, n) -> {
            if (n != 2 || !f[1].trim().equals(Integer.toString(names.size()))) {
                return "expected 'name|" + names.size() + "' (genres listed in index order)";
            }
            names.add(f[0]);
            return null;
        });
        if (names.isEmpty()) {
            throw new DataFormatException("u.genre", 0, "expected at least one genre, the file is empty", null);
        }
        return names;
    }

    private static SideTable<Items> readItems(Path file, List<String> genres, LineProblems problems,
            ReadProgress progress) throws IOException {
        Items.Builder items = Items.builder(genres);
        int[] flags = new int[genres.size()];
        String layout = "id|title|release date|video release date|IMDb URL|" + genres.size() + " genre flags";
        return SideTable.read(LINES, file, "item", 5 + genres.size(), layout, problems, progress, f -> {
            LocalDate date = null;
            if (!f[2].isBlank()) {
                try {
                    date = LocalDate.parse(f[2].trim(), RELEASE_DATE);
                } catch (DateTimeParseException e) {
                    return "expected a release date like 01-Jan-1995 in field 3, got '" + f[2] + "'";
                }
            }
            int count = 0;
            for (int g = 0; g < genres.size(); g++) {
                String flag = f[5 + g].trim();
                if (flag.equals("1")) {
                    flags[count++] = g;
                } else if (!flag.equals("0")) {
                    return "expected 0 or 1 for genre '" + genres.get(g) + "' (field " + (6 + g) + "), got '"
                            + f[5 + g] + "'";
                }
            }
            items.add(f[1], date, Arrays.copyOf(flags, count));
            return null;
        }, items::build);
    }

    private static SideTable<Users> readUsers(Path file, LineProblems problems, ReadProgress progress)
            throws IOException {
        Users.Builder users = Users.builder();
        return SideTable.read(LINES, file, "user", 5, "user|age|gender|occupation|zip", problems, progress, f -> {
            int age;
            try {
                age = Integer.parseInt(f[1].trim());
            } catch (NumberFormatException e) {
                return "expected an integer age in field 2, got '" + f[1] + "'";
            }
            users.add(age, f[2].trim(), f[3].trim(), f[4].trim());
            return null;
        }, users::build);
    }
}
