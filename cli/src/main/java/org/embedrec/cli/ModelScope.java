package org.embedrec.cli;

import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * A {@code train} option that only some models read. Given for another model, on the command
 * line or in the {@code --config} file, it is refused with one line naming the option and the
 * model, so that a misplaced flag or a mistyped {@code --model} is not silently ignored.
 *
 * @param option the option's long name, e.g. {@code --l2}; its config key is the same in snake case
 * @param models the {@code --model} names that read it
 */
record ModelScope(String option, List<String> models) {

    ModelScope {
        models = List.copyOf(models);
    }

    static ModelScope of(String option, String... models) {
        return new ModelScope(option, List.of(models));
    }

    /** Throws IllegalArgumentException when {@code model} does not read this option and it was given. */
    void refuseUnlessFor(String model, ParseResult parsed, ExperimentConfig cfg) {
        if (models.contains(model)) {
            return;
        }
        String applies = " applies to --model " + modelList() + ", not to " + model;
        if (parsed.hasMatchedOption(option)) {
            throw new IllegalArgumentException(option + applies);
        }
        String key = ExperimentConfig.keyOf(option);
        if (cfg.has(key)) {
            throw new IllegalArgumentException("--config " + cfg.source() + ": key '" + key + "'" + applies);
        }
    }

    /** {@link #refuseUnlessFor} for each scope in turn. */
    static void refuseInapplicable(List<ModelScope> scopes, String model, ParseResult parsed, ExperimentConfig cfg) {
        for (ModelScope scope : scopes) {
            scope.refuseUnlessFor(model, parsed, cfg);
        }
    }

    /** "two-tower only", "dot-mlp, ncf-mlp or wide-deep". */
    private String modelList() {
        if (models.size() == 1) {
            return models.get(0) + " only";
        }
        return String.join(", ", models.subList(0, models.size() - 1)) + " or " + models.get(models.size() - 1);
    }
}
