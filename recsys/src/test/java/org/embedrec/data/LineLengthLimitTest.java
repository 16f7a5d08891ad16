package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.embedrec.data.movielens.MovieLensReader;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line longer than the cap is refused with its file and line as soon as it passes the cap:
 * an endless generated line (what a 10 GB file without line breaks looks like to a reader) ends
 * the read after little more than the cap, under the line reader and the CSV reader alike; and
 * each data file reader refuses a file with one line just over {@link LineLengthLimit#MAX_LINE_CHARS}.
 */
class LineLengthLimitTest {

    /** Two good lines, then one that never ends; counts what it hands out. */
    private static final class EndlessLine extends Reader {
        private final String head;
        long produced;

        EndlessLine(String head) {
            this.head = head;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = produced < head.length() ? head.charAt((int) produced) : 'x';
                produced++;
            }
            return length;
        }

        @Override
        public void close() {}
    }

    @Test
    void anEndlessLineStopsTheLineReaderJustAfterTheCap() {
        EndlessLine source = new EndlessLine("1\t2\t5\t881250949\n3\t4\t1\t881250950\n");
        BufferedReader lines = new BufferedReader(new LineLengthLimit(source, "u.data", 10_000));
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(lines.readLine()).isEqualTo("1\t2\t5\t881250949");
            assertThat(lines.readLine()).isEqualTo("3\t4\t1\t881250950");
            assertThatThrownBy(lines::readLine).isInstanceOf(DataFormatException.class)
                    .hasMessageStartingWith("u.data line 3: a line longer than 10,000 characters; is this the right "
                            + "file? It starts: 'xxxx");
        });
        // The buffered reader asks for 8,192 characters at a time: the read stopped within one buffer of the cap.
        assertThat(source.produced).isLessThan(10_000 + 3 * 8192);
    }

    @Test
    void anEndlessLineStopsTheCsvReaderJustAfterTheCap() {
        EndlessLine source = new EndlessLine("user,item\na,b\n");
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Throwable thrown = catchThrowable(() -> {
                try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(new LineLengthLimit(source, "big.csv",
                        10_000))) {
                    csv.forEach(record -> { });
                }
            });
            assertThat(LineLengthLimit.cause(thrown)).get().extracting(Throwable::getMessage).asString()
                    .startsWith("big.csv line 3: a line longer than 10,000 characters");
        });
        assertThat(source.produced).isLessThan(10_000 + 256 * 1024);
    }

    @Test
    void everyFileReaderRefusesALineOverTheCapWithFileAndLine(@TempDir Path dir) throws IOException {
        String longLine = "7".repeat(LineLengthLimit.MAX_LINE_CHARS + 1);
        Path ml = Files.createDirectories(dir.resolve("ml"));
        Files.writeString(ml.resolve("u.data"), "1\t2\t5\t881250949\n1\t3\t4\t881250949\n" + longLine + "\n");
        assertThatThrownBy(() -> MovieLensReader.read(ml, BadLinePolicy.SKIP))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("u.data line 3: a line longer than 1,048,576 characters");

        Path csv = Files.writeString(dir.resolve("ratings.csv"), "user,item,rating\nu1,i1,4\n" + longLine + "\n");
        ColumnMapping mapping = ColumnMapping.builder().user("user").item("item").rating("rating").header(true).build();
        assertThatThrownBy(() -> CsvRatingsReader.read(csv, mapping, BadLinePolicy.FAIL))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("ratings.csv line 3: a line longer than 1,048,576 characters");

        Path items = Files.writeString(dir.resolve("items.csv"), "item_id,title\ni1,\"" + longLine + "\"\n");
        assertThatThrownBy(() -> AttributeTable.read(items, "item_id"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("items.csv line 2: a line longer than 1,048,576 characters");
    }

    @Test
    void linesUpToTheCapAreRead() throws IOException {
        String line = "y".repeat(50);
        BufferedReader lines = new BufferedReader(new LineLengthLimit(new StringReader(line + "\n" + line),
                "f", 50));
        assertThat(lines.readLine()).isEqualTo(line);
        assertThat(lines.readLine()).isEqualTo(line);
        assertThat(lines.readLine()).isNull();
    }
}
