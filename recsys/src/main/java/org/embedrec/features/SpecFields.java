package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reading one JSON field of a spec, the way every field is read: a missing field takes its
 * default, a wrong one adds a problem naming its path ({@code at + key}) and what was expected,
 * and reading goes on, so that one pass reports every mistake.
 */
abstract class SpecFields {
    final List<String> problems = new ArrayList<>();

    final void known(JsonNode o, String at, String... fields) {
        if (o == null || !o.isObject()) {
            return;
        }
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                problems.add((at.isEmpty() ? "" : at) + name + ": unknown field; expected one of "
                        + String.join(", ", fields));
            }
        }
    }

    final JsonNode object(JsonNode parent, String key, String at, boolean required) {
        JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            if (required && parent != null) {
                problems.add(at + key + ": required, expected an object");
            }
            return null;
        }
        if (!n.isObject()) {
            problems.add(at + key + ": expected an object, got " + n.getNodeType().name().toLowerCase());
            return null;
        }
        return n;
    }

    final String text(JsonNode o, String key, String at, String fallback) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            problems.add(at + key + ": expected a string, got " + n);
            return fallback;
        }
        return n.asText();
    }

    final int integer(JsonNode o, String key, String at, int fallback, int min) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
            problems.add(at + key + ": expected an integer >= " + min + ", got " + n);
            return fallback;
        }
        return n.asInt();
    }

    final double positive(JsonNode o, String key, String at, double fallback) {
        return number(o, key, at, fallback, 0.0, false);
    }

    /** A loss weight: 0 switches a task's training off while it is still reported. */
    final double nonNegative(JsonNode o, String key, String at, double fallback) {
        return number(o, key, at, fallback, 0.0, true);
    }

    /** A finite number above {@code min} (or equal to it, when {@code orEqual}), else a problem and the fallback. */
    final double number(JsonNode o, String key, String at, double fallback, double min, boolean orEqual) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        double v = n.asDouble();
        if (!n.isNumber() || !(orEqual ? v >= min : v > min) || Double.isInfinite(v)) {
            problems.add(at + key + ": expected a number " + (orEqual ? ">= " : "> ") + fmt(min) + ", got " + n);
            return fallback;
        }
        return v;
    }

    static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    final boolean bool(JsonNode o, String key, String at, boolean fallback) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            problems.add(at + key + ": expected true or false, got " + n);
            return fallback;
        }
        return n.asBoolean();
    }

    final List<Integer> layers(JsonNode o, String at, List<Integer> fallback) {
        JsonNode n = o.get("layers");
        if (n == null || n.isNull()) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        if (!n.isArray()) {
            problems.add(at + "layers: expected an array of layer sizes such as [64, 32]");
            return fallback;
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isIntegralNumber() || !n.get(i).canConvertToInt() || n.get(i).asInt() < 1) {
                problems.add(at + "layers[" + i + "]: expected a layer size >= 1, got " + n.get(i));
                return fallback;
            }
            out.add(n.get(i).asInt());
        }
        return out;
    }
}
