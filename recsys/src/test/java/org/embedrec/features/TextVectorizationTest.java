package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextVectorizationTest {
    private static final String[] TITLES = {"Toy Story (1995)", "Misérables, Les (1995)", "Toy Story 2 (1999)"};

    @Test
    void standardisesAndSplitsLikeKeras() {
        assertThat(TextVectorization.tokens("Toy Story (1995)")).containsExactly("toy", "story", "1995");
        // Non-ASCII letters are kept; the comma goes.
        assertThat(TextVectorization.tokens("Misérables, Les (1995)")).containsExactly("misérables", "les", "1995");
        // Punctuation is deleted, not turned into a space; all scripts are lower-cased; runs of whitespace split once.
        assertThat(TextVectorization.tokens("  ÉCOLE\t d'été  e-mail/fax ")).containsExactly("école", "dété", "emailfax");
        assertThat(TextVectorization.tokens("!!! ... ")).isEmpty();
        assertThat(TextVectorization.tokens("")).isEmpty();
        // Non-ASCII punctuation is not in Keras' strip pattern and stays.
        assertThat(TextVectorization.tokens("wait… ¿qué?")).containsExactly("wait…", "¿qué");
        // Code points outside the BMP survive intact.
        assertThat(TextVectorization.tokens("\uD83C\uDFAC Film")).containsExactly("\uD83C\uDFAC", "film");
    }

    @Test
    void vocabularyByFrequencyThenLexicographic() {
        // Counts: 1995 x2, story x2, toy x2, then 1999, 2, les, misérables once each.
        TextVectorization tv = TextVectorization.builder(4).adapt(TITLES).build();
        assertThat(tv.vocabulary()).containsExactly("1995", "story", "toy", "1999", "2", "les", "misérables");
        assertThat(tv.vocabularySize()).isEqualTo(9);
        assertThat(tv.inverse(0)).isEmpty();
        assertThat(tv.inverse(1)).isEqualTo("[UNK]");
        assertThat(tv.inverse(2)).isEqualTo("1995");
    }

    @Test
    void paddingTruncationAndOov() {
        // maxTokens 5 = padding + OOV + 3 tokens: 1995 -> 2, story -> 3, toy -> 4.
        TextVectorization tv = TextVectorization.builder(4).maxTokens(5).adapt(List.of(TITLES)).build();
        assertThat(tv.vocabulary()).containsExactly("1995", "story", "toy");
        int[] ids = tv.transform(new String[] {
            "Toy Story (1995)",              // 4 3 2, padded
            "Misérables, Les (1995)",        // OOV OOV 2, padded
            "toy toy toy story 1995 extra",  // first 4 tokens kept
            "",                              // all padding
        });
        assertThat(ids).containsExactly(
                4, 3, 2, 0,
                1, 1, 2, 0,
                4, 4, 4, 3,
                0, 0, 0, 0);
        float[] mask = new float[4];
        TextVectorization.mask(new int[] {4, 3, 2, 0}, mask);
        assertThat(mask).containsExactly(1f, 1f, 1f, 0f);
    }

    @Test
    void transformReusesTheOutputBuffer() {
        TextVectorization tv = TextVectorization.builder(2).adapt(TITLES).build();
        int[] out = new int[6];
        java.util.Arrays.fill(out, 99);
        tv.transform(new String[] {"toy", "STORY toy 1999"}, out);
        assertThat(out).containsExactly(4, 0, 3, 4, 99, 99);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> TextVectorization.builder(0)).hasMessageContaining("outputSequenceLength must be >= 1");
        assertThatThrownBy(() -> TextVectorization.builder(3).maxTokens(2)).hasMessageContaining("maxTokens must be >= 3");
        assertThatThrownBy(() -> TextVectorization.builder(3).vocabulary(List.of("a", "")).build())
                .hasMessageContaining("vocabulary entry 1 is empty");
        TextVectorization tv = TextVectorization.builder(3).adapt(TITLES).build();
        assertThatThrownBy(() -> tv.transform(new String[] {"a", null})).hasMessageContaining("text at position 1 is null");
        assertThatThrownBy(() -> tv.transform(new String[] {"a", "b"}, new int[5]))
                .hasMessageContaining("output has 5 elements for 2 texts of 3 ids");
    }

    @Test
    void jsonRoundTrip() {
        TextVectorization tv = TextVectorization.builder(20).maxTokens(10_000).adapt(TITLES).build();
        TextVectorization back = TextVectorization.fromJson(JsonRoundTrip.throughText(tv));
        assertThat(back).isEqualTo(tv);
        assertThat(back.transform(TITLES)).containsExactly(tv.transform(TITLES));
        String json = JsonRoundTrip.write(tv).replace("\"whitespace\"", "\"character\"");
        assertThatThrownBy(() -> TextVectorization.fromJson(JsonRoundTrip.parse(json)))
                .hasMessageContaining("\"split\" is \"character\"");
    }
}
