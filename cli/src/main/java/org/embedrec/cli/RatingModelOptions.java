package org.embedrec.cli;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The regularisation of the rating models: {@code --l2} on the looked-up embedding rows
 * ({@code mf}, {@code dot-mlp}, {@code ncf-mlp}; {@code wide-deep} has none) and
 * {@code --dropout} ({@code dot-mlp}, {@code ncf-mlp}, the deep part of {@code wide-deep};
 * {@code mf} has none). See {@code RatingModelConfig} for where each applies.
 */
final class RatingModelOptions {
    static final List<ModelScope> SCOPES = List.of(
            ModelScope.of("--l2", "mf", "dot-mlp", "ncf-mlp"),
            ModelScope.of("--dropout", "dot-mlp", "ncf-mlp", "wide-deep", "gru4rec", "sasrec"));

    @Option(names = "--l2", paramLabel = "W",
            description = "L2 strength on the user and item embedding rows, for mf divided by the square root of "
                    + "each row's training count (default: the model's, see below).")
    Float l2;

    @Option(names = "--dropout", paramLabel = "RATE",
            description = "Dropout rate in [0, 1) on the embeddings and hidden layers (default: the model's, see below).")
    Float dropout;

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
