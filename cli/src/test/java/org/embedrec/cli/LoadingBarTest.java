package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading bar's text, read from the final drawing that closing the bar forces (so no
 * timing is involved), and the rule that nothing is drawn when output is not a terminal.
 */
class LoadingBarTest {
    @TempDir
    Path dir;

    private final List<String> drawn = new ArrayList<>();

    private LoadingBar bar() {
        return new LoadingBar(new DelegatingProgressBarConsumer(drawn::add, 160));
    }

    private String last() {
        assertThat(drawn).isNotEmpty();
        return drawn.get(drawn.size() - 1);
    }

    @Test
    void aSmallReadIsShownInKilobytes() {
        LoadingBar bar = bar();

        bar.begin("ml-100k", 2_000_000, ReadProgress.Unit.BYTES);
        bar.advance(1_500_000);
        bar.advance(500_000);
        bar.end();

        assertThat(last()).startsWith("load ml-100k 100%").contains("1953/1953KB");
    }

    @Test
    void aLargeReadIsShownInMegabytesAndAPartialOneAsSuch() {
        LoadingBar bar = bar();

        bar.begin("ml-25m", 700L << 20, ReadProgress.Unit.BYTES);
        bar.advance(350L << 20);
        bar.end();

        assertThat(last()).startsWith("load ml-25m  50%").contains("350/700MB");
    }

    @Test
    void rowsOfAQueryAreCountedWithoutATotal() {
        LoadingBar bar = bar();

        bar.begin("query on jdbc:h2:mem:x", -1, ReadProgress.Unit.ROWS);
        bar.advance(10_000);
        bar.advance(2_500);
        bar.end();

        assertThat(last()).startsWith("load query on jdbc:h2:mem:x").contains("? %").contains("12500/? rows");
    }

    @Test
    void loadingADirectoryFillsTheBarToTheSizeOfTheFilesRead() throws IOException {
        Files.writeString(dir.resolve("u.data"), "1\t10\t5\t881250949\n".repeat(200), StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("u1.base"), "1\t10\t5\t881250949\n".repeat(500), StandardCharsets.ISO_8859_1);
        long kb = Files.size(dir.resolve("u.data")) / 1024;

        RatingsData data = DataOptions.load(dir.toString(), null, bar());

        assertThat(data.interactions().size()).isEqualTo(200);
        assertThat(last()).startsWith("load " + dir.getFileName() + " 100%").contains(kb + "/" + kb + "KB");
    }

    @Test
    void drawsNothingWhenOutputIsNotATerminal() throws IOException {
        assertThat(System.console()).as("tests run with output to a pipe, not a terminal").isNull();
        Files.writeString(dir.resolve("u.data"), "1\t10\t5\t881250949\n", StandardCharsets.ISO_8859_1);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            DataOptions.load(dir.toString(), null, false);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
