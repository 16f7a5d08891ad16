package org.embedrec.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code train} options every model reads: how long, in what batches and with which
 * optimizer it trains, how its randomness is seeded, and its size. Left out, each takes the
 * chosen model's default (the table in {@code train --help}); only {@code --layers} is
 * meaningless for one model, {@code mf}, which has no hidden layers.
 */
final class ModelOptions {
    static final List<ModelScope> SCOPES = List.of(
            ModelScope.of("--layers", "dot-mlp", "ncf-mlp", "wide-deep", TrainTwoTower.MODEL, "gru4rec", "sasrec"));

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of training (default: the model's, see below).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per training step (default: the model's, see below).")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seeds the split, the initial weights and shuffling (default 42).")
    Long seed;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, adam, adamw, adagrad, rmsprop or ftrl (of the deep part for wide-deep; default: the model's).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate of --optimizer (of the deep part for wide-deep; default: the model's).")
    Float lr;

    @Option(names = "--embedding-dim", paramLabel = "N",
            description = "Width of every embedding table (default: the model's, see below).")
    Integer embeddingDim;

    @Option(names = "--layers", paramLabel = "UNITS",
            description = "Hidden layer sizes, e.g. 64,32; for two-tower each tower's dense layers, the last one the "
                    + "embedding width (not for mf).")
    String layers;

    /** The option that sets each field of the model configurations, for their messages. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("embeddingDim", "--embedding-dim"), Map.entry("hiddenUnits", "--layers"),
            Map.entry("layers", "--layers"), Map.entry("learningRate", "--lr"), Map.entry("wideLearningRate", "--wide-lr"),
            Map.entry("l2", "--l2"), Map.entry("dropout", "--dropout"), Map.entry("batchSize", "--batch-size"),
            Map.entry("epochs", "--epochs"), Map.entry("pretrainEpochs", "--pretrain-epochs"),
            Map.entry("validationFreq", "--validation-freq"), Map.entry("temperature", "--temperature"),
            Map.entry("sampledNegatives", "--negatives"));

    /**
     * A configuration's refusal in the words of the command line: "embeddingDim must be at
     * least 1, got 0" becomes "--embedding-dim must be at least 1, got 0" (in a config file, the
     * key of that option).
     */
    static IllegalArgumentException inOptionTerms(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (Map.Entry<String, String> f : OPTION_OF_FIELD.entrySet()) {
            String field = f.getKey();
            if (message.startsWith(field + " ") || message.startsWith(field + "[")) {
                return new IllegalArgumentException(f.getValue() + message.substring(field.length()), e);
            }
        }
        return e;
    }

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
