package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.embedrec.data.synthetic.SyntheticCsvRelease;
import org.embedrec.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedrec data generate}: synthetic data with planted structure at any size, written
 * as a MovieLens CSV release ({@link SyntheticCsvRelease}) that {@code --data DIR} reads.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write synthetic ratings with planted structure (the built-in generator's model) as a MovieLens"
                + " CSV release (ratings.csv, movies.csv), streamed to disk; ML-25M's shape is --users 162541"
                + " --items 59047 --interactions 25000095.")
final class DataGenerateCommand implements Callable<Integer> {
    @Option(names = "--users", paramLabel = "N", required = true, description = "Number of users.")
    int users;

    @Option(names = "--items", paramLabel = "M", required = true, description = "Number of items (movies).")
    int items;

    @Option(names = "--interactions", paramLabel = "R", required = true,
            description = "Number of ratings in all (between N and N x M).")
    long interactions;

    @Option(names = "--seed", paramLabel = "S", description = "Seed (default 42): one seed, the same bytes.")
    long seed = 42L;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "New (or empty) directory to write; it appears only when complete.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        SyntheticCsvRelease.Size size;
        try {
            size = new SyntheticCsvRelease.Size(users, items, interactions, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--users/--items/--interactions: " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        ProgressBar bar = ProgressBarCallback.wanted(quiet) ? new ProgressBarBuilder().setTaskName("generate")
                .setInitialMax(interactions).setUnit(" rows", 1).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate().showSpeed().build() : null;
        LongConsumer rows = bar == null ? n -> { } : bar::stepBy;
        try {
            // Into a temporary directory renamed to --out when complete: never a half-written data set.
            AtomicFiles.createDirectory(out, tmp -> SyntheticCsvRelease.write(tmp, size, rows));
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d ratings of %d users on %d items (seed %d) to %s in %.1fs%n",
                interactions, users, items, seed, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
