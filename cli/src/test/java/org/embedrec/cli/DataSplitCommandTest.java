package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.io.AtomicFiles;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code embedrec data split} on a hand-written MovieLens 100K directory: 10 users, 7 items (the
 * last never rated), titles with a comma, a quote and a non-ASCII letter.
 */
class DataSplitCommandTest {
    private static final int USERS = 10;
    private static final int ITEMS = 7;
    private static final String[] TITLES = {"Toy Story (1995)", "Seven, the Sequel (1996)",
        "The \"Quoted\" One (1997)", "Café Society (1998)", "Plain (1990)", "Untitled", "Never Rated (1999)"};

    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;

    @TempDir
    Path dir;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        savedOut = System.out;
        System.setOut(new PrintStream(out, true));
        data = writeFixture(dir.resolve("ml"));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(savedOut);
    }

    /** A file of an export: in its highest numbered version. */
    private static Path file(Path export, String name) throws IOException {
        return AtomicFiles.currentVersion(export).resolve(name);
    }

    private int run(String... args) {
        CommandLine cl = EmbedrecCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void exportsTheRowsOfTheSplitTrainMakesInOrder() throws IOException {
        Path export = dir.resolve("export");
        int code = run("data", "split", "--data", data.toString(), "--split", "random:0.75", "--seed", "7",
                "--out", export.toString());
        assertThat(code).as(err.toString()).isZero();

        RatingsData loaded = DataOptions.load(data.toString(), null);
        Split expected = DataOptions.split(loaded, "random:0.75", 7);
        List<List<String>> train = readCsv(file(export, "train.csv"));
        List<List<String>> test = readCsv(file(export, "test.csv"));
        assertThat(train.get(0)).containsExactly("user_id", "item_id", "rating", "timestamp", "title");
        assertThat(train.subList(1, train.size())).isEqualTo(rows(expected.train()));
        assertThat(test.subList(1, test.size())).isEqualTo(rows(expected.test()));

        // Independently of the split code: the two parts are u.data's rows, each once, in a 75/25 cut.
        List<List<String>> all = new ArrayList<>(train.subList(1, train.size()));
        all.addAll(test.subList(1, test.size()));
        List<String> exported = new ArrayList<>();
        for (List<String> r : all) {
            exported.add(String.join("\t", r.get(0), r.get(1), r.get(2).replace(".0", ""), r.get(3)));
        }
        List<String> source = new ArrayList<>(Files.readAllLines(data.resolve("u.data")));
        Collections.sort(exported);
        Collections.sort(source);
        assertThat(exported).isEqualTo(source);
        assertThat(train.size() - 1).isEqualTo(Math.round(0.75 * source.size()));

        JsonNode manifest = new ObjectMapper().readTree(file(export, "split.json").toFile());
        assertThat(manifest.path("split").asText()).isEqualTo("random:0.75");
        assertThat(manifest.path("seed").asLong()).isEqualTo(7);
        assertThat(manifest.path("train").asInt()).isEqualTo(train.size() - 1);
        assertThat(manifest.path("test").asInt()).isEqualTo(test.size() - 1);
        assertThat(manifest.path("items").asInt()).isEqualTo(ITEMS);
        assertThat(manifest.path("genres")).hasSize(19);
        assertThat(manifest.path("genres").get(5).asText()).isEqualTo("Comedy");

        // train with the same spec and seed splits the same way (the report records the sizes).
        Path report = dir.resolve("run.json");
        assertThat(run("train", "--model", "mf", "--epochs", "1", "--quiet", "--data", data.toString(), "--split",
                "random:0.75", "--seed", "7", "--report", report.toString())).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertThat(r.path("split").path("train").asInt()).isEqualTo(train.size() - 1);
        assertThat(r.path("split").path("test").asInt()).isEqualTo(test.size() - 1);
    }

    @Test
    void aCanonicalSplitExportsTheLinesOfItsFiles() throws IOException {
        Path export = dir.resolve("u1");
        assertThat(run("data", "split", "--data", data.toString(), "--split", "ml-100k:u1", "--out",
                export.toString())).as(err.toString()).isZero();

        assertThat(asDataLines(readCsv(file(export, "train.csv")))).isEqualTo(Files.readAllLines(data.resolve("u1.base")));
        assertThat(asDataLines(readCsv(file(export, "test.csv")))).isEqualTo(Files.readAllLines(data.resolve("u1.test")));
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherRows() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        for (Object[] run : new Object[][] {{a, "1"}, {b, "1"}, {c, "2"}}) {
            assertThat(run("data", "split", "--data", data.toString(), "--seed", (String) run[1], "--out",
                    run[0].toString())).as(err.toString()).isZero();
        }
        assertThat(Files.readAllBytes(file(a, "train.csv"))).isEqualTo(Files.readAllBytes(file(b, "train.csv")));
        assertThat(Files.readAllBytes(file(a, "test.csv"))).isEqualTo(Files.readAllBytes(file(b, "test.csv")));
        assertThat(Files.readAllBytes(file(a, "test.csv"))).isNotEqualTo(Files.readAllBytes(file(c, "test.csv")));
    }

    @Test
    void writesTheWholeCatalogueAndTheUserTableAsUtf8() throws IOException {
        Path export = dir.resolve("export");
        assertThat(run("data", "split", "--data", data.toString(), "--out", export.toString())).as(err.toString()).isZero();

        List<List<String>> items = readCsv(file(export, "items.csv"));
        assertThat(items.get(0)).containsExactly("item_id", "title", "genres", "year");
        assertThat(items).hasSize(ITEMS + 1);
        for (int i = 1; i <= ITEMS; i++) {
            assertThat(items.get(i).get(0)).isEqualTo(Integer.toString(i));
            assertThat(items.get(i).get(1)).isEqualTo(TITLES[i - 1]);
        }
        // Item 2 is flagged Action and Comedy; "Untitled" has no year in its title or a release date.
        assertThat(items.get(2).get(2)).isEqualTo("Action|Comedy");
        assertThat(items.get(2).get(3)).isEqualTo("1996");
        assertThat(items.get(6).get(3)).isEmpty();
        String raw = Files.readString(file(export, "items.csv"), StandardCharsets.UTF_8);
        assertThat(raw).contains("\"Seven, the Sequel (1996)\"").contains("\"The \"\"Quoted\"\" One (1997)\"")
                .contains("Café Society (1998)");

        List<List<String>> users = readCsv(file(export, "users.csv"));
        assertThat(users.get(0)).containsExactly("user_id", "age", "gender", "occupation");
        assertThat(users).hasSize(USERS + 1);
        assertThat(users.get(3)).containsExactly("3", "23", "F", "student");
    }

    @Test
    void refusesToOverwriteAnExportOrAFileUnlessTold() throws IOException {
        Path file = dir.resolve("taken.csv");
        Files.writeString(file, "x");
        assertThat(run("data", "split", "--data", data.toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out " + file + " is a file");
        assertThat(Files.readString(file)).isEqualTo("x");

        Path export = dir.resolve("export");
        assertThat(run("data", "split", "--data", data.toString(), "--out", export.toString())).isZero();
        assertThat(run("data", "split", "--data", data.toString(), "--seed", "3", "--out", export.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("already holds an export (numbered version directories)").contains("--overwrite");
        assertThat(run("data", "split", "--data", data.toString(), "--seed", "3", "--out", export.toString(),
                "--overwrite")).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(file(export, "split.json").toFile()).path("seed").asLong()).isEqualTo(3);

        assertThat(run("data", "split", "--data", data.toString(), "--split", "kfold:5", "--out",
                dir.resolve("k").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad split spec 'kfold:5'");
        assertThat(run("data", "split", "--data", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out");
    }

    @Test
    void theDefaultSeedIsTrainsDefaultForEveryModel() {
        for (String name : RatingModels.NAMES) {
            assertThat(RatingModelConfig.defaults(name).seed()).as(name).isEqualTo(DataSplitCommand.DEFAULT_SEED);
        }
    }

    /** Rows as the export should write them: raw ids, rating, timestamp, title. */
    private static List<List<String>> rows(Interactions part) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < part.size(); r++) {
            int item = Integer.parseInt(part.items().rawId(part.item(r)));
            rows.add(List.of(part.users().rawId(part.user(r)), part.items().rawId(part.item(r)),
                    Float.toString(part.rating(r)), Long.toString(part.timestamp(r)), TITLES[item - 1]));
        }
        return rows;
    }

    private static List<String> asDataLines(List<List<String>> csv) {
        List<String> lines = new ArrayList<>();
        for (List<String> r : csv.subList(1, csv.size())) {
            lines.add(String.join("\t", r.get(0), r.get(1), r.get(2).replace(".0", ""), r.get(3)));
        }
        return lines;
    }

    /** A minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> readCsv(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quoted) {
                if (c == '"' && k + 1 < text.length() && text.charAt(k + 1) == '"') {
                    field.append('"');
                    k++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        assertThat(row).as("text after the last line break").isEmpty();
        return rows;
    }

    private static Path writeFixture(Path ml) throws IOException {
        Files.createDirectories(ml);
        StringBuilder ratings = new StringBuilder();
        StringBuilder base = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int u = 1; u <= USERS; u++) {
            for (int i = 1; i < ITEMS; i++) {
                if ((u + i) % 3 == 0) {
                    continue;
                }
                String line = u + "\t" + i + "\t" + (1 + (u * i) % 5) + "\t" + (880000000L + 100L * u + i) + "\n";
                ratings.append(line);
                ((u + i) % 4 == 0 ? test : base).append(line);
            }
        }
        Files.writeString(ml.resolve("u.data"), ratings);
        Files.writeString(ml.resolve("u1.base"), base);
        Files.writeString(ml.resolve("u1.test"), test);
        StringBuilder items = new StringBuilder();
        for (int i = 1; i <= ITEMS; i++) {
            StringBuilder flags = new StringBuilder();
            for (int g = 0; g < 19; g++) {
                boolean on = i == 2 ? g == 1 || g == 5 : g == i % 19;
                flags.append('|').append(on ? '1' : '0');
            }
            String date = i == 6 ? "" : "01-Jan-1995";
            items.append(i).append('|').append(TITLES[i - 1]).append('|').append(date).append("||http://x").append(flags)
                    .append('\n');
        }
        Files.writeString(ml.resolve("u.item"), items, StandardCharsets.ISO_8859_1);
        StringBuilder users = new StringBuilder();
        String[] occupations = {"student", "writer", "engineer"};
        for (int u = 1; u <= USERS; u++) {
            users.append(u).append('|').append(20 + u).append('|').append(u % 2 == 0 ? "M" : "F").append('|')
                    .append(occupations[u % 3]).append("|0000").append(u).append('\n');
        }
        Files.writeString(ml.resolve("u.user"), users);
        return ml;
    }
}
