package org.embedrec.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Writes a layer's JSON to text and parses it back, as saving and loading a model does. */
final class JsonRoundTrip {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRoundTrip() {
    }

    static JsonNode throughText(PreprocessingLayer layer) {
        return parse(write(layer));
    }

    static String write(PreprocessingLayer layer) {
        try {
            return MAPPER.writeValueAsString(layer.toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
