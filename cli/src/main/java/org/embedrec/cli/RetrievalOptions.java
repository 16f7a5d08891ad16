package org.embedrec.cli;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The options of the two-tower retrieval model alone: how often it is validated, and the
 * shape of its in-batch softmax (temperature, log-q correction, accidental hits, sampled
 * negatives; see {@code TwoTowerConfig}).
 */
final class RetrievalOptions {
    static final List<ModelScope> SCOPES = List.of(
            ModelScope.of("--validation-freq", TrainTwoTower.MODEL, TrainSpec.MODEL, "gru4rec", "sasrec"),
            ModelScope.of("--temperature", TrainTwoTower.MODEL),
            ModelScope.of("--log-q", TrainTwoTower.MODEL),
            ModelScope.of("--remove-accidental-hits", TrainTwoTower.MODEL),
            ModelScope.of("--negatives", TrainTwoTower.MODEL),
            ModelScope.of("--eval-sample", TrainTwoTower.MODEL));

    @Option(names = "--validation-freq", paramLabel = "N",
            description = "two-tower, --spec, gru4rec, sasrec: validate every N epochs (default 5, or the spec's) and after the last.")
    Integer validationFreq;

    @Option(names = "--temperature", paramLabel = "T",
            description = "two-tower: divide the retrieval logits by T (default 1).")
    Float temperature;

    @Option(names = "--log-q", negatable = true,
            description = "two-tower: correct the logits by the candidates' log training frequency (default: off).")
    Boolean logQ;

    @Option(names = "--remove-accidental-hits", negatable = true,
            description = "two-tower: mask in-batch negatives that are the query's own item (default: off).")
    Boolean removeAccidentalHits;

    @Option(names = "--negatives", paramLabel = "N",
            description = "two-tower: N extra negatives per batch, drawn uniformly from the catalogue (default 0).")
    Integer negatives;

    @Option(names = "--eval-sample", paramLabel = "N",
            description = "two-tower: evaluate on a seeded sample of N test users (labelled \"sampled\" in the output"
                    + " and report); default: every test pair.")
    Integer evalSample;

    void refuseInapplicable(String model, ParseResult parsed, ExperimentConfig cfg) {
        ModelScope.refuseInapplicable(SCOPES, model, parsed, cfg);
    }
}
