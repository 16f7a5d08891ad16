package org.embedrec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;

/**
 * The footer of {@code train --help}: each model's defaults, read from {@link RatingModelConfig#defaults},
 * {@link TwoTowerConfig#defaults} and {@link SequentialConfig#defaults} so that the help cannot drift
 * from what a run uses, with "-" where the model does not read the option (the {@link ModelScope}s of
 * the mixins).
 */
final class ModelDefaults {
    private static final String ROW = "  %-10s %6s %6s  %-9s %7s %7s  %-7s %4s %7s";
    private static final List<ModelScope> SCOPES = Stream.of(ModelOptions.SCOPES, RatingModelOptions.SCOPES,
            WideDeepOptions.SCOPES, RetrievalOptions.SCOPES).flatMap(List::stream).toList();

    private ModelDefaults() {}

    /** The footer's lines, each narrower than picocli's 80 columns so that none is wrapped. */
    static List<String> footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Defaults per model (- where the model does not read the option):");
        lines.add(row("--model", "epochs", "batch", "optimizer", "lr", "emb-dim", "layers", "l2", "dropout"));
        for (String name : RatingModels.NAMES) {
            RatingModelConfig d = RatingModelConfig.defaults(name);
            lines.add(row(name, Integer.toString(d.epochs()), Integer.toString(d.batchSize()), d.optimizer(),
                    number(d.learningRate()), Integer.toString(d.embeddingDim()),
                    applies("--layers", name) ? units(d.hiddenUnits()) : "-",
                    applies("--l2", name) ? number(d.l2()) : "-",
                    applies("--dropout", name) ? number(d.dropout()) : "-"));
        }
        TwoTowerConfig t = TwoTowerConfig.defaults();
        String tt = TrainTwoTower.MODEL;
        lines.add(row(tt, Integer.toString(t.epochs()), Integer.toString(t.batchSize()), t.optimizer(),
                number(t.learningRate()), Integer.toString(t.embeddingDim()), units(t.layers()), "-", "-"));
        for (String name : SequentialModels.NAMES) {
            // Sequential models always train with Adam (--optimizer is refused); --layers counts GRU layers or blocks.
            SequentialConfig d = SequentialConfig.defaults(name);
            lines.add(row(name, Integer.toString(d.epochs()), Integer.toString(d.batchSize()), "adam",
                    number((float) d.learningRate()), Integer.toString(d.embeddingDim()), Integer.toString(d.layers()),
                    "-", number((float) d.dropout())));
        }
        RatingModelConfig wd = RatingModelConfig.defaults(WideDeepOptions.MODEL);
        lines.add(String.format(Locale.ROOT, "  %s also: --wide-optimizer %s, --wide-lr %s, --pretrain-epochs %d",
                WideDeepOptions.MODEL, wd.wideOptimizer(), number(wd.wideLearningRate()), wd.pretrainEpochs()));
        lines.add(String.format(Locale.ROOT, "  %s also: --validation-freq %d, --temperature %s, --negatives %d,",
                tt, t.validationFreq(), number(t.temperature()), t.sampledNegatives()));
        lines.add(String.format(Locale.ROOT, "    %s, %s",
                t.logQCorrection() ? "--log-q" : "--no-log-q",
                t.removeAccidentalHits() ? "--remove-accidental-hits" : "--no-remove-accidental-hits"));
        SequentialConfig s = SequentialConfig.defaults(SasRec.NAME);
        lines.add(String.format(Locale.ROOT, "  %s also: --max-length %d, --loss %s, --validation-freq %d,",
                String.join(", ", SequentialModels.NAMES), s.maxLength(), s.loss().label(),
                TrainSequential.VALIDATION_FREQ));
        lines.add(String.format(Locale.ROOT, "    --patience %d, %s; sasrec: --heads %d, --init %s",
                s.patience(), s.excludeSeen() ? "--exclude-seen" : "--no-exclude-seen", s.heads(), s.init().label()));
        lines.add("  Every model: --seed " + t.seed() + ".");
        return lines;
    }

    /** Whether {@code model} reads {@code option}: options no scope names are read by every model. */
    static boolean applies(String option, String model) {
        for (ModelScope scope : SCOPES) {
            if (scope.option().equals(option)) {
                return scope.models().contains(model);
            }
        }
        return true;
    }

    private static String row(String... cells) {
        return String.format(Locale.ROOT, ROW, (Object[]) cells);
    }

    /** 0.002, 1.3, 0 and 1 rather than 0.0020, 1.30, 0.0 and 1.0. */
    private static String number(float value) {
        String s = Float.toString(value);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String units(List<Integer> layers) {
        return layers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
