package org.embedrec.nn;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/** The activations a {@link org.embedrec.nn.layers.Dense} layer can apply to its output. */
public enum Activation {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX;

    public Tensor apply(Tensor x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> Ops.relu(x);
            case SIGMOID -> Ops.sigmoid(x);
            case TANH -> Ops.tanh(x);
            case SOFTMAX -> Ops.softmax(x);
        };
    }

    /** Parses "relu", "linear", "none", ... case-insensitively. */
    public static Activation parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none") || t.isEmpty()) {
            return LINEAR;
        }
        for (Activation a : values()) {
            if (a.name().toLowerCase(java.util.Locale.ROOT).equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + text
                + "': expected linear, relu, sigmoid, tanh or softmax");
    }
}
