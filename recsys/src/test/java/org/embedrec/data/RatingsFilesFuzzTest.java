package org.embedrec.data;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as a ratings CSV (mapped by header names) or as a side table either read or fail
 * with a {@link DataFormatException} or IllegalArgumentException naming the file and line.
 */
class RatingsFilesFuzzTest {
    private static final ColumnMapping BY_HEADER = ColumnMapping.builder()
            .user("user_id").item("item_id").rating("rating").timestamp("timestamp").build();

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void ratingsCsv(byte[] input) throws Exception {
        Path file = dir.resolve("ratings.csv");
        Files.write(file, input);
        loadsOrFailsWith(() -> CsvRatingsReader.read(file, BY_HEADER), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void attributeTable(byte[] input) throws Exception {
        Path file = dir.resolve("items.csv");
        Files.write(file, input);
        loadsOrFailsWith(() -> AttributeTable.read(file, "item_id"), IllegalArgumentException.class);
    }
}
