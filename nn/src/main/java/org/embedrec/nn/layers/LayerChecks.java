package org.embedrec.nn.layers;

import org.embedrec.nn.Module;

/**
 * Argument checks shared by the layers, so every message has one form: the layer's type and
 * name, the field, what was expected and what was given, e.g.
 * {@code "dense 'hidden': units must be positive, got 0"}.
 */
final class LayerChecks {
    private LayerChecks() {}

    /** {@code "dense 'hidden': "}: the start of every message about {@code module}. */
    static String where(String type, Module module) {
        return named(type, module) + ": ";
    }

    /** {@code "gru 'encoder'"}: the layer as messages from the engine name it. */
    static String named(String type, Module module) {
        return type + " '" + module.name() + "'";
    }

    static void positive(String where, String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + field + " must be positive, got " + value);
        }
    }

    static void notNull(String where, String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(where + field + " must not be null");
        }
    }
}
