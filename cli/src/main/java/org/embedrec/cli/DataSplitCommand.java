package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.experiment.SplitSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code embedrec data split}: writes the train and test rows of a split, with the item catalogue
 * and side tables, as CSV files (see {@link SplitExport}). The data is loaded and split by the
 * same calls {@code train} makes ({@link DataOptions#load}, {@link DataOptions#split}), so
 * {@code data split --split S --seed N} exports exactly the rows {@code train --split S --seed N}
 * trains and tests on.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Write the train and test rows of a split (with titles, timestamps, the item catalogue and"
                + " user features) as CSV files, so another system can train and test on the same rows.")
final class DataSplitCommand implements Callable<Integer> {
    /** The seed {@code train} uses when none is given (every model's default). */
    static final long DEFAULT_SEED = 42L;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds the random split, as train's --seed (default 42).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write train.csv, test.csv, items.csv, users.csv and split.json into.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the files of an earlier export in --out.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        SplitExport.checkTarget(out, overwrite);
        String spec = dataOptions.split == null ? "random:0.8" : dataOptions.split;
        long seedValue = seed == null ? DEFAULT_SEED : seed;
        RatingsData data = DataOptions.load(dataOptions.data, dataOptions.onBadLine, false);
        Split split = DataOptions.split(data, spec, seedValue);
        new SplitExport(data, split, spec, seedValue).write(out);
        String seeded = SplitSpec.parse(spec) instanceof SplitSpec.RandomRatio ? " (seed " + seedValue + ")" : "";
        System.out.printf(Locale.ROOT, "%s split %s%s: %d train and %d test rows, %d items, written to %s%n",
                data.name(), spec, seeded, split.train().size(), split.test().size(),
                data.interactions().numItems(), out);
        return 0;
    }
}
