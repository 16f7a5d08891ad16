package org.embedrec.data;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file read under a column mapping that the input chooses, as a user's {@code --map}
 * would: the input's first byte is the mapping, the rest the file. Whatever the pair, the file
 * reads or fails with an IllegalArgumentException ({@link DataFormatException} for a line),
 * under either bad-line policy.
 *
 * <p>The first byte's bits: 0 header row; 1 columns by header name (user, item, rating, ts)
 * rather than by index (0, 1, 2, 3); 2-3 the delimiter (comma, semicolon, tab, pipe); 4 a
 * rating column; 5 a timestamp column; 6 keep the other columns; 7 skip bad lines. Seeds are
 * named after the byte they start with.
 */
class MappedCsvFuzzTest {
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void mappedCsv(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int options = input[0] & 0xFF;
        Path file = dir.resolve("interactions.csv");
        Files.write(file, Arrays.copyOfRange(input, 1, input.length));
        ColumnMapping mapping = mapping(options);
        BadLinePolicy policy = (options & 0x80) != 0 ? BadLinePolicy.SKIP : BadLinePolicy.FAIL;
        loadsOrFailsWith(() -> CsvRatingsReader.read(file, mapping, policy), IllegalArgumentException.class);
    }

    static ColumnMapping mapping(int options) {
        boolean byName = (options & 2) != 0;
        ColumnMapping.Builder b = ColumnMapping.builder().header((options & 1) != 0)
                .delimiter(DELIMITERS[(options >> 2) & 3]).charset(StandardCharsets.UTF_8)
                .keepExtraColumns((options & 0x40) != 0);
        if (byName) {
            b.user("user").item("item");
        } else {
            b.user(0).item(1);
        }
        if ((options & 0x10) != 0 && byName) {
            b.rating("rating");
        } else if ((options & 0x10) != 0) {
            b.rating(2);
        }
        if ((options & 0x20) != 0 && byName) {
            b.timestamp("ts");
        } else if ((options & 0x20) != 0) {
            b.timestamp(3);
        }
        return b.build();
    }
}
