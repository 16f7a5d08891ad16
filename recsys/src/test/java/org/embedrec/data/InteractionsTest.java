package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InteractionsTest {

    @Test
    void idMappingWorksBothWays() {
        IdMapping m = IdMapping.of(List.of("b", "a", "c"));

        assertThat(m.size()).isEqualTo(3);
        assertThat(m.denseId("a")).isEqualTo(1);
        assertThat(m.rawId(2)).isEqualTo("c");
        assertThat(m.denseId("zz")).isEqualTo(-1);
        assertThat(m.rawIds()).containsExactly("b", "a", "c");
        assertThatThrownBy(() -> m.rawId(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> IdMapping.of(List.of("a", "a"))).hasMessage("duplicate raw id 'a'");
        IdMapping.Builder grown = new IdMapping.Builder(m);
        assertThat(grown.add("d")).isEqualTo(3);
        assertThat(grown.add("a")).isEqualTo(1);
    }

    @Test
    void selectKeepsMappingsAndExtraColumns() {
        IdMapping users = IdMapping.of(List.of("u"));
        IdMapping items = IdMapping.of(List.of("x", "y"));
        Interactions x = Interactions.builder().extraColumns(List.of("note"))
                .add(0, 0, 4, 10, new String[] {"first"})
                .add(0, 1, 2, 20, new String[] {"second"})
                .build(users, items);

        Interactions picked = x.select(new int[] {1});

        assertThat(picked.size()).isEqualTo(1);
        assertThat(picked.item(0)).isEqualTo(1);
        assertThat(picked.rating(0)).isEqualTo(2f);
        assertThat(picked.users()).isSameAs(users);
        assertThat(picked.extraColumn("note")).containsExactly("second");
        assertThatThrownBy(() -> picked.extraColumn("nope")).hasMessageContaining("no extra column 'nope'");
        assertThat(x.countsPerItem()).containsExactly(1, 1);
    }

    @Test
    void buildChecksIdsAgainstTheMappings() {
        IdMapping one = IdMapping.of(List.of("u"));

        assertThatThrownBy(() -> Interactions.builder().add(0, 1, 1, 0).build(one, one))
                .hasMessage("row 0: item 1 outside [0, 1)");
        assertThatThrownBy(() -> Interactions.builder().add(-1, 0, 1, 0)).hasMessageContaining("non-negative");
    }

    @Test
    void columnsAreCopiesSoTheTableStaysImmutable() {
        IdMapping one = IdMapping.of(List.of("u"));
        Interactions x = Interactions.builder().add(0, 0, 3, 5).build(one, one);

        x.ratings()[0] = 99;

        assertThat(x.rating(0)).isEqualTo(3f);
    }

    @Test
    void sideTablesMustMatchTheMappings() {
        IdMapping one = IdMapping.of(List.of("u"));
        Interactions x = Interactions.builder().add(0, 0, 3, 5).build(one, one);
        Items twoItems = Items.builder(List.of("Drama")).add("A", null, new int[0]).add("B", null, new int[] {0})
                .build();

        assertThatThrownBy(() -> new RatingsData("d", x, twoItems, null, null, 0, List.of()))
                .hasMessage("item table has 2 rows but the item mapping has 1 ids");
    }

    @Test
    void yearsComeFromTitles() {
        assertThat(Items.yearFromTitle("Toy Story (1995)")).isEqualTo(1995);
        assertThat(Items.yearFromTitle("Babylon 5 (1994) ")).isEqualTo(1994);
        assertThat(Items.yearFromTitle("unknown")).isZero();
        assertThat(Items.yearFromTitle("Heat (19x5)")).isZero();
    }

    @Test
    void messagesEscapeControlCharactersAndTruncate() {
        DataFormatException e = new DataFormatException("f.csv", 3, "bad", "a\tb" + "x".repeat(300));

        assertThat(e.getMessage()).startsWith("f.csv line 3: bad: 'a\\tbxxx").endsWith("...'");
        assertThat(new DataFormatException("f.csv", 0, "empty", null).getMessage()).isEqualTo("f.csv: empty");
    }
}
