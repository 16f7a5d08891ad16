package org.embedrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code embedrec} command: one subcommand per job. */
@Command(name = "embedrec", mixinStandardHelpOptions = true, version = "embedrec 0.1.0",
        description = "Neural-network recommender systems on the JVM.",
        subcommands = {DemoCommand.class})
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
        cl.setExitCodeExceptionMapper(e -> e instanceof IllegalArgumentException ? 2 : 1);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("embedrec " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
