package org.embedrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code embedrec} command: one subcommand per job. */
@Command(name = "embedrec", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Neural-network recommender systems on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class,
                ServeCommand.class, DataCommand.class})
public final class EmbedrecCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; bad user input exits 2 with one line, never a stack trace. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EmbedrecCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // A user's mistake (bad value, missing or malformed file) is one line and exit code 2.
            // Asking a model what it cannot answer (similar items of a rating model) is one too.
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof UnsupportedOperationException) {
                String message = e instanceof java.nio.file.NoSuchFileException
                        ? "no such file: " + e.getMessage()
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                cmd.getErr().println("embedrec " + cmd.getCommandName() + ": " + message);
                return 2;
            }
            if (e instanceof org.embedrec.nn.train.TrainingDivergedException) {
                cmd.getErr().println("embedrec " + cmd.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl;
    }
}
