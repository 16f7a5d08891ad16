package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A {@code --config experiment.json} file: a flat JSON object whose keys are the long option
 * names without dashes, in snake case ({@code "batch_size": 512}). A flag on the command line
 * overrides the file; an unknown key is an error, so a typo does not pass silently.
 */
final class ExperimentConfig {
    private final String source;
    private final JsonNode root;

    private ExperimentConfig(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    static ExperimentConfig empty() {
        return new ExperimentConfig("(none)", new ObjectMapper().createObjectNode());
    }

    static ExperimentConfig read(Path file, Set<String> knownKeys) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it as JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("--config " + file + ": expected a JSON object of option names to values");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!knownKeys.contains(key)) {
                throw new IllegalArgumentException("--config " + file + ": unknown key '" + key + "'; known keys: "
                        + String.join(", ", new java.util.TreeSet<>(knownKeys)));
            }
        }
        return new ExperimentConfig(file.toString(), root);
    }

    /** The key of option {@code --batch-size}: {@code batch_size}. */
    static String keyOf(String longOption) {
        return longOption.replaceFirst("^--", "").replace('-', '_');
    }

    /** The file read, for messages. */
    String source() {
        return source;
    }

    /** True when the file sets {@code key} (to anything but null). */
    boolean has(String key) {
        JsonNode v = root.get(key);
        return v != null && !v.isNull();
    }

    /** The flag's value when given, else the file's, else {@code fallback}. */
    String string(String flag, String key, String fallback) {
        if (flag != null) {
            return flag;
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw bad(key, "a string", v);
        }
        return v.asText();
    }

    int integer(Integer flag, String key, int fallback) {
        if (flag != null) {
            return flag;
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad(key, "an integer", v);
        }
        return v.asInt();
    }

    long longValue(Long flag, String key, long fallback) {
        if (flag != null) {
            return flag;
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw bad(key, "an integer", v);
        }
        return v.asLong();
    }

    float number(Float flag, String key, float fallback) {
        if (flag != null) {
            return flag;
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw bad(key, "a number", v);
        }
        return v.floatValue();
    }

    boolean bool(Boolean flag, String key, boolean fallback) {
        if (flag != null) {
            return flag;
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw bad(key, "true or false", v);
        }
        return v.asBoolean();
    }

    /** A list of positive integers, from a flag like "64,32" or a JSON array. */
    List<Integer> integers(String flag, String key, List<Integer> fallback) {
        if (flag != null) {
            return parseIntegers("--" + key.replace('_', '-'), flag);
        }
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isTextual()) {
            return parseIntegers(source + " key '" + key + "'", v.asText());
        }
        if (!v.isArray()) {
            throw bad(key, "an array of integers", v);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isIntegralNumber()) {
                throw bad(key, "an array of integers", v);
            }
            out.add(n.asInt());
        }
        return out;
    }

    static List<Integer> parseIntegers(String where, String text) {
        List<Integer> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": '" + text + "' is not a comma-separated list of integers");
            }
        }
        return out;
    }

    private IllegalArgumentException bad(String key, String expected, JsonNode got) {
        return new IllegalArgumentException("--config " + source + ": key '" + key + "' must be " + expected
                + ", got " + got);
    }
}
