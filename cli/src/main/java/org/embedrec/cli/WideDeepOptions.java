package org.embedrec.cli;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The options of {@code wide-deep} alone: the wide part's own optimizer and learning rate
 * ({@code --optimizer} and {@code --lr} train the deep part), and the epochs of pre-training
 * each part alone before the joint phase.
 */
final class WideDeepOptions {
    static final String MODEL = "wide-deep";
    static final List<ModelScope> SCOPES = List.of(
            ModelScope.of("--wide-optimizer", MODEL),
            ModelScope.of("--wide-lr", MODEL),
            ModelScope.of("--pretrain-epochs", MODEL));

    @Option(names = "--wide-optimizer", paramLabel = "NAME",
            description = "wide-deep: optimizer of the wide part (default: see below).")
    String wideOptimizer;

    @Option(names = "--wide-lr", paramLabel = "RATE",
            description = "wide-deep: learning rate of the wide part's optimizer (default: see below).")
    Float wideLr;

    // --pretrain was its first name; --pretrain-epochs matches the config key pretrain_epochs.
    @Option(names = {"--pretrain-epochs", "--pretrain"}, paramLabel = "EPOCHS",
            description = "wide-deep: first train each part alone for this many epochs (default: see below).")
    Integer pretrainEpochs;

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
