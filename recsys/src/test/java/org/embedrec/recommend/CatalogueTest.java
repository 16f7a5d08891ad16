package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's attributes, as views, and its popularity order, on a catalogue written by hand. */
class CatalogueTest {
    private static Catalogue catalogue() {
        Map<String, String[]> attributes = new LinkedHashMap<>();
        attributes.put("title", new String[] {"Alpha", null, "Gamma", "Delta"});
        attributes.put("genre", new String[] {"a", "b", null, "d"});
        return new Catalogue(List.of("i0", "i1", "i2", "i3"), attributes, new long[] {3, 5, 0, 5});
    }

    @Test
    void anItemsAttributesAreAViewInColumnOrderWithoutTheOnesItLacks() {
        Catalogue c = catalogue();
        Map<String, String> first = c.attributes(0);
        assertThat(first).containsExactly(Map.entry("title", "Alpha"), Map.entry("genre", "a"));
        assertThat(first).isEqualTo(Map.of("genre", "a", "title", "Alpha")).hasSameHashCodeAs(
                Map.of("genre", "a", "title", "Alpha"));
        assertThat(c.attributes(1)).containsExactly(Map.entry("genre", "b")).doesNotContainKey("title");
        assertThat(c.attributes(2)).containsExactly(Map.entry("title", "Gamma"));
        assertThat(c.attributes(1).get("title")).isNull();
        assertThat(c.title(1)).isNull();
        assertThat(c.title(3)).isEqualTo("Delta");
        assertThat(c.attribute(3, "genre")).isEqualTo("d");
        assertThat(c.attribute(3, "colour")).isNull();
        assertThatThrownBy(() -> c.attributes(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.attributes(0).put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void popularityIsTheShareOfInteractionsOrderedByCountThenRow() {
        Catalogue c = catalogue();
        assertThat(c.rowsByPopularity()).containsExactly(1, 3, 0, 2);
        assertThat(c.popularity(1)).isEqualTo(5f / 13);
        assertThat(c.popularity(2)).isZero();
        assertThat(c.row("i3")).isEqualTo(3);
        assertThat(c.row("nope")).isEqualTo(-1);
    }

    @Test
    void columnsAndCountsMustHaveOneEntryPerItem() {
        assertThatThrownBy(() -> new Catalogue(List.of("a", "b"), Map.of("title", new String[] {"x"}), new long[2]))
                .hasMessage("item attribute 'title': 1 values for 2 items");
        assertThatThrownBy(() -> new Catalogue(List.of("a", "b"), Map.of(), new long[3]))
                .hasMessage("item popularity: 3 counts for 2 items");
        assertThatThrownBy(() -> new Catalogue(List.of("a", "b"), Map.of(), new long[] {1, -1}))
                .hasMessage("item popularity: item 'b' has a negative count -1");
        assertThatThrownBy(() -> new Catalogue(List.of("a", "a"), Map.of(), new long[2]))
                .hasMessageContaining("duplicate raw id 'a'");
    }
}
