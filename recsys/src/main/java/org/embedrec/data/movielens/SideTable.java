package org.embedrec.data.movielens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.embedrec.data.IdMapping;
import org.embedrec.data.IdResolver;
import org.embedrec.data.LineProblems;
import org.embedrec.data.ReadProgress;

/**
 * A MovieLens item or user table keyed by its first field (u.item, u.user, movies.dat,
 * users.dat): its rows, and the resolver that makes the rating file name only ids the table
 * has. Without the file there are no rows, and the rating file's ids are taken as they come.
 *
 * @param rows the table, or null when the file is absent
 */
record SideTable<T>(T rows, IdResolver ids) {
    /** Reads one table file into its rows. */
    interface Reader<T> {
        SideTable<T> read(Path file) throws IOException;
    }

    static <T> SideTable<T> readIfPresent(Path file, Reader<T> reader) throws IOException {
        return Files.isRegularFile(file) ? reader.read(file) : new SideTable<>(null, IdResolver.open());
    }

    /**
     * Reads a table of exactly {@code width} fields a line, the first the row's id.
     * @param key what the id names in messages: "item", "user", "movie"
     * @param layout the fields as messages list them
     * @param progress told the file's bytes as they are read
     * @param row adds the fields after the id, or returns why the line is bad (it then adds no id either)
     * @param rows the table of the rows added
     */
    static <T> SideTable<T> read(FieldLines lines, Path file, String key, int width, String layout,
            LineProblems problems, ReadProgress progress, FieldLines.Row row, Supplier<T> rows) throws IOException {
        IdMapping.Builder mapping = new IdMapping.Builder();
        lines.read(file, width, layout, problems, progress, f -> {
            String id = f[0].trim();
            if (id.isEmpty()) {
                return "expected " + ("aeiou".indexOf(key.charAt(0)) >= 0 ? "an " : "a ") + key + " id in field 1";
            }
            if (mapping.denseId(id) >= 0) {
                return "duplicate " + key + " id '" + id + "'";
            }
            String problem = row.add(f);
            if (problem == null) {
                mapping.add(id);
            }
            return problem;
        });
        return new SideTable<>(rows.get(), IdResolver.closed(mapping, file.getFileName().toString()));
    }
}
