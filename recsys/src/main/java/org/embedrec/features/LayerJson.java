package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writing and checked reading of the JSON scheme described on {@link PreprocessingLayer}. Every
 * reading error names the layer type, the field and what was expected.
 */
final class LayerJson {
    static final int VERSION = 1;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LayerJson() {
    }

    static ObjectNode header(String type) {
        ObjectNode node = NODES.objectNode();
        node.put("type", type);
        node.put("version", VERSION);
        return node;
    }

    static String type(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("preprocessing layer JSON: expected an object, got "
                    + (node == null ? "null" : node.getNodeType()));
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException("preprocessing layer JSON: field \"type\" missing or not a string");
        }
        return type.asText();
    }

    /** Checks that {@code node} is an object of the given type and a version this code reads. */
    static void checkHeader(JsonNode node, String expectedType) {
        String type = type(node);
        if (!type.equals(expectedType)) {
            throw new IllegalArgumentException(expectedType + " JSON: \"type\" is \"" + type + "\", expected \""
                    + expectedType + "\"");
        }
        int version = intField(node, "version", expectedType);
        if (version != VERSION) {
            throw new IllegalArgumentException(expectedType + " JSON: unsupported \"version\" " + version
                    + ", this build reads version " + VERSION);
        }
    }

    static JsonNode field(JsonNode node, String name, String type) {
        JsonNode value = node.get(name);
        if (value == null || value.isMissingNode()) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" is missing");
        }
        return value;
    }

    static int intField(JsonNode node, String name, String type) {
        JsonNode value = field(node, name, type);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" must be a 32-bit integer, got "
                    + value);
        }
        return value.intValue();
    }

    static long longField(JsonNode node, String name, String type) {
        JsonNode value = field(node, name, type);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" must be a 64-bit integer, got "
                    + value);
        }
        return value.longValue();
    }

    /** A string field that may be JSON null (returned as Java null). */
    static String nullableText(JsonNode node, String name, String type) {
        JsonNode value = field(node, name, type);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" must be a string or null, got "
                    + value);
        }
        return value.asText();
    }

    static String text(JsonNode node, String name, String type) {
        String value = nullableText(node, name, type);
        if (value == null) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" must be a string, got null");
        }
        return value;
    }

    static List<String> stringList(JsonNode node, String name, String type) {
        JsonNode array = array(node, name, type);
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isTextual()) {
                throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" element " + i
                        + " must be a string, got " + element);
            }
            out.add(element.asText());
        }
        return out;
    }

    static int[] intArray(JsonNode node, String name, String type) {
        JsonNode array = array(node, name, type);
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode element = array.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" element " + i
                        + " must be a 32-bit integer, got " + element);
            }
            out[i] = element.intValue();
        }
        return out;
    }

    static double[] doubleArray(JsonNode node, String name, String type) {
        JsonNode array = array(node, name, type);
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode element = array.get(i);
            if (!element.isNumber()) {
                throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" element " + i
                        + " must be a number, got " + element);
            }
            out[i] = element.doubleValue();
        }
        return out;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        for (String v : values) {
            array.add(v);
        }
        return array;
    }

    static ArrayNode ints(int[] values) {
        ArrayNode array = NODES.arrayNode(values.length);
        for (int v : values) {
            array.add(v);
        }
        return array;
    }

    static ArrayNode doubles(double[] values) {
        ArrayNode array = NODES.arrayNode(values.length);
        for (double v : values) {
            array.add(v);
        }
        return array;
    }

    /** Wraps a validation failure of the decoded state so that the message says it came from JSON. */
    static IllegalArgumentException invalid(String type, IllegalArgumentException cause) {
        return new IllegalArgumentException(type + " JSON: " + cause.getMessage(), cause);
    }

    private static JsonNode array(JsonNode node, String name, String type) {
        JsonNode value = field(node, name, type);
        if (!value.isArray()) {
            throw new IllegalArgumentException(type + " JSON: field \"" + name + "\" must be an array, got "
                    + value.getNodeType());
        }
        return value;
    }
}
