package org.embedrec.data.movielens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;

/**
 * Reads a MovieLens directory in whichever release it holds, recognised by its ratings file:
 * {@code u.data} (100K), {@code ratings.dat} (1M) or {@code ratings.csv} (the CSV releases).
 *
 * <p>When the release's item (or user) table is present, it defines the item (or user)
 * vocabulary in file order, so items without ratings are still candidates; a rating naming an
 * id missing from the table is a bad line ("unknown item id '1999' (not in u.item)"), an error
 * under {@link BadLinePolicy#FAIL} and skipped and counted under SKIP. Without the table, ids
 * are numbered in order of first appearance in the ratings.
 */
public final class MovieLensReader {
    private MovieLensReader() {
    }

    /** Reads the release in {@code dir} (or the directory of a ratings file), failing on any bad line. */
    public static RatingsData read(Path dir) {
        return read(dir, BadLinePolicy.FAIL);
    }

    public static RatingsData read(Path dir, BadLinePolicy policy) {
        return read(dir, policy, ReadProgress.NONE);
    }

    /**
     * As {@link #read(Path, BadLinePolicy)}, telling {@code progress} of one read (named after the
     * directory) over all the files the release's format reads: their total size up front, then the
     * bytes as they are read.
     */
    public static RatingsData read(Path dir, BadLinePolicy policy, ReadProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress must not be null; pass ReadProgress.NONE for none");
        }
        Path d = directoryOf(dir);
        MovieLensFormat format = detect(d);
        try {
            progress.begin(name(d), totalSize(filesRead(format, d)), ReadProgress.Unit.BYTES);
            try {
                return switch (format) {
                    case ML_100K -> MovieLens100k.read(d, policy, progress);
                    case ML_1M -> MovieLens1m.read(d, policy, progress);
                    case ML_CSV -> MovieLensCsv.read(d, policy, progress);
                };
            } finally {
                progress.end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + format.description() + " from " + d + ": " + e.getMessage(), e);
        }
    }

    /** The files {@link #read} reads from {@code dir} for {@code format}, in the order it reads them. */
    static List<Path> filesRead(MovieLensFormat format, Path dir) {
        return switch (format) {
            case ML_100K -> MovieLens100k.filesRead(dir);
            case ML_1M -> MovieLens1m.filesRead(dir);
            case ML_CSV -> MovieLensCsv.filesRead(dir);
        };
    }

    private static long totalSize(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        return total;
    }

    private static String name(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    /**
     * The format of the release in {@code dir}.
     * @throws IllegalArgumentException naming what was expected and what was found, when no
     *     format or more than one matches
     */
    public static MovieLensFormat detect(Path dir) {
        Path d = directoryOf(dir);
        List<MovieLensFormat> found = new ArrayList<>();
        for (MovieLensFormat f : MovieLensFormat.values()) {
            if (Files.isRegularFile(d.resolve(f.marker()))) {
                found.add(f);
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        StringBuilder expected = new StringBuilder();
        for (MovieLensFormat f : MovieLensFormat.values()) {
            expected.append(expected.length() == 0 ? "" : "; ").append(f.marker()).append(" (")
                    .append(f.description()).append(')');
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no MovieLens data found in " + d + ": expected one of " + expected
                    + "; found " + listing(d));
        }
        throw new IllegalArgumentException("ambiguous MovieLens directory " + d + ": it holds the ratings files of "
                + found + "; keep one release per directory");
    }

    /**
     * A canonical MovieLens 100K split ({@code u1} ... {@code u5}, {@code ua}, {@code ub}) read from
     * {@code NAME.base} and {@code NAME.test} in the directory {@code full} was read from, with ids
     * in {@code full}'s vocabularies (an id outside them is an error).
     */
    public static Split readCanonicalSplit(RatingsData full, String name) {
        Path dir = full.source().orElseThrow(() -> new IllegalArgumentException("data set '" + full.name()
                + "' was not read from a directory, so it has no canonical splits"));
        return readCanonicalSplit(dir, full, name, BadLinePolicy.FAIL);
    }

    public static Split readCanonicalSplit(Path dir, RatingsData full, String name, BadLinePolicy policy) {
        try {
            return MovieLens100k.readCanonical(directoryOf(dir), full, name, policy);
        } catch (IOException e) {
            throw new UncheckedIOException("reading split " + name + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory itself, or the directory of a marker file given by its path. */
    private static Path directoryOf(Path path) {
        if (Files.isRegularFile(path)) {
            String file = path.getFileName().toString();
            for (MovieLensFormat f : MovieLensFormat.values()) {
                if (f.marker().equals(file)) {
                    Path parent = path.toAbsolutePath().getParent();
                    return parent;
                }
            }
            throw new IllegalArgumentException(path + " is a file but not a MovieLens ratings file; give the directory");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such directory: " + path);
        }
        return path;
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(21).toList();
            if (names.isEmpty()) {
                return "an empty directory";
            }
            String shown = String.join(", ", names.subList(0, Math.min(20, names.size())));
            return names.size() > 20 ? shown + ", ..." : shown;
        } catch (IOException e) {
            return "(cannot list: " + e.getMessage() + ")";
        }
    }
}
