package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The candidate side's preprocessing in the TensorFlow Recommenders "deep recommenders"
 * tutorial: the item's title through a {@link StringLookup} (one OOV id, 0), and the title's
 * words through a {@link TextVectorization} (lower-cased, punctuation stripped, split on
 * whitespace, at most {@link #MAX_TOKENS} ids, padding id 0).
 *
 * <p>{@link #adapt} learns both from the titles of the whole catalogue, as the tutorial does
 * (item side information is known for every item, trained on or not). Keras pads each batch to
 * its longest title; here every title is padded to the longest title of the catalogue, which
 * gives the same masked mean of the token embeddings.
 *
 * <p><b>JSON</b>: {@code {"type": "CandidateFeatures", "version": 1, "titles": StringLookup,
 * "title_text": TextVectorization}}, each nested object in its layer's own scheme.
 */
public final class CandidateFeatures {
    static final String TYPE = "CandidateFeatures";
    /** The tutorial's {@code max_tokens} for the title vectorizer, padding and OOV included. */
    public static final int MAX_TOKENS = 10_000;

    private final StringLookup titles;
    private final TextVectorization titleText;

    private CandidateFeatures(StringLookup titles, TextVectorization titleText) {
        this.titles = Objects.requireNonNull(titles, "titles");
        this.titleText = Objects.requireNonNull(titleText, "titleText");
    }

    /** Features from already-built layers. */
    public static CandidateFeatures of(StringLookup titles, TextVectorization titleText) {
        return new CandidateFeatures(titles, titleText);
    }

    /** Adapts both layers to the catalogue's titles (one per item, duplicates allowed). */
    public static CandidateFeatures adapt(String[] catalogueTitles) {
        if (catalogueTitles.length == 0) {
            throw new IllegalArgumentException("CandidateFeatures.adapt: the catalogue has no titles");
        }
        int longest = 1;
        for (int i = 0; i < catalogueTitles.length; i++) {
            if (catalogueTitles[i] == null) {
                throw new IllegalArgumentException("CandidateFeatures.adapt: title at position " + i + " is null");
            }
            longest = Math.max(longest, TextVectorization.tokens(catalogueTitles[i]).size());
        }
        StringLookup lookup = StringLookup.builder().adapt(catalogueTitles).build();
        TextVectorization text = TextVectorization.builder(longest).maxTokens(MAX_TOKENS).adapt(catalogueTitles).build();
        return new CandidateFeatures(lookup, text);
    }

    public StringLookup titles() {
        return titles;
    }

    public TextVectorization titleText() {
        return titleText;
    }

    /** Rows of the title embedding table: OOV id plus the distinct titles. */
    public int titleVocabularySize() {
        return titles.vocabularySize();
    }

    /** Rows of the title-token embedding table: padding, OOV and the token vocabulary. */
    public int tokenVocabularySize() {
        return titleText.vocabularySize();
    }

    /** Token ids per title (padded or truncated to this length). */
    public int titleLength() {
        return titleText.outputSequenceLength();
    }

    /** The inputs of candidates with these titles, in new arrays. */
    public CandidateInputs encode(String[] candidateTitles) {
        int[] ids = titles.lookup(candidateTitles);
        int[] tokens = titleText.transform(candidateTitles);
        return new CandidateInputs(ids, tokens, titleText.outputSequenceLength());
    }

    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("titles", titles.toJson());
        node.set("title_text", titleText.toJson());
        return node;
    }

    /** Reads what {@link #toJson()} wrote; errors name the field and what was expected. */
    public static CandidateFeatures fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        StringLookup titles = StringLookup.fromJson(LayerJson.field(node, "titles", TYPE));
        TextVectorization text = TextVectorization.fromJson(LayerJson.field(node, "title_text", TYPE));
        return new CandidateFeatures(titles, text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateFeatures other && titles.equals(other.titles) && titleText.equals(other.titleText);
    }

    @Override
    public int hashCode() {
        return 31 * titles.hashCode() + titleText.hashCode();
    }

    @Override
    public String toString() {
        return "CandidateFeatures[" + titles + ", " + titleText + "]";
    }
}
