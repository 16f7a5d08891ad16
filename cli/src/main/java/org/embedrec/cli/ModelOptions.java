package org.embedrec.cli;

import java.util.List;
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

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
