package org.embedrec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.experiment.SplitSpec;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import picocli.CommandLine.Option;

/** Where the data comes from and how it is split: shared by train and evaluate. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR|synthetic|FILE.csv",
            description = "A MovieLens directory (100K, 1M or the CSV releases), or 'synthetic' for the built-in generator (default); with --spec, a CSV file with a header, a MovieLens directory or a jdbc: URL.")
    String data;

    @Option(names = "--split", paramLabel = "SPEC",
            description = "random:0.8 (default), temporal:0.8, leave-last-out, or ml-100k:u1 ... u5, ua, ub.")
    String split;

    @Option(names = "--on-bad-line", paramLabel = "fail|skip",
            description = "Stop at the first malformed line (fail, default) or skip and count such lines (skip).")
    String onBadLine;

    /** The data named by {@code --data} (or the config file), read and checked, without a progress bar. */
    static RatingsData load(String data, String onBadLine) {
        return load(data, onBadLine, true);
    }

    /**
     * As {@link #load(String, String)}, with a progress bar over the files read when stdout is a
     * terminal and not {@code quiet} (see {@link ProgressBarCallback#wanted}).
     */
    static RatingsData load(String data, String onBadLine, boolean quiet) {
        return load(data, onBadLine, ProgressBarCallback.wanted(quiet) ? new LoadingBar() : ReadProgress.NONE);
    }

    static RatingsData load(String data, String onBadLine, ReadProgress progress) {
        if (data == null || data.equals("synthetic")) {
            return SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()).data();
        }
        Path dir = Path.of(data);
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("--data " + data + ": no such file or directory");
        }
        BadLinePolicy policy = policy(onBadLine);
        RatingsData loaded = MovieLensReader.read(dir, policy, progress);
        if (loaded.skippedLines() > 0) {
            System.err.println("embedrec: skipped " + loaded.skippedLines() + " malformed lines in " + data
                    + "; first: " + loaded.skipReasons().get(0));
        }
        return loaded;
    }

    /** The policy named by {@code --on-bad-line}: fail (the default) or skip. */
    static BadLinePolicy policy(String onBadLine) {
        return switch (onBadLine == null ? "fail" : onBadLine) {
            case "fail" -> BadLinePolicy.FAIL;
            case "skip" -> BadLinePolicy.SKIP;
            default -> throw new IllegalArgumentException("--on-bad-line " + onBadLine + ": expected fail or skip");
        };
    }

    static Split split(RatingsData data, String spec, long seed) {
        return SplitSpec.parse(spec == null ? "random:0.8" : spec).apply(data, seed);
    }
}
