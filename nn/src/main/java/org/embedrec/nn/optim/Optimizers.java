package org.embedrec.nn.optim;

import java.util.List;

/**
 * Optimizers by name, as configurations and the command line spell them: {@code sgd},
 * {@code adam}, {@code adamw}, {@code adagrad}, {@code rmsprop}, {@code ftrl}. Each is built with
 * its Keras defaults except the learning rate; for other settings use the optimizer's builder.
 * Names are matched exactly (lower case), so a configuration means one thing everywhere.
 */
public final class Optimizers {
    private static final List<String> NAMES = List.of("sgd", "adam", "adamw", "adagrad", "rmsprop", "ftrl");

    private Optimizers() {}

    /** The names {@link #create} understands, in a fixed order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new optimizer {@code name} with its defaults but {@code learningRate}, which must be
     * finite and positive as a float.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     *     or a learning rate the optimizer rejects
     */
    public static Optimizer create(String name, double learningRate) {
        float lr = (float) learningRate;
        return switch (name == null ? "" : name) {
            case "sgd" -> new SGD(lr);
            case "adam" -> new Adam(lr);
            case "adamw" -> new AdamW(lr);
            case "adagrad" -> new Adagrad(lr);
            case "rmsprop" -> new RMSprop(lr);
            case "ftrl" -> new Ftrl(lr);
            default -> throw new IllegalArgumentException(
                    "unknown optimizer '" + name + "': expected one of " + String.join(", ", NAMES));
        };
    }
}
