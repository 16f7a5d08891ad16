package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every option and parameter of every command says in one line what it is for. */
class OptionDescriptionsTest {

    @Test
    void everyOptionAndParameterOfEveryCommandHasAOneLineDescription() {
        List<String> problems = new ArrayList<>();
        walk(EmbedrecCommand.commandLine(), problems);
        assertThat(problems).as("options without a one-line description").isEmpty();
    }

    @Test
    void noHelpShowsAnUnsetDefault() {
        List<String> problems = new ArrayList<>();
        usages(EmbedrecCommand.commandLine(), problems);
        assertThat(problems).as("help texts showing a null default").isEmpty();
    }

    /** The command's own options (mixins' included, as picocli merges them), each mixin's, and each subcommand's. */
    private static void walk(CommandLine cl, List<String> problems) {
        CommandSpec spec = cl.getCommandSpec();
        List<ArgSpec> args = new ArrayList<>(spec.args());
        spec.mixins().values().forEach(mixin -> args.addAll(mixin.args()));
        for (ArgSpec arg : args) {
            String name = arg instanceof OptionSpec o ? o.longestName() : "parameter " + arg.paramLabel();
            String text = String.join(" ", arg.description()).strip();
            if (text.isEmpty()) {
                add(problems, spec.qualifiedName() + " " + name + ": no description");
            } else if (arg.description().length > 1 || text.contains("%n") || text.contains("\n")) {
                add(problems, spec.qualifiedName() + " " + name + ": more than one line: " + Arrays.toString(arg.description()));
            }
        }
        cl.getSubcommands().values().forEach(sub -> walk(sub, problems));
    }

    private static void usages(CommandLine cl, List<String> problems) {
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        if (usage.contains("default: null") || usage.contains("default null")) {
            problems.add(cl.getCommandSpec().qualifiedName() + ":\n" + usage);
        }
        cl.getSubcommands().values().forEach(sub -> usages(sub, problems));
    }

    private static void add(List<String> problems, String problem) {
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }
}
