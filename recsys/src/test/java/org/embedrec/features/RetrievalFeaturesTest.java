package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The two-tower model's preprocessing: what the tutorial's layers compute, and a lossless JSON round trip. */
class RetrievalFeaturesTest {
    private static final String[] USERS = {"7", "3", "7", "9", "7", "3"};
    private static final long[] TIMES = {1000, 1999, 1500, 1000, 1400, 1600};
    private static final String[] TITLES = {"Toy Story (1995)", "GoldenEye (1995)", "Toy Story (1995)", "Heat!"};

    @Test
    void timestampsGetTheTutorialsLinspaceBucketsAndAreStandardised() {
        QueryFeatures f = QueryFeatures.adapt(USERS, TIMES);

        // np.linspace(1000, 1999, 1000) puts a boundary on every integer second: 1000 boundaries, 1001 buckets.
        assertThat(f.timestampBucketCount()).isEqualTo(1001);
        QueryInputs in = f.encode(new String[] {"7", "7", "7", "7", "7"}, new long[] {999, 1000, 1500, 1999, 5000});
        // The bucket is the number of boundaries <= t: none before the range, one at its start, all at or past its end.
        assertThat(in.timeBuckets()).containsExactly(0, 1, 501, 1000, 1000);
        // Mean 8499 / 6 = 1416.5; squared deviations sum to 727167.5, population variance 727167.5 / 6.
        float[] z = in.normalizedTimes();
        assertThat(z[2]).isCloseTo((float) ((1500 - 1416.5) / Math.sqrt(727167.5 / 6)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(f.timestampNormalization().mean()[0]).isEqualTo(1416.5);
    }

    @Test
    void usersAreLookedUpByFrequencyWithOneOovIdForUnseenUsers() {
        QueryFeatures f = QueryFeatures.adapt(USERS, TIMES);
        // "7" three times, "3" twice, "9" once; id 0 is out of vocabulary.
        assertThat(f.userVocabularySize()).isEqualTo(4);
        assertThat(f.encode(new String[] {"7", "3", "9", "42"}, new long[4]).users()).containsExactly(1, 2, 3, 0);
    }

    @Test
    void aConstantOrNarrowTimeRangeStillGivesStrictlyIncreasingBoundaries() {
        assertThat(QueryFeatures.linspace(5, 5)).containsExactly(5.0);
        // 999 steps over a range of 3 seconds: exact doubles, all distinct.
        assertThat(QueryFeatures.linspace(0, 3)).hasSize(1000);
        // Near 2^62 a double cannot tell neighbouring steps apart: repeats are dropped, the rest kept in order.
        double[] b = QueryFeatures.linspace(1L << 62, (1L << 62) + 4096);
        assertThat(b.length).isBetween(2, 999);
        for (int i = 1; i < b.length; i++) {
            assertThat(b[i]).isGreaterThan(b[i - 1]);
        }
    }

    @Test
    void titlesShareAnIdWhenDuplicatedAndTheirWordsArePaddedToTheLongestTitle() {
        CandidateFeatures f = CandidateFeatures.adapt(TITLES);

        assertThat(f.titleVocabularySize()).isEqualTo(4); // OOV + 3 distinct titles
        assertThat(f.titleLength()).isEqualTo(3); // "toy story 1995"
        CandidateInputs in = f.encode(new String[] {"Toy Story (1995)", "Heat!", "Toy Story (1995)", "Casino (1995)"});
        assertThat(in.titleIds()[0]).isEqualTo(in.titleIds()[2]).isEqualTo(f.titles().lookup("Toy Story (1995)"));
        assertThat(in.titleIds()[3]).isZero();
        TextVectorization text = f.titleText();
        int[] t = in.titleTokens();
        assertThat(new String[] {text.inverse(t[0]), text.inverse(t[1]), text.inverse(t[2])})
                .containsExactly("toy", "story", "1995");
        // "heat" then padding; "casino" is out of vocabulary (1), "1995" is known.
        assertThat(new int[] {t[4], t[5]}).containsExactly(TextVectorization.PAD_ID, TextVectorization.PAD_ID);
        assertThat(new int[] {t[9], t[10], t[11]}).containsExactly(TextVectorization.OOV_ID, text.transform("1995")[0],
                TextVectorization.PAD_ID);
        assertThat(text.vocabularySize()).isLessThanOrEqualTo(CandidateFeatures.MAX_TOKENS);
    }

    @Test
    void jsonRoundTripsThroughText() {
        QueryFeatures q = QueryFeatures.adapt(USERS, TIMES);
        CandidateFeatures c = CandidateFeatures.adapt(TITLES);

        QueryFeatures qBack = QueryFeatures.fromJson(JsonRoundTrip.parse(q.toJson().toString()));
        CandidateFeatures cBack = CandidateFeatures.fromJson(JsonRoundTrip.parse(c.toJson().toString()));

        assertThat(qBack).isEqualTo(q).hasSameHashCodeAs(q);
        assertThat(cBack).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(qBack.timestampBuckets().boundaries()).containsExactly(q.timestampBuckets().boundaries());
        long[] probe = {999, 1000, 1234, 1999};
        assertThat(qBack.encode(new String[] {"3", "x", "7", "9"}, probe).normalizedTimes())
                .containsExactly(q.encode(new String[] {"3", "x", "7", "9"}, probe).normalizedTimes());
    }

    @Test
    void badJsonNamesTheFieldAndTheExpectation() {
        ObjectNode q = QueryFeatures.adapt(USERS, TIMES).toJson();
        q.remove("timestamp_buckets");
        assertThatThrownBy(() -> QueryFeatures.fromJson(q))
                .hasMessageContaining("QueryFeatures JSON").hasMessageContaining("\"timestamp_buckets\" is missing");

        ObjectNode c = CandidateFeatures.adapt(TITLES).toJson();
        assertThatThrownBy(() -> QueryFeatures.fromJson(c))
                .hasMessageContaining("\"type\" is \"CandidateFeatures\", expected \"QueryFeatures\"");

        ObjectNode wrongLayer = CandidateFeatures.adapt(TITLES).toJson();
        wrongLayer.set("titles", wrongLayer.get("title_text"));
        assertThatThrownBy(() -> CandidateFeatures.fromJson(wrongLayer))
                .hasMessageContaining("\"type\" is \"TextVectorization\", expected \"StringLookup\"");
    }

    @Test
    void mismatchedColumnsAreRejectedWithTheirLengths() {
        assertThatThrownBy(() -> QueryFeatures.adapt(new String[] {"1", "2"}, new long[] {5}))
                .hasMessageContaining("2 user ids and 1 timestamps");
        assertThatThrownBy(() -> new CandidateInputs(new int[] {1, 2}, new int[] {1, 2, 3}, 2))
                .hasMessageContaining("3 title tokens for 2 candidates; expected 2 per candidate");
        assertThatThrownBy(() -> CandidateFeatures.adapt(new String[] {"a", null}))
                .hasMessageContaining("title at position 1 is null");
    }
}
