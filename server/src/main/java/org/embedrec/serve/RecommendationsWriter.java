package org.embedrec.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.RecommendedItem;

/**
 * The recommend answer ({@link AnswerJson#recommendations}'s JSON, byte for byte) written straight
 * to bytes with Jackson's streaming generator: the busiest route builds no tree of nodes, only
 * the answer's bytes. Each thread reuses one growing buffer, so an answer costs one copy of its
 * bytes (which the response keeps).
 */
final class RecommendationsWriter {
    private static final String[] SOURCES = sourceNames();
    private final JsonFactory factory;
    private final ThreadLocal<ByteArrayBuilder> buffers = ThreadLocal.withInitial(() -> new ByteArrayBuilder(2048));

    RecommendationsWriter(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * {@code {"model", "version", "source", "time"?, "unknown_history"?, "items": [...]}} as UTF-8 bytes, the
     * items carrying the {@code attributes} selected.
     */
    byte[] write(ServedModel served, Recommendations answer, AttributeSelection attributes) {
        ByteArrayBuilder out = buffers.get();
        out.reset();
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("model", served.name());
            g.writeNumberField("version", served.version());
            g.writeStringField("source", SOURCES[answer.source().ordinal()]);
            if (answer.time().isPresent()) {
                g.writeNumberField("time", answer.time().getAsLong());
            }
            if (!answer.unknownHistory().isEmpty()) {
                g.writeArrayFieldStart("unknown_history");
                for (String id : answer.unknownHistory()) {
                    g.writeString(id);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("items");
            for (RecommendedItem item : answer.items()) {
                writeItem(g, item, attributes);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an answer to memory", e); // a ByteArrayBuilder does not fail
        }
        return out.toByteArray();
    }

    private static void writeItem(JsonGenerator g, RecommendedItem item, AttributeSelection attributes)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("id", item.itemId());
        g.writeNumberField("score", item.score());
        g.writeBooleanField("seen", item.seen());
        if (item.title() != null) {
            g.writeStringField("title", item.title());
        }
        attributes.write(g, item.attributes());
        g.writeEndObject();
    }

    private static String[] sourceNames() {
        Recommendations.Source[] sources = Recommendations.Source.values();
        String[] names = new String[sources.length];
        for (int i = 0; i < sources.length; i++) {
            names[i] = sources[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
