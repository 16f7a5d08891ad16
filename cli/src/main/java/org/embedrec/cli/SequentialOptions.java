package org.embedrec.cli;

import java.util.List;
import org.embedrec.models.sequential.Gru4Rec;
import org.embedrec.models.sequential.SasRec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The options of the sequential models alone (gru4rec, sasrec): history length, attention heads, loss, early stop. */
final class SequentialOptions {
    static final List<ModelScope> SCOPES = List.of(
            ModelScope.of("--max-length", Gru4Rec.NAME, SasRec.NAME),
            ModelScope.of("--heads", SasRec.NAME),
            ModelScope.of("--loss", Gru4Rec.NAME, SasRec.NAME),
            ModelScope.of("--sampled", Gru4Rec.NAME, SasRec.NAME),
            ModelScope.of("--patience", Gru4Rec.NAME, SasRec.NAME),
            ModelScope.of("--exclude-seen", Gru4Rec.NAME, SasRec.NAME),
            ModelScope.of("--init", SasRec.NAME));

    @Option(names = "--max-length", paramLabel = "N",
            description = "gru4rec, sasrec: read each user's N most recent items (default 200).")
    Integer maxLength;

    @Option(names = "--heads", paramLabel = "N",
            description = "sasrec: attention heads per block; must divide --embedding-dim (default 1).")
    Integer heads;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "gru4rec, sasrec: softmax (over the whole catalogue, default), sampled-softmax (log-q "
                    + "corrected, for large catalogues) or bce (SASRec's original: one sampled negative per step).")
    String loss;

    @Option(names = "--sampled", paramLabel = "N",
            description = "gru4rec, sasrec with --loss sampled-softmax: uniformly drawn items added to the batch's "
                    + "targets (default 1000).")
    Integer sampled;

    @Option(names = "--patience", paramLabel = "N",
            description = "gru4rec, sasrec: stop after N validations (every --validation-freq epochs) without a better "
                    + "validation NDCG@10 and keep the best validated epoch's weights; 0 trains every epoch and keeps "
                    + "the last (default 0).")
    Integer patience;

    @Option(names = "--exclude-seen", negatable = true,
            description = "gru4rec, sasrec with --loss softmax: leave each step's earlier items out of its softmax, "
                    + "as the evaluation leaves a user's seen items out of the ranking (default off).")
    Boolean excludeSeen;

    @Option(names = "--init", paramLabel = "NAME",
            description = "sasrec: how the weights start: xavier-normal (the PyTorch reference: Xavier normal on "
                    + "every table and kernel; default) or reference-tf (the authors' TensorFlow code: item table "
                    + "uniform in +-0.05, Glorot-uniform kernels, zero biases).")
    String init;

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
