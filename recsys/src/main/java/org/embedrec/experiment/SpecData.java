package org.embedrec.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.ColumnMapping;
import org.embedrec.data.CsvRatingsReader;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Items;
import org.embedrec.data.JdbcReader;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Users;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.features.FeatureSpec;

/**
 * The data a feature spec names, read: the interactions from a CSV file with a header, a JDBC
 * query or a MovieLens directory, their columns mapped by the spec's {@code data} section (user, item, label,
 * timestamp; every other column kept for features and the weight), and the optional item and
 * user tables, whose paths are relative to the spec file.
 */
public record SpecData(RatingsData interactions, AttributeTable items, AttributeTable users) {

    /** The column mapping of {@code spec}'s data section: header names, every extra column kept. */
    public static ColumnMapping mapping(FeatureSpec spec, char delimiter) {
        FeatureSpec.Data d = spec.data();
        ColumnMapping.Builder b = ColumnMapping.builder().user(d.user()).item(d.item()).header(true)
                .delimiter(delimiter).keepExtraColumns(true);
        if (d.label() != null) {
            b.rating(d.label());
        }
        if (d.timestamp() != null) {
            b.timestamp(d.timestamp());
        }
        return b.build();
    }

    /**
     * Reads {@code csv} (comma-separated; tab-separated when its name ends in {@code .tsv}) and
     * the spec's side tables, resolved against {@code specDir}. A MovieLens directory (100K, 1M
     * or a CSV release) is read by its own reader instead, its movies and users becoming the item
     * table ({@code title}, {@code genres} joined by {@code |}, {@code year}) and the user table
     * ({@code age}, {@code gender}, {@code occupation}, {@code zip}) keyed by the spec's item and
     * user columns.
     */
    public static SpecData read(FeatureSpec spec, Path specDir, Path csv, BadLinePolicy policy, ReadProgress progress) {
        if (Files.isDirectory(csv)) {
            return of(spec, specDir, MovieLensReader.read(csv, policy, progress));
        }
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("--data " + csv + ": " + (Files.exists(csv) ? "not a file"
                    : "no such file") + "; expected a CSV file with a header naming the spec's data columns");
        }
        char delimiter = csv.getFileName().toString().endsWith(".tsv") ? '\t' : ',';
        RatingsData rows = CsvRatingsReader.read(csv, mapping(spec, delimiter), policy, progress);
        return withTables(spec, specDir, rows);
    }

    /** Runs {@code sql} on {@code jdbcUrl} (its driver on the class path) and reads the spec's side tables. */
    public static SpecData query(FeatureSpec spec, Path specDir, String jdbcUrl, String sql, BadLinePolicy policy) {
        RatingsData rows = JdbcReader.read(jdbcUrl, new Properties(), sql, mapping(spec, ','), policy);
        return withTables(spec, specDir, rows);
    }

    /**
     * Rows read by another reader (MovieLens, the synthetic generator) with their movies and
     * users as the item and user tables, as {@link #read} describes; the spec's own tables, when
     * it names any, are read against {@code specDir} instead.
     */
    public static SpecData of(FeatureSpec spec, Path specDir, RatingsData rows) {
        AttributeTable items = table(specDir, spec.data().items());
        AttributeTable users = table(specDir, spec.data().users());
        IdMapping itemIds = rows.interactions().items();
        if (items == null && rows.items().isPresent()) {
            Items movies = rows.items().get();
            List<String[]> values = new ArrayList<>();
            for (int i = 0; i < movies.size(); i++) {
                values.add(new String[] {itemIds.rawId(i), movies.title(i), String.join("|", movies.genres(i)),
                        movies.year(i).isPresent() ? Integer.toString(movies.year(i).getAsInt()) : ""});
            }
            items = AttributeTable.of(rows.name() + " movies", List.of(spec.data().item(), "title", "genres", "year"),
                    spec.data().item(), values);
        }
        IdMapping userIds = rows.interactions().users();
        if (users == null && rows.users().isPresent()) {
            Users people = rows.users().get();
            List<String[]> values = new ArrayList<>();
            for (int u = 0; u < people.size(); u++) {
                values.add(new String[] {userIds.rawId(u),
                        people.age(u).isPresent() ? Integer.toString(people.age(u).getAsInt()) : "",
                        people.gender(u).orElse(""), people.occupation(u).orElse(""), people.zip(u).orElse("")});
            }
            users = AttributeTable.of(rows.name() + " users", List.of(spec.data().user(), "age", "gender",
                    "occupation", "zip"), spec.data().user(), values);
        }
        return new SpecData(rows, items, users);
    }

    /**
     * This data, or when it has no item table one whose {@code titleColumn} is each item's id:
     * the two-tower preset reads titles, and on ratings without movies it has always embedded the
     * ids in their place.
     */
    public SpecData withIdsAsTitles(String itemColumn, String titleColumn) {
        if (items != null) {
            return this;
        }
        List<String[]> values = new ArrayList<>();
        for (String id : interactions.interactions().items().rawIds()) {
            values.add(new String[] {id, id});
        }
        return new SpecData(interactions, AttributeTable.of(interactions.name() + " items (ids as titles)",
                List.of(itemColumn, titleColumn), itemColumn, values), users);
    }

    private static SpecData withTables(FeatureSpec spec, Path specDir, RatingsData rows) {
        return new SpecData(rows, table(specDir, spec.data().items()), table(specDir, spec.data().users()));
    }

    private static AttributeTable table(Path specDir, FeatureSpec.Table table) {
        if (table == null) {
            return null;
        }
        Path file = specDir.resolve(table.path());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("spec data table " + table.path() + ": no such file " + file
                    + " (paths are relative to the spec file)");
        }
        return AttributeTable.read(file, table.id());
    }
}
