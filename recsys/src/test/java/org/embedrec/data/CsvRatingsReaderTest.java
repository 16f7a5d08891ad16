package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.data.Fixtures.lines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRatingsReaderTest {
    @TempDir
    Path dir;

    @Test
    void mapsColumnsByNameAndKeepsTheRestAsStringColumns() {
        Path file = Fixtures.write(dir, "events.csv", lines(
                "when,who,what,score,comment",
                "1000,alice,m1,4,\"great, really\"",
                "1001,bob,m2,3,\"said \"\"meh\"\"\"",
                "1002,alice,m2,5,"));
        ColumnMapping mapping = ColumnMapping.builder().user("who").item("what").rating("score").timestamp("when")
                .build();

        RatingsData data = CsvRatingsReader.read(file, mapping);

        assertThat(data.name()).isEqualTo("events");
        Interactions x = data.interactions();
        assertThat(x.size()).isEqualTo(3);
        assertThat(x.users().rawIds()).containsExactly("alice", "bob");
        assertThat(x.items().rawIds()).containsExactly("m1", "m2");
        assertThat(x.rating(2)).isEqualTo(5f);
        assertThat(x.timestamp(1)).isEqualTo(1001L);
        assertThat(x.extraColumnNames()).containsExactly("comment");
        assertThat(x.extraColumn("comment")).containsExactly("great, really", "said \"meh\"", "");
    }

    @Test
    void mapsColumnsByIndexWithoutHeaderInATsvWithoutRatings() {
        Path file = Fixtures.write(dir, "clicks.tsv", lines("u1\ti1\t2020-01-02T03:04:05Z", "u2\ti1\t2020-01-03"));
        ColumnMapping mapping = ColumnMapping.builder().user(0).item(1).timestamp(2).header(false).delimiter('\t')
                .build();

        Interactions x = CsvRatingsReader.read(file, mapping).interactions();

        assertThat(x.hasRatings()).isFalse();
        assertThat(x.rating(0)).isEqualTo(1f);
        assertThat(x.timestamp(0)).isEqualTo(1577934245L);
        assertThat(x.timestamp(1)).isEqualTo(1578009600L);
        assertThat(x.extraColumnNames()).isEmpty();
    }

    @Test
    void withoutTimestampColumnTheFlagIsOff() {
        Path file = Fixtures.write(dir, "r.csv", lines("u,i,r,note", "1,2,3.5,x"));
        ColumnMapping mapping = ColumnMapping.builder().user("u").item("i").rating("r").keepExtraColumns(false).build();

        Interactions x = CsvRatingsReader.read(file, mapping).interactions();

        assertThat(x.hasTimestamps()).isFalse();
        assertThat(x.rating(0)).isEqualTo(3.5f);
        assertThat(x.extraColumnNames()).isEmpty();
    }

    @Test
    void readsLatin1WhenAskedTo() {
        Path file = Fixtures.write(dir, "r.csv", lines("user,item", "zoë,Misérables"), StandardCharsets.ISO_8859_1);
        ColumnMapping mapping = ColumnMapping.builder().user("user").item("item").charset(StandardCharsets.ISO_8859_1)
                .build();

        Interactions x = CsvRatingsReader.read(file, mapping).interactions();

        assertThat(x.users().rawId(0)).isEqualTo("zoë");
        assertThat(x.items().rawId(0)).isEqualTo("Misérables");
    }

    @Test
    void badValuesNameFileLineColumnAndText() {
        Path file = Fixtures.write(dir, "r.csv", lines("u,i,r,t", "1,2,3,10", "1,3,lots,11", "1,4,2,noon", "1,5"));
        ColumnMapping mapping = ColumnMapping.builder().user("u").item("i").rating("r").timestamp("t").build();

        assertThatThrownBy(() -> CsvRatingsReader.read(file, mapping))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("r.csv line 3: expected a number in column 'r', got 'lots': '1,3,lots,11'");
        RatingsData data = CsvRatingsReader.read(file, mapping, BadLinePolicy.SKIP);
        assertThat(data.interactions().size()).isEqualTo(1);
        assertThat(data.skippedLines()).isEqualTo(3);
        assertThat(data.skipReasons()).containsExactly(
                "r.csv line 3: expected a number in column 'r', got 'lots': '1,3,lots,11'",
                "r.csv line 4: expected a timestamp (integer seconds or ISO-8601) in column 't', got 'noon': '1,4,2,noon'",
                "r.csv line 5: expected 4 fields [u, i, r, t], got 2: '1,5'");
        assertThat(data.interactions().items().rawIds()).as("skipped lines add no ids").containsExactly("2");
    }

    @Test
    void lineNumbersCountPhysicalLinesAcrossQuotedLineBreaks() {
        Path file = Fixtures.write(dir, "r.csv", lines("u,i,r,note", "1,2,3,\"two", "lines\"", "1,3,x,y"));
        ColumnMapping mapping = ColumnMapping.builder().user("u").item("i").rating("r").build();

        assertThatThrownBy(() -> CsvRatingsReader.read(file, mapping)).hasMessageStartingWith("r.csv line 4:");
    }

    @Test
    void mappingErrorsAreClear() {
        Path file = Fixtures.write(dir, "r.csv", lines("u,i,r", "1,2,3"));

        assertThatThrownBy(() -> CsvRatingsReader.read(file, ColumnMapping.builder().user("user").item("i").build()))
                .hasMessage("r.csv: the user column 'user' is not among the columns [u, i, r]");
        assertThatThrownBy(() -> CsvRatingsReader.read(file, ColumnMapping.builder().user(0).item(5).build()))
                .hasMessage("r.csv: the item column index 5 is out of range, the table has 3 columns");
        assertThatThrownBy(() -> CsvRatingsReader.read(file,
                ColumnMapping.builder().user("u").item("i").header(false).build()))
                .hasMessageContaining("the user column is given by name 'u' but the table has no header");
        assertThatThrownBy(() -> ColumnMapping.builder().user("u").item("u").build())
                .hasMessage("column 'u' is mapped twice");
        assertThatThrownBy(() -> ColumnMapping.builder().user("u").build())
                .hasMessageContaining("needs a user column and an item column");
        assertThatThrownBy(() -> CsvRatingsReader.read(dir.resolve("absent.csv"), ColumnMapping.movieLensCsv()))
                .hasMessageContaining("no such file");
        Path empty = Fixtures.write(dir, "empty.csv", "");
        assertThatThrownBy(() -> CsvRatingsReader.read(empty, ColumnMapping.movieLensCsv()))
                .hasMessage("empty.csv: expected a header row, the file is empty");
    }
}
