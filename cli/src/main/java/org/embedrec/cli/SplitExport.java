package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.Users;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.io.AtomicFiles;

/**
 * A train/test split written out as files, so that another system (the TensorFlow reference in
 * {@code bench/reference}) trains and tests on exactly the rows embedrec uses. The directory holds:
 *
 * <ul>
 *   <li>{@code train.csv}, {@code test.csv}: one row per interaction, in the order the split keeps
 *       them: {@code user_id,item_id[,rating][,timestamp][,title]} (rating and timestamp when the
 *       data has them, the item's title when it has an item table);
 *   <li>{@code items.csv}: the whole item catalogue in dense id order, rated or not, so a
 *       factorized top-K metric can rank against every item: {@code item_id[,title,genres,year]},
 *       genres joined by {@code |}, year empty when unknown;
 *   <li>{@code users.csv}, when the data has a user table: {@code user_id,age,gender,occupation},
 *       unknown values empty;
 *   <li>{@code split.json}: what was split and how (data set, spec, seed, row counts, columns, the
 *       genre names in index order).
 * </ul>
 *
 * Ids are the raw ids of the input. Files are UTF-8 CSV (RFC 4180: a field holding a comma, a
 * quote or a line break is quoted, its quotes doubled). They are written as one set by
 * {@link AtomicFiles#writeDirectory}: in a numbered version subdirectory ({@code 1}, {@code 2}, ...;
 * the highest is current) with a {@code manifest.json} of their sizes and CRC-32C, so an export
 * killed half way leaves the previous one whole.
 */
final class SplitExport {
    static final String TRAIN = "train.csv";
    static final String TEST = "test.csv";
    static final String ITEMS = "items.csv";
    static final String USERS = "users.csv";
    static final String MANIFEST = "split.json";
    static final List<String> FILES = List.of(TRAIN, TEST, ITEMS, USERS, MANIFEST);

    private final RatingsData data;
    private final Split split;
    private final String spec;
    private final long seed;

    SplitExport(RatingsData data, Split split, String spec, long seed) {
        this.data = data;
        this.split = split;
        this.spec = spec;
        this.seed = seed;
    }

    /**
     * Checks that {@code dir} can take an export: it is absent or a directory, and unless
     * {@code overwrite} it holds none of {@link #FILES}.
     */
    static void checkTarget(Path dir, boolean overwrite) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file; expected a directory (new or empty)");
        }
        if (overwrite || !Files.isDirectory(dir)) {
            return;
        }
        List<String> present = new ArrayList<>();
        if (AtomicFiles.hasVersions(dir)) {
            present.add("an export (numbered version directories)");
        }
        for (String f : FILES) {
            if (Files.exists(dir.resolve(f))) {
                present.add(f);
            }
        }
        if (!present.isEmpty()) {
            throw new IllegalArgumentException("--out " + dir + " already holds " + String.join(", ", present)
                    + "; choose another directory or pass --overwrite");
        }
    }

    /** Writes every file into {@code dir}, creating it, as one set that replaces a previous export whole. */
    void write(Path dir) throws IOException {
        AtomicFiles.writeDirectory(dir, this::writeFiles);
    }

    private void writeFiles(Path dir) throws IOException {
        writeRows(dir.resolve(TRAIN), split.train());
        writeRows(dir.resolve(TEST), split.test());
        writeItems(dir.resolve(ITEMS));
        if (data.users().isPresent()) {
            writeUsers(dir.resolve(USERS), data.users().get());
        }
        AtomicFiles.write(dir.resolve(MANIFEST), out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out, manifest()));
    }

    /** The header of train.csv and test.csv. */
    List<String> rowColumns() {
        Interactions all = data.interactions();
        List<String> columns = new ArrayList<>(List.of("user_id", "item_id"));
        if (all.hasRatings()) {
            columns.add("rating");
        }
        if (all.hasTimestamps()) {
            columns.add("timestamp");
        }
        if (data.items().isPresent()) {
            columns.add("title");
        }
        return columns;
    }

    private void writeRows(Path file, Interactions rows) throws IOException {
        boolean ratings = rows.hasRatings();
        boolean timestamps = rows.hasTimestamps();
        Items items = data.items().orElse(null);
        writeCsv(file, rowColumns(), (w, line) -> {
            for (int r = 0; r < rows.size(); r++) {
                line.add(rows.users().rawId(rows.user(r)));
                line.add(rows.items().rawId(rows.item(r)));
                if (ratings) {
                    line.add(Float.toString(rows.rating(r)));
                }
                if (timestamps) {
                    line.add(Long.toString(rows.timestamp(r)));
                }
                if (items != null) {
                    line.add(items.title(rows.item(r)));
                }
                line.flush(w);
            }
        });
    }

    private void writeItems(Path file) throws IOException {
        Interactions all = data.interactions();
        Items items = data.items().orElse(null);
        List<String> header = items == null ? List.of("item_id") : List.of("item_id", "title", "genres", "year");
        writeCsv(file, header, (w, line) -> {
            for (int i = 0; i < all.numItems(); i++) {
                line.add(all.items().rawId(i));
                if (items != null) {
                    line.add(items.title(i));
                    line.add(String.join("|", items.genres(i)));
                    line.add(items.year(i).isPresent() ? Integer.toString(items.year(i).getAsInt()) : "");
                }
                line.flush(w);
            }
        });
    }

    private void writeUsers(Path file, Users users) throws IOException {
        Interactions all = data.interactions();
        writeCsv(file, List.of("user_id", "age", "gender", "occupation"), (w, line) -> {
            for (int u = 0; u < all.numUsers(); u++) {
                line.add(all.users().rawId(u));
                line.add(users.age(u).isPresent() ? Integer.toString(users.age(u).getAsInt()) : "");
                line.add(users.gender(u).orElse(""));
                line.add(users.occupation(u).orElse(""));
                line.flush(w);
            }
        });
    }

    private ObjectNode manifest() {
        Interactions all = data.interactions();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("embedrec_version", EmbedrecVersion.CURRENT);
        m.put("dataset", data.name());
        data.source().ifPresent(p -> m.put("source", p.toAbsolutePath().toString()));
        m.put("split", spec);
        m.put("seed", seed);
        m.put("interactions", all.size());
        m.put("users", all.numUsers());
        m.put("items", all.numItems());
        m.put("train", split.train().size());
        m.put("test", split.test().size());
        m.put("has_ratings", all.hasRatings());
        m.put("has_timestamps", all.hasTimestamps());
        ArrayNode columns = m.putArray("row_columns");
        rowColumns().forEach(columns::add);
        data.items().ifPresent(items -> {
            ArrayNode genres = m.putArray("genres");
            items.genreNames().forEach(genres::add);
        });
        ArrayNode files = m.putArray("files");
        files.add(TRAIN).add(TEST).add(ITEMS);
        if (data.users().isPresent()) {
            files.add(USERS);
        }
        return m;
    }

    /** Writes the rows of one file through a reused line buffer. */
    @FunctionalInterface
    private interface Rows {
        void write(Writer w, CsvLine line) throws IOException;
    }

    private static void writeCsv(Path file, List<String> header, Rows rows) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            CsvLine line = new CsvLine();
            for (String h : header) {
                line.add(h);
            }
            line.flush(w);
            rows.write(w, line);
            w.flush();
        });
    }

    /** One CSV line being built: fields are quoted only when they must be (RFC 4180). */
    static final class CsvLine {
        private final StringBuilder sb = new StringBuilder(128);
        private boolean first = true;

        void add(String field) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (needsQuotes(field)) {
                sb.append('"');
                for (int k = 0; k < field.length(); k++) {
                    char c = field.charAt(k);
                    if (c == '"') {
                        sb.append('"');
                    }
                    sb.append(c);
                }
                sb.append('"');
            } else {
                sb.append(field);
            }
        }

        void flush(Writer w) throws IOException {
            sb.append('\n');
            w.append(sb);
            sb.setLength(0);
            first = true;
        }

        private static boolean needsQuotes(String field) {
            for (int k = 0; k < field.length(); k++) {
                char c = field.charAt(k);
                if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                    return true;
                }
            }
            // A leading or trailing space would be kept by RFC 4180 readers but trimmed by some.
            return !field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' ');
        }
    }
}
