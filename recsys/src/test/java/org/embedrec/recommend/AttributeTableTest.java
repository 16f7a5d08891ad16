package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The packed table gives back every value it was built from, null or not, whatever blocks the rows landed in. */
class AttributeTableTest {

    @Property(tries = 200)
    void everyValueReadsBackAsItWasGiven(@ForAll("tables") List<String[]> columns,
                                         @ForAll @IntRange(min = 1, max = 4) int smallBlocks) {
        int rows = columns.isEmpty() ? 0 : columns.get(0).length;
        // Small blocks put a few rows in each, so rows start at the start of later blocks too.
        int blockBytes = smallBlocks == 1 ? AttributeTable.BLOCK_BYTES : maxRowBytes(columns, rows) * smallBlocks;
        AttributeTable table = AttributeTable.of(columns, rows, Math.max(blockBytes, 1));
        for (int a = 0; a < columns.size(); a++) {
            assertThat(table.column(a)).containsExactly(columns.get(a));
            for (int r = 0; r < rows; r++) {
                String value = columns.get(a)[r];
                assertThat(table.get(r, a)).isEqualTo(value);
                assertThat(table.row(r)[a]).isEqualTo(value);
                if (value != null) {
                    assertThat(table.valueEquals(r, a, value.getBytes(StandardCharsets.UTF_8))).isTrue();
                    assertThat(table.valueEquals(r, a, (value + "x").getBytes(StandardCharsets.UTF_8))).isFalse();
                } else {
                    assertThat(table.valueEquals(r, a, new byte[0])).isFalse(); // no value is not the empty value
                }
            }
        }
    }

    @Test
    void longValuesTakeSeveralLengthBytes() {
        String[] column = {"x".repeat(126), "y".repeat(128), "z".repeat(20_000), "", null, "\u00e9\u2713\ud83c\udfac"};
        AttributeTable table = AttributeTable.of(List.<String[]>of(column, column.clone()), column.length);
        for (int r = 0; r < column.length; r++) {
            assertThat(table.get(r, 0)).isEqualTo(column[r]);
            assertThat(table.get(r, 1)).isEqualTo(column[r]);
        }
        // A length code is the length + 1: 127 fits one 7-bit group, 129 needs two, 20,001 three; no value is one zero byte.
        assertThat(table.bytes()).isEqualTo(8L * 6 + 2 * ((1 + 126) + (2 + 128) + (3 + 20_000) + 1 + 1 + (1 + 9)));
    }

    @Test
    void aLoneSurrogateIsRefusedNamingItsPlace() {
        String[] column = {"fine", "bad \ud800 value"};
        assertThatThrownBy(() -> AttributeTable.of(List.<String[]>of(column), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1, column 0").hasMessageContaining("surrogate");
        assertThat(AttributeTable.exactUtf8("\ud800")).isNull();
        assertThat(AttributeTable.exactUtf8("\ud83c\udfac")).isEqualTo("\ud83c\udfac".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRowLargerThanABlockIsRefused() {
        String[] column = {"abc", "a long value"};
        assertThatThrownBy(() -> AttributeTable.of(List.<String[]>of(column), 2, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    }

    @Provide
    Arbitrary<List<String[]>> tables() {
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40)
                .filter(s -> AttributeTable.exactUtf8(s) != null), Arbitraries.just(null), Arbitraries.just(""),
                Arbitraries.strings().ofLength(200).alpha());
        return Arbitraries.integers().between(0, 30).flatMap(rows -> Arbitraries.integers().between(0, 5)
                .flatMap(cols -> values.array(String[].class).ofSize(rows).list().ofSize(cols)));
    }

    private static int maxRowBytes(List<String[]> columns, int rows) {
        int max = 1;
        for (int r = 0; r < rows; r++) {
            int bytes = 0;
            for (String[] column : columns) {
                bytes += column[r] == null ? 1 : 3 + column[r].getBytes(StandardCharsets.UTF_8).length;
            }
            max = Math.max(max, bytes);
        }
        return max;
    }
}
