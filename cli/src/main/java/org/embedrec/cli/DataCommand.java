package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.embedrec.data.movielens.MovieLensDownload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedrec data}: getting data sets and exporting splits. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Get, generate and split data sets.",
        subcommands = {DataCommand.Fetch.class, DataSplitCommand.class, DataGenerateCommand.class})
final class DataCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download an official MovieLens release, verify its checksum and unpack it.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "movielens-100k or movielens-1m")
        String name;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to unpack (default ~/.embedrec/data).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            MovieLensDownload.Release release = MovieLensDownload.Release.parse(name);
            Path target = MovieLensDownload.fetch(release, dir == null ? MovieLensDownload.defaultDataDirectory() : dir);
            System.out.println(release.displayName() + " is in " + target + " (MD5 verified)");
            return 0;
        }
    }
}
