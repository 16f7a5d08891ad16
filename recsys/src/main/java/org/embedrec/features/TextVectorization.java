package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns text into a fixed-length sequence of token ids, as Keras' {@code TextVectorization}
 * with {@code output_mode="int"}.
 *
 * <p><b>Standardise and split.</b> Each code point is lower-cased with
 * {@link Character#toLowerCase(int)} (locale-independent, all scripts: "É" becomes "é"; Keras'
 * default lower-cases ASCII only); the 32 ASCII punctuation characters of Keras' default strip
 * pattern {@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~} are deleted (not replaced by a space, so
 * "e-mail" becomes "email"); tokens are the maximal runs between {@link Character#isWhitespace}
 * characters. Non-ASCII letters and punctuation are kept as they are: "Misérables, Les (1995)"
 * gives "misérables", "les", "1995".
 *
 * <p><b>Ids.</b> 0 is padding (and the mask: callers treat {@code id != 0} as present, see
 * {@link #mask(int[], float[])}), 1 is out-of-vocabulary, and vocabulary entry i has id i + 2.
 * The vocabulary is adapted as the most frequent tokens, ties broken by ascending
 * {@link String#compareTo} order; {@code maxTokens} bounds the total {@link #vocabularySize()},
 * padding and OOV included (Keras' meaning), so at most {@code maxTokens - 2} tokens are learned.
 *
 * <p><b>Output.</b> Each text becomes exactly {@code outputSequenceLength} ids: its first tokens,
 * truncated if longer, padded with 0 at the end if shorter. A batch is {@code int[batch * length]},
 * row-major. Transforming allocates nothing per token.
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code vocabulary} (array of strings, id order
 * from 2), {@code outputSequenceLength}, {@code standardize} ({@code "lower_and_strip_punctuation"})
 * and {@code split} ({@code "whitespace"}), the last two recorded so that a future mode is not
 * misread.
 */
public final class TextVectorization implements PreprocessingLayer {
    static final String TYPE = "TextVectorization";
    public static final int PAD_ID = 0;
    public static final int OOV_ID = 1;
    public static final String OOV_TOKEN = "[UNK]";
    static final String STANDARDIZE = "lower_and_strip_punctuation";
    static final String SPLIT = "whitespace";
    private static final String STRIPPED = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final boolean[] IS_STRIPPED = new boolean[128];

    static {
        for (int i = 0; i < STRIPPED.length(); i++) {
            IS_STRIPPED[STRIPPED.charAt(i)] = true;
        }
    }

    private final List<String> vocabulary;
    private final int outputSequenceLength;
    private final StringIndexMap index;

    private TextVectorization(List<String> vocabulary, int outputSequenceLength) {
        if (outputSequenceLength < 1) {
            throw new IllegalArgumentException("TextVectorization: outputSequenceLength must be >= 1, got "
                    + outputSequenceLength);
        }
        this.vocabulary = List.copyOf(vocabulary);
        this.outputSequenceLength = outputSequenceLength;
        this.index = new StringIndexMap(this.vocabulary.size());
        for (int i = 0; i < this.vocabulary.size(); i++) {
            String token = this.vocabulary.get(i);
            if (token.isEmpty()) {
                throw new IllegalArgumentException("TextVectorization: vocabulary entry " + i
                        + " is empty (the empty string is the padding token, id 0)");
            }
            if (!index.putIfAbsent(token, i + 2)) {
                throw new IllegalArgumentException("TextVectorization: vocabulary entry " + i + " \"" + token
                        + "\" is a duplicate");
            }
        }
    }

    /** A builder for sequences of {@code outputSequenceLength} ids. */
    public static Builder builder(int outputSequenceLength) {
        return new Builder(outputSequenceLength);
    }

    /** The tokens of {@code text} after standardising and splitting, as described on the class. */
    public static List<String> tokens(String text) {
        Objects.requireNonNull(text, "text");
        List<String> out = new ArrayList<>();
        Tokenizer t = new Tokenizer();
        t.reset(text);
        while (t.next()) {
            out.add(new String(t.buf, 0, t.length));
        }
        return out;
    }

    /** Number of ids: padding + OOV + vocabulary. */
    public int vocabularySize() {
        return vocabulary.size() + 2;
    }

    public int outputSequenceLength() {
        return outputSequenceLength;
    }

    /** The learned vocabulary; entry i has id i + 2. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** Writes {@code texts.length * outputSequenceLength} ids, row-major; {@code out} may be longer. */
    public void transform(String[] texts, int[] out) {
        int len = outputSequenceLength;
        if (out.length < (long) texts.length * len) {
            throw new IllegalArgumentException("TextVectorization: output has " + out.length + " elements for "
                    + texts.length + " texts of " + len + " ids");
        }
        Tokenizer t = new Tokenizer();
        for (int row = 0; row < texts.length; row++) {
            String text = texts[row];
            if (text == null) {
                throw new IllegalArgumentException("TextVectorization: text at position " + row + " is null");
            }
            t.reset(text);
            int base = row * len;
            int pos = 0;
            while (pos < len && t.next()) {
                int id = index.get(t.buf, 0, t.length);
                out[base + pos++] = id >= 0 ? id : OOV_ID;
            }
            for (; pos < len; pos++) {
                out[base + pos] = PAD_ID;
            }
        }
    }

    public int[] transform(String[] texts) {
        int[] out = new int[texts.length * outputSequenceLength];
        transform(texts, out);
        return out;
    }

    public int[] transform(String text) {
        return transform(new String[] {text});
    }

    /** The token of an id: "" for padding, "[UNK]" for OOV, else the vocabulary entry. */
    public String inverse(int id) {
        if (id < 0 || id >= vocabularySize()) {
            throw new IllegalArgumentException("TextVectorization: id " + id + " out of range [0, "
                    + vocabularySize() + ")");
        }
        return id == PAD_ID ? "" : id == OOV_ID ? OOV_TOKEN : vocabulary.get(id - 2);
    }

    /** {@code out[i] = ids[i] != 0 ? 1 : 0}, e.g. to average token embeddings over real tokens only. */
    public static void mask(int[] ids, float[] out) {
        if (out.length < ids.length) {
            throw new IllegalArgumentException("TextVectorization.mask: output has " + out.length + " elements for "
                    + ids.length + " ids");
        }
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i] != PAD_ID ? 1f : 0f;
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("vocabulary", LayerJson.strings(vocabulary));
        node.put("outputSequenceLength", outputSequenceLength);
        node.put("standardize", STANDARDIZE);
        node.put("split", SPLIT);
        return node;
    }

    public static TextVectorization fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        List<String> vocabulary = LayerJson.stringList(node, "vocabulary", TYPE);
        int length = LayerJson.intField(node, "outputSequenceLength", TYPE);
        String standardize = LayerJson.text(node, "standardize", TYPE);
        String split = LayerJson.text(node, "split", TYPE);
        if (!standardize.equals(STANDARDIZE)) {
            throw new IllegalArgumentException(TYPE + " JSON: \"standardize\" is \"" + standardize + "\", this build only has \""
                    + STANDARDIZE + "\"");
        }
        if (!split.equals(SPLIT)) {
            throw new IllegalArgumentException(TYPE + " JSON: \"split\" is \"" + split + "\", this build only has \""
                    + SPLIT + "\"");
        }
        try {
            return new TextVectorization(vocabulary, length);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextVectorization other && outputSequenceLength == other.outputSequenceLength
                && vocabulary.equals(other.vocabulary);
    }

    @Override
    public int hashCode() {
        return 31 * vocabulary.hashCode() + outputSequenceLength;
    }

    @Override
    public String toString() {
        return "TextVectorization[vocabularySize=" + vocabularySize() + ", outputSequenceLength="
                + outputSequenceLength + "]";
    }

    /** Walks the tokens of one text into a reused buffer, standardising as it goes. */
    private static final class Tokenizer {
        char[] buf = new char[32];
        int length;
        private String text;
        private int next;

        void reset(String text) {
            this.text = text;
            this.next = 0;
        }

        /** Advances to the next token, left in {@code buf[0, length)}; false at the end of the text. */
        boolean next() {
            length = 0;
            int n = text.length();
            while (next < n) {
                int cp = text.codePointAt(next);
                next += Character.charCount(cp);
                if (Character.isWhitespace(cp)) {
                    if (length > 0) {
                        return true;
                    }
                } else if (cp >= 128 || !IS_STRIPPED[cp]) {
                    if (length + 2 > buf.length) {
                        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    }
                    length += Character.toChars(Character.toLowerCase(cp), buf, length);
                }
            }
            return length > 0;
        }
    }

    /** Configuration plus the token counts gathered by {@link #adapt}; not thread-safe. */
    public static final class Builder {
        private final int outputSequenceLength;
        private int maxTokens = -1;
        private List<String> vocabulary;
        private final TokenCounts counts = new TokenCounts();
        private final Tokenizer tokenizer = new Tokenizer();

        private Builder(int outputSequenceLength) {
            if (outputSequenceLength < 1) {
                throw new IllegalArgumentException("TextVectorization: outputSequenceLength must be >= 1, got "
                        + outputSequenceLength);
            }
            this.outputSequenceLength = outputSequenceLength;
        }

        /** Bound on {@link #vocabularySize()}, padding and OOV included (so >= 3); unbounded by default. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 3) {
                throw new IllegalArgumentException("TextVectorization: maxTokens must be >= 3 (padding, OOV and at least "
                        + "one token), got " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** Uses this vocabulary (ids from 2, in order) instead of adapting. */
        public Builder vocabulary(List<String> vocabulary) {
            for (int i = 0; i < vocabulary.size(); i++) {
                if (vocabulary.get(i) == null) {
                    throw new IllegalArgumentException("TextVectorization: vocabulary entry " + i + " is null");
                }
            }
            this.vocabulary = List.copyOf(vocabulary);
            return this;
        }

        public Builder adapt(String[] texts) {
            for (int i = 0; i < texts.length; i++) {
                if (texts[i] == null) {
                    throw new IllegalArgumentException("TextVectorization.adapt: text at position " + i + " is null");
                }
                count(texts[i]);
            }
            return this;
        }

        public Builder adapt(Iterable<String> texts) {
            int i = 0;
            for (String text : texts) {
                if (text == null) {
                    throw new IllegalArgumentException("TextVectorization.adapt: text at position " + i + " is null");
                }
                count(text);
                i++;
            }
            return this;
        }

        /** Counts the tokens of {@code text} as if the text occurred {@code count} times. */
        public Builder adapt(String text, long count) {
            if (text == null) {
                throw new IllegalArgumentException("TextVectorization.adapt: a null text (count " + count + ")");
            }
            tokenizer.reset(text);
            while (tokenizer.next()) {
                counts.add(new String(tokenizer.buf, 0, tokenizer.length), count);
            }
            return this;
        }

        private void count(String text) {
            tokenizer.reset(text);
            while (tokenizer.next()) {
                counts.add(new String(tokenizer.buf, 0, tokenizer.length));
            }
        }

        public TextVectorization build() {
            int limit = maxTokens < 0 ? -1 : maxTokens - 2;
            if (vocabulary != null) {
                if (counts.distinct() > 0) {
                    throw new IllegalStateException("TextVectorization.Builder: both a vocabulary and adapt() data were given");
                }
                if (limit >= 0 && vocabulary.size() > limit) {
                    throw new IllegalArgumentException("TextVectorization: vocabulary of " + vocabulary.size()
                            + " tokens exceeds maxTokens " + maxTokens + " minus padding and OOV");
                }
                return new TextVectorization(vocabulary, outputSequenceLength);
            }
            return new TextVectorization(counts.vocabulary(limit), outputSequenceLength);
        }
    }
}
