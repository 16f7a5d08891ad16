package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntegerLookupTest {
    // Counts: 7 x3, 42 x2, 3 x2, 100 x1. By count, ties ascending: 7, 3, 42, 100.
    private static final int[] DATA = {42, 7, 3, 7, 100, 42, 3, 7};

    @Test
    void vocabularyIsOrderedByFrequencyThenKey() {
        IntegerLookup lookup = IntegerLookup.builder().adapt(DATA).build();
        assertThat(lookup.vocabulary()).containsExactly(7, 3, 42, 100);
        assertThat(lookup.vocabularySize()).isEqualTo(5);
        assertThat(lookup.lookup(7)).isEqualTo(1);
        assertThat(lookup.lookup(100)).isEqualTo(4);
        assertThat(lookup.lookup(5)).isEqualTo(0);
        assertThat(lookup.inverse(0)).isEqualTo(-1);
        assertThat(lookup.inverse(3)).isEqualTo(42);
    }

    @Test
    void maskValueTakesIdZero() {
        IntegerLookup lookup = IntegerLookup.builder().maskValue(0).maxTokens(4).adapt(DATA).adapt(new int[] {0, 0, 0, 0})
                .build();
        // Mask 0 -> id 0, OOV -> 1, then 7 and 3; the mask value's own count does not make it vocabulary.
        assertThat(lookup.vocabulary()).containsExactly(7, 3);
        assertThat(lookup.lookup(new int[] {0, 7, 3, 42})).containsExactly(0, 2, 3, 1);
        assertThat(lookup.inverse(0)).isEqualTo(0);
    }

    @Test
    void severalOovBucketsHashUnknownKeys() {
        IntegerLookup lookup = IntegerLookup.builder().numOovIndices(4).adapt(DATA).build();
        assertThat(lookup.lookup(7)).isEqualTo(4);
        int[] seen = new int[4];
        for (int key = 1000; key < 1400; key++) {
            int id = lookup.lookup(key);
            assertThat(id).isEqualTo(StableHash.bin(StableHash.hashLong(key, 0), 4));
            seen[id]++;
        }
        assertThat(java.util.Arrays.stream(seen).boxed().toList()).allSatisfy(n -> assertThat(n).isGreaterThan(60));
    }

    @Test
    void manyKeysGrowTheMap() {
        int[] keys = new int[5000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i * 7919 - 20000;
        }
        IntegerLookup lookup = IntegerLookup.builder().adapt(keys).build();
        assertThat(lookup.vocabularySize()).isEqualTo(5001);
        // All counts are 1, so the order is by key, ascending: key i has id i + 1.
        for (int i = 0; i < keys.length; i++) {
            assertThat(lookup.lookup(keys[i])).isEqualTo(i + 1);
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> IntegerLookup.builder().vocabulary(new int[] {1, 2, 1}).build())
                .hasMessageContaining("entry 2 (1) is a duplicate");
        assertThatThrownBy(() -> IntegerLookup.builder().vocabulary(new int[] {1, -1}).build())
                .hasMessageContaining("OOV value");
        IntegerLookup strict = IntegerLookup.builder().numOovIndices(0).adapt(DATA).build();
        assertThatThrownBy(() -> strict.lookup(new int[] {7, 8}, new int[2]))
                .hasMessageContaining("key 8 at position 1 is not in the vocabulary");
        assertThatThrownBy(() -> strict.inverse(-1)).hasMessageContaining("out of range");
    }

    @Test
    void jsonRoundTrip() {
        IntegerLookup plain = IntegerLookup.builder().adapt(DATA).build();
        IntegerLookup masked = IntegerLookup.builder().maskValue(0).numOovIndices(3).oovValue(-5).adapt(DATA).build();
        assertThat(IntegerLookup.fromJson(JsonRoundTrip.throughText(plain))).isEqualTo(plain);
        assertThat(IntegerLookup.fromJson(JsonRoundTrip.throughText(masked))).isEqualTo(masked);
        assertThat(IntegerLookup.fromJson(plain.toJson())).isNotEqualTo(masked);
        assertThatThrownBy(() -> IntegerLookup.fromJson(JsonRoundTrip.parse(
                JsonRoundTrip.write(plain).replace("\"oovValue\":-1", "\"oovValue\":\"x\""))))
                .hasMessage("IntegerLookup JSON: field \"oovValue\" must be a 32-bit integer, got \"x\"");
    }
}
