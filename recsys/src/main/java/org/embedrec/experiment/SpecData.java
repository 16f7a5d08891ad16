package org.embedrec.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.ColumnMapping;
import org.embedrec.data.CsvRatingsReader;
import org.embedrec.data.JdbcReader;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.features.FeatureSpec;

/**
 * The data a feature spec names, read: the interactions from a CSV file with a header (or a
 * JDBC query), their columns mapped by the spec's {@code data} section (user, item, label,
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
     * the spec's side tables, resolved against {@code specDir}.
     */
    public static SpecData read(FeatureSpec spec, Path specDir, Path csv, BadLinePolicy policy, ReadProgress progress) {
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
