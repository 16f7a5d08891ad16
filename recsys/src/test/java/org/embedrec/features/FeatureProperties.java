package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

class FeatureProperties {

    @Property
    void stringLookupIdsAreWithinTheVocabulary(@ForAll @Size(max = 30) List<@StringLength(max = 4) String> training,
            @ForAll @Size(max = 30) List<@StringLength(max = 4) String> queries,
            @ForAll @IntRange(min = 1, max = 5) int numOov, @ForAll boolean mask) {
        StringLookup.Builder b = StringLookup.builder().numOovIndices(numOov).adapt(training);
        if (mask) {
            b.maskToken("");
        }
        StringLookup lookup = b.build();
        for (String q : queries) {
            assertThat(lookup.lookup(q)).isBetween(0, lookup.vocabularySize() - 1);
        }
        for (int id = lookup.firstVocabularyId(); id < lookup.vocabularySize(); id++) {
            assertThat(lookup.lookup(lookup.inverse(id))).isEqualTo(id);
        }
    }

    @Property
    void integerLookupIdsAreWithinTheVocabulary(@ForAll @Size(max = 50) int[] training, @ForAll int[] queries,
            @ForAll @IntRange(min = 0, max = 5) int numOov) {
        IntegerLookup lookup = IntegerLookup.builder().numOovIndices(numOov).adapt(training).build();
        for (int q : queries) {
            if (numOov > 0 || Arrays.stream(lookup.vocabulary()).anyMatch(v -> v == q)) {
                assertThat(lookup.lookup(q)).isBetween(0, lookup.vocabularySize() - 1);
            }
        }
        for (int id = lookup.firstVocabularyId(); id < lookup.vocabularySize(); id++) {
            assertThat(lookup.lookup(lookup.inverse(id))).isEqualTo(id);
        }
    }

    @Property
    void hashingIsStableAndWithinBins(@ForAll String s, @ForAll long v, @ForAll long salt,
            @ForAll @IntRange(min = 1) int numBins) {
        Hashing hashing = new Hashing(numBins, salt);
        int bin = hashing.hash(s);
        assertThat(bin).isBetween(0, numBins - 1).isEqualTo(new Hashing(numBins, salt).hash(s));
        assertThat(hashing.hash(v)).isBetween(0, numBins - 1).isEqualTo(new Hashing(numBins, salt).hash(v));
        boolean wellFormed = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
        if (wellFormed) {
            assertThat(StableHash.hashString(s, salt)).isEqualTo(FnvReference.hash(s, salt));
        }
    }

    @Property
    void categoryCrossIsWithinBins(@ForAll int a, @ForAll int b, @ForAll int c, @ForAll @IntRange(min = 1) int numBins) {
        CategoryCross cross = new CategoryCross(numBins, 11);
        assertThat(cross.cross(a, b)).isBetween(0, numBins - 1);
        assertThat(cross.cross(a, b, c)).isBetween(0, numBins - 1);
    }

    @Property
    void discretizationIsMonotoneAndMatchesItsBoundaries(
            @ForAll @UniqueElements @Size(max = 20) List<@DoubleRange(min = -1e6, max = 1e6) Double> raw,
            @ForAll @DoubleRange(min = -2e6, max = 2e6) double x, @ForAll @DoubleRange(min = 0, max = 1e5) double dx) {
        double[] boundaries = raw.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Discretization d = Discretization.withBoundaries(boundaries);
        int bx = d.bucket(x);
        assertThat(bx).isBetween(0, d.numBins() - 1);
        assertThat(d.bucket(x + dx)).isGreaterThanOrEqualTo(bx);
        if (bx > 0) {
            assertThat(boundaries[bx - 1]).isLessThanOrEqualTo(x);
        }
        if (bx < boundaries.length) {
            assertThat(x).isLessThan(boundaries[bx]);
        }
    }

    @Property
    void quantileBucketsAreMonotoneAndInRange(@ForAll @Size(min = 1, max = 200) List<@IntRange(min = -50, max = 50) Integer> data,
            @ForAll @IntRange(min = 1, max = 20) int numBins) {
        double[] values = data.stream().mapToDouble(Integer::doubleValue).toArray();
        Discretization d = Discretization.builder(numBins).adapt(values).build();
        assertThat(d.numBins()).isBetween(1, numBins);
        Arrays.sort(values);
        int[] buckets = d.bucket(values);
        for (int i = 1; i < buckets.length; i++) {
            assertThat(buckets[i]).isGreaterThanOrEqualTo(buckets[i - 1]);
        }
        assertThat(buckets[0]).isZero();
    }

    @Property
    void equalWidthCoversMinToMax(@ForAll @DoubleRange(min = -1e9, max = 1e9) double min,
            @ForAll @DoubleRange(min = 1, max = 1e9) double width, @ForAll @IntRange(min = 1, max = 2000) int numBins) {
        Discretization d = Discretization.equalWidth(min, min + width, numBins);
        assertThat(d.numBins()).isEqualTo(numBins);
        assertThat(d.bucket(min)).isZero();
        assertThat(d.bucket(min + width)).isEqualTo(numBins - 1);
    }

    @Property
    void textVectorizationIdsAreWithinTheVocabulary(@ForAll @Size(max = 10) List<String> training,
            @ForAll @Size(max = 10) List<String> texts, @ForAll @IntRange(min = 1, max = 8) int length) {
        TextVectorization tv = TextVectorization.builder(length).adapt(training).build();
        int[] ids = tv.transform(texts.toArray(new String[0]));
        assertThat(ids).hasSize(texts.size() * length);
        for (int id : ids) {
            assertThat(id).isBetween(0, tv.vocabularySize() - 1);
        }
        for (String text : training) {
            int[] row = tv.transform(text);
            assertThat(row).doesNotContain(TextVectorization.OOV_ID);
        }
    }
}
