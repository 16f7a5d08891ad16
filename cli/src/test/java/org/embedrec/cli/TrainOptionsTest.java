package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The options of {@code train}: each read only by the models it applies to, each a config key, defaults in the help. */
class TrainOptionsTest extends CommandLineTestBase {
    /** Where a run's results go, or how it is asked for: not settings of the experiment, so not config keys. */
    private static final Set<String> NOT_CONFIG_KEYS = Set.of("--config", "--report", "--plot", "--save", "--quiet",
            "--help", "--version", "--checkpoint-dir", "--checkpoint-every", "--resume");

    @Test
    void anOptionGivenForAModelThatDoesNotReadItIsRefusedWithOneLineNamingBoth() {
        expectRefused("--dropout applies to --model dot-mlp, ncf-mlp, wide-deep, gru4rec or sasrec, not to mf",
                "--model", "mf", "--dropout", "0.1");
        expectRefused("--layers applies to --model dot-mlp, ncf-mlp, wide-deep, two-tower, gru4rec or sasrec, not to mf",
                "--model", "mf", "--layers", "8");
        expectRefused("--l2 applies to --model mf, dot-mlp or ncf-mlp, not to wide-deep",
                "--model", "wide-deep", "--l2", "0.1");
        expectRefused("--wide-lr applies to --model wide-deep only, not to ncf-mlp",
                "--model", "ncf-mlp", "--wide-lr", "0.1");
        // Named as the user spelt the model, whatever name of the option was typed.
        expectRefused("--pretrain-epochs applies to --model wide-deep only, not to dot-mlp",
                "--model", "dot-mlp", "--pretrain", "2");
        expectRefused("--log-q applies to --model two-tower only, not to mf", "--model", "mf", "--no-log-q");
        expectRefused("--wide-optimizer applies to --model wide-deep only, not to two-tower",
                "--model", "two-tower", "--wide-optimizer", "adam");
    }

    @Test
    void aConfigKeyForAModelThatDoesNotReadItIsRefusedToo(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("experiment.json"), "{\"model\": \"mf\", \"temperature\": 0.5}");
        expectRefused("--config " + config + ": key 'temperature' applies to --model two-tower only, not to mf",
                "--config", config.toString());
    }

    @Test
    void anUnknownModelIsNamedWithEveryModelBeforeAnyOptionIsChecked() {
        expectRefused("unknown model 'svd++': expected one of mf, dot-mlp, ncf-mlp, wide-deep, two-tower, gru4rec, sasrec, pop",
                "--model", "svd++", "--temperature", "2");
    }

    @Test
    void theFirstNameOfPretrainEpochsStillWorks() {
        CommandLine cl = EmbedrecCommand.commandLine();
        cl.parseArgs("train", "--model", "wide-deep", "--pretrain", "3");
        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        assertThat(train.wideDeepOptions.pretrainEpochs).isEqualTo(3);
    }

    @Test
    void theConfigKeysAreTheSnakeCaseNamesOfTheOptionsThatShapeARun() {
        CommandSpec train = EmbedrecCommand.commandLine().getSubcommands().get("train").getCommandSpec();
        Set<String> keys = train.options().stream().map(OptionSpec::longestName)
                .filter(name -> !NOT_CONFIG_KEYS.contains(name))
                .map(ExperimentConfig::keyOf)
                .collect(Collectors.toSet());
        assertThat(keys).isEqualTo(TrainCommand.CONFIG_KEYS);
    }

    @Test
    void theHelpEndsWithEachModelsDefaults() {
        assertThat(run("train", "--help")).isZero();
        String help = out.toString();
        assertThat(help).contains("Defaults per model")
                .containsPattern("mf +50 +1024 +adam +0\\.002 +64 +- +1\\.3 +-")
                .containsPattern("wide-deep +30 +256 +adam +0\\.001 +32 +64,32 +- +0\\.4")
                .containsPattern("two-tower +300 +2048 +adagrad +0\\.1 +32 +32 +- +-")
                .contains("wide-deep also: --wide-optimizer ftrl, --wide-lr 0.05, --pretrain-epochs 0")
                .containsPattern("gru4rec +30 +128 +adam +0\\.001 +50 +1 +- +0\\.2")
                .containsPattern("sasrec +40 +128 +adam +0\\.001 +50 +2 +- +0\\.2")
                .contains("gru4rec, sasrec also: --max-length 200, --loss softmax, --validation-freq 5,")
                .contains("--patience 0, --no-exclude-seen; sasrec: --heads 1, --init xavier-normal")
                .contains("--lr=RATE", "Learning rate of --optimizer");
        assertThat(ModelDefaults.footer()).as("lines picocli would wrap").allSatisfy(line ->
                assertThat(line.length()).isLessThan(80));
    }

    private void expectRefused(String message, String... trainArgs) {
        String[] args = new String[trainArgs.length + 1];
        args[0] = "train";
        System.arraycopy(trainArgs, 0, args, 1, trainArgs.length);
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("embedrec train: " + message);
    }
}
