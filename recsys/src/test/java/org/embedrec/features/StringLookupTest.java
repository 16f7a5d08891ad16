package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StringLookupTest {
    // Counts: b x3, a x2, c x2, d x1. By count, ties ascending: b, a, c, d.
    private static final String[] DATA = {"c", "b", "a", "b", "d", "c", "a", "b"};

    @Test
    void vocabularyIsOrderedByFrequencyThenLexicographically() {
        StringLookup lookup = StringLookup.builder().adapt(DATA).build();
        assertThat(lookup.vocabulary()).containsExactly("b", "a", "c", "d");
        // Default: id 0 is OOV, vocabulary from 1.
        assertThat(lookup.vocabularySize()).isEqualTo(5);
        assertThat(lookup.lookup("b")).isEqualTo(1);
        assertThat(lookup.lookup("d")).isEqualTo(4);
        assertThat(lookup.lookup("zebra")).isEqualTo(0);
        assertThat(lookup.inverse(0)).isEqualTo("[UNK]");
        assertThat(lookup.inverse(3)).isEqualTo("c");
    }

    @Test
    void vocabularyDoesNotDependOnDataOrderOrBatching() {
        StringLookup once = StringLookup.builder().adapt(DATA).build();
        StringLookup batched = StringLookup.builder()
                .adapt(new String[] {"d", "a", "b"}).adapt(List.of("c", "c", "b", "a", "b")).build();
        assertThat(batched).isEqualTo(once);
    }

    @Test
    void maxTokensCountsOovAndMask() {
        // 4 ids in total: mask, OOV, then the two most frequent tokens.
        StringLookup lookup = StringLookup.builder().maxTokens(4).maskToken("").adapt(DATA).build();
        assertThat(lookup.vocabulary()).containsExactly("b", "a");
        assertThat(lookup.vocabularySize()).isEqualTo(4);
        assertThat(lookup.lookup("")).isEqualTo(0);
        assertThat(lookup.lookup("c")).isEqualTo(1);
        assertThat(lookup.lookup("b")).isEqualTo(2);
        assertThat(lookup.inverse(0)).isEmpty();
        assertThat(lookup.inverse(1)).isEqualTo("[UNK]");
    }

    @Test
    void maskAndOovTokensInTheDataAreNotVocabulary() {
        StringLookup lookup = StringLookup.builder().maskToken("").adapt(new String[] {"", "", "", "x", "[UNK]"}).build();
        assertThat(lookup.vocabulary()).containsExactly("x");
    }

    @Test
    void severalOovBucketsHashUnknownStringsDeterministically() {
        StringLookup lookup = StringLookup.builder().numOovIndices(3).adapt(DATA).build();
        assertThat(lookup.vocabularySize()).isEqualTo(7);
        assertThat(lookup.firstVocabularyId()).isEqualTo(3);
        assertThat(lookup.lookup("b")).isEqualTo(3);
        int[] seen = new int[3];
        for (int i = 0; i < 300; i++) {
            int id = lookup.lookup("unknown-" + i);
            assertThat(id).isBetween(0, 2);
            assertThat(id).isEqualTo(StableHash.bin(StableHash.hashString("unknown-" + i, 0), 3));
            seen[id]++;
        }
        assertThat(java.util.Arrays.stream(seen).boxed().toList()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
    }

    @Test
    void severalOovBucketsAfterTheMask() {
        StringLookup lookup = StringLookup.builder().numOovIndices(2).maskToken("[MASK]").adapt(DATA).build();
        assertThat(lookup.lookup("[MASK]")).isEqualTo(0);
        assertThat(lookup.lookup("zzz")).isBetween(1, 2);
        assertThat(lookup.lookup("b")).isEqualTo(3);
        assertThat(lookup.inverse(2)).isEqualTo("[UNK]");
    }

    @Test
    void noOovIndicesMakesUnknownStringsAnError() {
        StringLookup lookup = StringLookup.builder().numOovIndices(0).adapt(DATA).build();
        assertThat(lookup.lookup("b")).isEqualTo(0);
        assertThatThrownBy(() -> lookup.lookup(new String[] {"a", "nope"}, new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"nope\" at position 1 is not in the vocabulary");
    }

    @Test
    void batchLookupWritesIntoAReusedBuffer() {
        StringLookup lookup = StringLookup.builder().adapt(DATA).build();
        int[] out = {-9, -9, -9, -9};
        lookup.lookup(new String[] {"a", "q", "d"}, out);
        assertThat(out).containsExactly(2, 0, 4, -9);
        assertThat(lookup.lookup(new String[] {"c"})).containsExactly(3);
    }

    @Test
    void explicitVocabularyKeepsItsOrder() {
        StringLookup lookup = StringLookup.builder().vocabulary(List.of("z", "y")).build();
        assertThat(lookup.lookup("z")).isEqualTo(1);
        assertThat(lookup.lookup("y")).isEqualTo(2);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> StringLookup.builder().vocabulary(List.of("a", "b", "a")).build())
                .hasMessageContaining("entry 2 \"a\" is a duplicate");
        assertThatThrownBy(() -> StringLookup.builder().vocabulary(List.of("a", "[UNK]")).build())
                .hasMessageContaining("OOV token");
        assertThatThrownBy(() -> StringLookup.builder().adapt(new String[] {"a", null}))
                .hasMessageContaining("position 1 is null");
        assertThatThrownBy(() -> StringLookup.builder().numOovIndices(-1))
                .hasMessageContaining("numOovIndices must be >= 0");
        assertThatThrownBy(() -> StringLookup.builder().maxTokens(1).adapt(DATA).build())
                .hasMessageContaining("leaves no room");
        assertThatThrownBy(() -> StringLookup.builder().vocabulary(List.of("a")).adapt(DATA).build())
                .isInstanceOf(IllegalStateException.class);
        StringLookup lookup = StringLookup.builder().adapt(DATA).build();
        assertThatThrownBy(() -> lookup.inverse(5)).hasMessageContaining("id 5 out of range [0, 5)");
        assertThatThrownBy(() -> lookup.lookup(new String[] {"a", "b"}, new int[1]))
                .hasMessageContaining("output has 1 elements for 2 values");
    }

    @Test
    void jsonRoundTrip() {
        StringLookup lookup = StringLookup.builder().numOovIndices(2).maskToken("").oovToken("<oov>")
                .adapt(new String[] {"Toy Story", "Misérables, Les", "\"quoted\"", "Toy Story"}).build();
        StringLookup back = StringLookup.fromJson(JsonRoundTrip.throughText(lookup));
        assertThat(back).isEqualTo(lookup);
        assertThat(back.lookup("Misérables, Les")).isEqualTo(lookup.lookup("Misérables, Les"));
        assertThat(StringLookup.fromJson(StringLookup.builder().adapt(DATA).build().toJson()).maskToken()).isNull();
    }

    @Test
    void jsonErrorsNameTheField() {
        String ok = JsonRoundTrip.write(StringLookup.builder().adapt(DATA).build());
        assertThatThrownBy(() -> StringLookup.fromJson(JsonRoundTrip.parse(ok.replace("\"numOovIndices\"", "\"x\""))))
                .hasMessage("StringLookup JSON: field \"numOovIndices\" is missing");
        assertThatThrownBy(() -> StringLookup.fromJson(JsonRoundTrip.parse(ok.replace("\"a\"", "7"))))
                .hasMessageContaining("field \"vocabulary\" element 1 must be a string");
        assertThatThrownBy(() -> StringLookup.fromJson(JsonRoundTrip.parse(ok.replace("\"d\"", "\"a\""))))
                .hasMessageContaining("StringLookup JSON: vocabulary entry 3 \"a\" is a duplicate");
        assertThatThrownBy(() -> StringLookup.fromJson(new Hashing(3).toJson()))
                .hasMessageContaining("\"type\" is \"Hashing\", expected \"StringLookup\"");
    }
}
