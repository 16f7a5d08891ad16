package org.embedrec.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import picocli.CommandLine;

/**
 * Runs {@code embedrec} in-process as a user would, capturing what it prints: {@link #out} is
 * standard output (the commands print with {@code System.out}), {@link #err} picocli's error
 * stream, where one-line user errors go.
 */
abstract class CommandLineTestBase {
    protected final StringWriter err = new StringWriter();
    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;

    @BeforeEach
    void captureStdout() {
        savedOut = System.out;
        System.setOut(new PrintStream(out, true));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(savedOut);
    }

    /** The exit code of {@code embedrec args...}. */
    protected int run(String... args) {
        CommandLine cl = EmbedrecCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
